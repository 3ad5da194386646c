package io.packlab.cnb.descriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/** A parsed TOML file with typed getters whose errors carry file:line:column (tomlj positions). */
final class TomlDocument {

    static final TomlPosition START = TomlPosition.positionAt(1, 1);

    /** A table of an array of tables, with where it starts. */
    record Element(TomlTable table, TomlPosition position) {
    }

    private final Path file;
    private final TomlParseResult root;
    private final boolean strictKeys;

    private TomlDocument(Path file, TomlParseResult root, boolean strictKeys) {
        this.file = file;
        this.root = root;
        this.strictKeys = strictKeys;
    }

    /** Reads and parses a file; {@code strictKeys}: unknown keys are errors, as pack makes them for its configs. */
    static TomlDocument read(Path file, boolean strictKeys) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new DescriptorException(file, 1, 1, "there is no such file. Check the path (relative paths start at the"
                    + " current folder).");
        } catch (IOException e) {
            throw new DescriptorException(file, 1, 1, "cannot read the file (" + e.getMessage() + "). It must be a readable"
                    + " UTF-8 text file.");
        }
        return parse(file, text, strictKeys);
    }

    static TomlDocument parse(Path file, String text, boolean strictKeys) {
        TomlParseResult result = Toml.parse(text);
        if (result.hasErrors()) {
            TomlParseError error = result.errors().get(0);
            String message = error.getMessage();
            throw new DescriptorException(file, error.position().line(), error.position().column(), "this is not valid TOML: "
                    + message + (message.endsWith(".") ? "" : ".") + " Fix the TOML syntax there (strings need double"
                    + " quotes, tables are written [name], arrays of tables [[name]]).");
        }
        return new TomlDocument(file, result, strictKeys);
    }

    Path file() {
        return file;
    }

    TomlTable root() {
        return root;
    }

    /** The folder of the file, absolute: where relative uris start. */
    Path folder() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath() : parent;
    }

    String fileName() {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    DescriptorException error(TomlPosition at, String problem) {
        TomlPosition p = at == null ? START : at;
        return new DescriptorException(file, p.line(), p.column(), problem);
    }

    /** Where {@code key} of {@code table} is written, or {@code fallback} when it is not. */
    static TomlPosition at(TomlTable table, String key, TomlPosition fallback) {
        if (table != null && table.contains(List.of(key))) {
            TomlPosition p = table.inputPositionOf(List.of(key));
            if (p != null) {
                return p;
            }
        }
        return fallback == null ? START : fallback;
    }

    /** Where {@code key} of {@code table} is written, or null when it is not there. */
    static TomlPosition where(TomlTable table, String key) {
        return table != null && table.contains(List.of(key)) ? table.inputPositionOf(List.of(key)) : null;
    }

    static String dotted(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /** Refuses keys outside {@code allowed} (when this document is strict), naming them the way pack does. */
    void allowOnly(TomlTable table, String prefix, TomlPosition where, List<String> allowed, String takes) {
        if (!strictKeys) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        TomlPosition first = null;
        for (String key : table.keySet()) {
            if (!allowed.contains(key)) {
                TomlPosition p = at(table, key, where);
                if (first == null || p.line() < first.line() || p.line() == first.line() && p.column() < first.column()) {
                    first = p;
                }
                unknown.add("'" + dotted(prefix, key) + "'");
            }
        }
        if (!unknown.isEmpty()) {
            Collections.sort(unknown);
            throw error(first, "unknown configuration element" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " in " + fileName() + "; pack refuses keys it does not know. Check the spelling: " + takes + ".");
        }
    }

    Optional<String> optString(TomlTable table, String prefix, String key, String example) {
        if (!table.contains(List.of(key))) {
            return Optional.empty();
        }
        Object value = table.get(List.of(key));
        if (!(value instanceof String s)) {
            throw wrongType(table, prefix, key, "a string", example);
        }
        return Optional.of(s);
    }

    String string(TomlTable table, String prefix, String key, String example) {
        return optString(table, prefix, key, example).orElse("");
    }

    /**
     * A string that must be present and not blank; {@code where} is the table's position, {@code example} shows the key
     * written well, {@code fix} says what to add.
     */
    String required(TomlTable table, String prefix, String key, TomlPosition where, String example, String fix) {
        Optional<String> value = optString(table, prefix, key, example);
        if (value.isEmpty() || value.get().isBlank()) {
            TomlPosition p = value.isEmpty() ? where : at(table, key, where);
            throw error(p, "`" + dotted(prefix, key) + "` is " + (value.isEmpty() ? "missing" : "empty") + ". " + fix);
        }
        return value.get();
    }

    boolean bool(TomlTable table, String prefix, String key) {
        if (!table.contains(List.of(key))) {
            return false;
        }
        Object value = table.get(List.of(key));
        if (!(value instanceof Boolean b)) {
            throw wrongType(table, prefix, key, "a boolean", key + " = true (no quotes)");
        }
        return b;
    }

    List<String> strings(TomlTable table, String prefix, String key, String example) {
        if (!table.contains(List.of(key))) {
            return List.of();
        }
        Object value = table.get(List.of(key));
        if (!(value instanceof TomlArray array)) {
            throw wrongType(table, prefix, key, "an array of strings", example);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof String s)) {
                throw error(array.inputPositionOf(i), "`" + dotted(prefix, key) + "` must be an array of strings, but item "
                        + (i + 1) + " is " + typeName(array.get(i)) + ". Write it as " + example + ".");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** A table such as {@code [stack]}; refuses a value or an array of tables under that name. */
    Optional<TomlTable> table(TomlTable parent, String prefix, String key) {
        if (!parent.contains(List.of(key))) {
            return Optional.empty();
        }
        Object value = parent.get(List.of(key));
        if (!(value instanceof TomlTable t)) {
            String name = dotted(prefix, key);
            String hint = value instanceof TomlArray ? " Write it with single brackets: [" + name + "]." : " Write it as a table: ["
                    + name + "] with its keys on the lines below.";
            throw error(at(parent, key, START), "`" + name + "` must be a table, but it is " + typeName(value) + "." + hint);
        }
        return Optional.of(t);
    }

    /** An array of tables such as {@code [[stacks]]}; refuses a single table or values under that name. */
    List<Element> tables(TomlTable parent, String prefix, String key) {
        if (!parent.contains(List.of(key))) {
            return List.of();
        }
        Object value = parent.get(List.of(key));
        String name = dotted(prefix, key);
        if (value instanceof TomlTable) {
            throw error(at(parent, key, START), "`" + name + "` must be an array of tables, but it is a single table."
                    + " Write it with double brackets: [[" + name + "]].");
        }
        if (!(value instanceof TomlArray array)) {
            throw error(at(parent, key, START), "`" + name + "` must be an array of tables, but it is " + typeName(value)
                    + ". Write each entry as [[" + name + "]] with its keys on the lines below.");
        }
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlTable t)) {
                throw error(array.inputPositionOf(i), "`" + name + "` must be an array of tables, but item " + (i + 1)
                        + " is " + typeName(array.get(i)) + ". Write each entry as [[" + name + "]].");
            }
            TomlPosition p = array.inputPositionOf(i);
            out.add(new Element(t, p == null ? at(parent, key, START) : p));
        }
        return List.copyOf(out);
    }

    private DescriptorException wrongType(TomlTable table, String prefix, String key, String expected, String example) {
        Object value = table.get(List.of(key));
        return error(at(table, key, START), "`" + dotted(prefix, key) + "` must be " + expected + ", but it is "
                + typeName(value) + ". Write it as " + example + ".");
    }

    static String typeName(Object value) {
        if (value instanceof String) {
            return "a string";
        } else if (value instanceof Long) {
            return "an integer";
        } else if (value instanceof Double) {
            return "a float (a number with a dot; write versions in quotes)";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof TomlArray) {
            return "an array";
        } else if (value instanceof TomlTable) {
            return "a table";
        } else if (value instanceof Temporal) {
            return "a date/time";
        }
        return "a " + (value == null ? "missing value" : value.getClass().getSimpleName());
    }

    /** A table as plain, unmodifiable Java values: Map, List, String, Long, Double, Boolean, java.time values. */
    static Map<String, Object> plain(TomlTable table) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : table.keySet()) {
            out.put(key, plainValue(table.get(List.of(key))));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object plainValue(Object value) {
        if (value instanceof TomlTable t) {
            return plain(t);
        }
        if (value instanceof TomlArray a) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                items.add(plainValue(a.get(i)));
            }
            return Collections.unmodifiableList(items);
        }
        return value;
    }
}
