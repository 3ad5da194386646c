package io.packlab.cnb.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reading typed fields out of a JSON tree with errors that name the key path, and writing them
 * back onto the tree they came from: a field whose value did not change keeps its node as it was,
 * changed fields keep their place, new ones go last, and keys packlab does not know stay.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The label's JSON does not have the expected shape at {@code path}. */
    static final class ShapeException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ShapeException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The label {@code label} of {@code image} read by {@code read}; absent, not JSON or of another shape is a
     * {@link MetadataException} naming the image.
     */
    static <T> T label(Map<String, String> labels, String label, String image, Function<JsonNode, T> read) {
        String text = labels.get(label);
        if (text == null) {
            throw MetadataException.missing(label, image);
        }
        JsonNode json;
        try {
            json = parse(text);
        } catch (JsonProcessingException e) {
            throw MetadataException.notJson(label, image, e.getOriginalMessage());
        }
        try {
            return read.apply(json);
        } catch (ShapeException e) {
            throw MetadataException.shape(label, image, e.getMessage());
        }
    }

    /** The label read by {@code read} when it is there and readable, else empty (for looks that must not fail). */
    static <T> java.util.Optional<T> findLabel(Map<String, String> labels, String label, Function<JsonNode, T> read) {
        String text = labels.get(label);
        if (text == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(read.apply(parse(text)));
        } catch (JsonProcessingException | ShapeException e) {
            return java.util.Optional.empty();
        }
    }

    static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The field, or null when it is absent or JSON null. */
    static JsonNode field(JsonNode object, String key) {
        JsonNode n = object == null ? null : object.get(key);
        return n == null || n.isNull() ? null : n;
    }

    static ObjectNode object(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof ObjectNode o)) {
            throw wrong(path, node, "an object");
        }
        return o;
    }

    static String text(JsonNode object, String key, String path) {
        JsonNode n = field(object, key);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrong(path, n, "a string");
        }
        return n.asText();
    }

    static Boolean bool(JsonNode object, String key, String path) {
        JsonNode n = field(object, key);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw wrong(path, n, "true or false");
        }
        return n.asBoolean();
    }

    static List<String> texts(JsonNode object, String key, String path) {
        JsonNode n = field(object, key);
        if (n == null) {
            return null;
        }
        return list(n, path, (item, p) -> {
            if (!item.isTextual()) {
                throw wrong(p, item, "a string");
            }
            return item.asText();
        });
    }

    static <T> List<T> list(JsonNode node, String path, BiFunction<JsonNode, String, T> item) {
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            throw wrong(path, node, "an array");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(item.apply(node.get(i), path + "[" + i + "]"));
        }
        return Collections.unmodifiableList(out);
    }

    static <T> Map<String, T> map(JsonNode node, String path, BiFunction<JsonNode, String, T> value) {
        if (node == null) {
            return null;
        }
        ObjectNode o = object(node, path);
        Map<String, T> out = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> out.put(e.getKey(), value.apply(e.getValue(), path + "." + e.getKey())));
        return Collections.unmodifiableMap(out);
    }

    static ShapeException wrong(String path, JsonNode found, String wanted) {
        return new ShapeException(path + " is " + kind(found) + ", not " + wanted);
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> "null";
        };
    }

    static <T> List<T> copy(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    static <T> Map<String, T> copy(Map<String, T> map) {
        return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Writes one record onto the object it was read from (or a new one). */
    static final class Writer<R> {

        private final ObjectNode out;
        private final JsonNode source;
        private final R before;

        /** {@code read} reads {@code source} as the record did when it was parsed (it cannot fail then). */
        Writer(JsonNode source, Function<JsonNode, R> read) {
            this.source = source instanceof ObjectNode ? source : null;
            this.out = this.source == null ? MAPPER.createObjectNode() : (ObjectNode) source.deepCopy();
            R b = null;
            if (this.source != null) {
                try {
                    b = read.apply(this.source);
                } catch (ShapeException e) {
                    b = null;
                }
            }
            this.before = b;
        }

        /**
         * One field: kept as it was when the value equals the one read from the source, else written
         * (null removes it) by {@code node}, which gets the source's node of that key to write onto.
         */
        <T> Writer<R> put(String key, T value, Function<R, T> was, Function<JsonNode, JsonNode> node) {
            if (before != null && source.has(key) && Objects.equals(value, was.apply(before))) {
                return this;
            }
            if (value == null) {
                out.remove(key);
            } else {
                out.set(key, node.apply(source == null ? null : source.get(key)));
            }
            return this;
        }

        <T> Writer<R> put(String key, T value, Function<R, T> was, Supplier<JsonNode> node) {
            return put(key, value, was, ignored -> node.get());
        }

        ObjectNode done() {
            return out;
        }
    }

    static JsonNode textNode(String text) {
        return MAPPER.getNodeFactory().textNode(text);
    }

    static JsonNode boolNode(Boolean b) {
        return MAPPER.getNodeFactory().booleanNode(b);
    }

    static ArrayNode texts(List<String> values) {
        ArrayNode a = MAPPER.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    /** An array of records, each written onto the source array's item at the same index. */
    static <T> ArrayNode array(List<T> items, JsonNode source, BiFunction<T, JsonNode, JsonNode> write) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            a.add(write.apply(items.get(i), source != null && source.isArray() ? source.get(i) : null));
        }
        return a;
    }

    /** An object of records by name, each written onto the source object's value of that name. */
    static <T> ObjectNode objectOf(Map<String, T> items, JsonNode source, BiFunction<T, JsonNode, JsonNode> write) {
        ObjectNode o = MAPPER.createObjectNode();
        items.forEach((k, v) -> o.set(k, write.apply(v, source != null && source.isObject() ? source.get(k) : null)));
        return o;
    }
}
