package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * Plain values (maps, lists, strings, numbers, booleans, java.time values) written as TOML text, for
 * the files the platform gives back to buildpacks: a table's values as {@code key = value} lines,
 * nested tables as inline tables, so that any metadata a buildpack wrote survives the round trip
 * through the image label's JSON.
 */
final class TomlWriter {

    private TomlWriter() {
    }

    /** {@code [name]} and one line per entry of {@code values}. */
    static String table(String name, Map<String, ?> values) {
        StringBuilder out = new StringBuilder("[").append(key(name)).append("]\n");
        values.forEach((k, v) -> {
            if (v != null) {
                out.append(key(k)).append(" = ").append(value(v)).append('\n');
            }
        });
        return out.toString();
    }

    /** A key, bare when TOML allows it, else quoted. */
    static String key(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : string(key);
    }

    /** One value in TOML syntax. */
    static String value(Object v) {
        if (v instanceof String s) {
            return string(s);
        }
        if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof Short) {
            return v.toString();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d)) {
                return "nan";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "inf" : "-inf";
            }
            String text = Double.toString(d);
            return text.contains("E") ? text.replace("E", "e") : text;
        }
        if (v instanceof Number n) {
            return n.toString();
        }
        if (v instanceof OffsetDateTime t) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        if (v instanceof LocalDateTime t) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        if (v instanceof LocalTime t) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
        }
        if (v instanceof Temporal t) {
            return t.toString();
        }
        if (v instanceof TomlTable t) {
            return value(t.toMap());
        }
        if (v instanceof TomlArray a) {
            return value(a.toList());
        }
        if (v instanceof Map<?, ?> m) {
            List<String> entries = new ArrayList<>();
            m.forEach((k, x) -> {
                if (x != null) {
                    entries.add(key(String.valueOf(k)) + " = " + value(x));
                }
            });
            return entries.isEmpty() ? "{}" : "{ " + String.join(", ", entries) + " }";
        }
        if (v instanceof List<?> l) {
            List<String> items = new ArrayList<>();
            l.forEach(x -> items.add(x == null ? "\"\"" : value(x)));
            return "[" + String.join(", ", items) + "]";
        }
        throw new IllegalArgumentException("not a TOML value: " + v.getClass().getName());
    }

    /** A basic string with TOML's escapes. */
    static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * A parsed TOML value as plain values for JSON: tables as ordered maps, arrays as lists, dates
     * and times as their TOML text (as the lifecycle's JSON has them).
     */
    static Object plainToml(Object value) {
        if (value instanceof TomlTable t) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String k : t.keySet()) {
                out.put(k, plainToml(t.get(List.of(k))));
            }
            return out;
        }
        if (value instanceof TomlArray a) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                out.add(plainToml(a.get(i)));
            }
            return out;
        }
        if (value instanceof Temporal) {
            return value(value);
        }
        return value;
    }

    /** JSON as plain values (objects keep their order; null members are left out). */
    static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                Object v = plain(e.getValue());
                if (v != null) {
                    out.put(e.getKey(), v);
                }
            });
            return out;
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>();
            node.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }
}
