package io.packlab.cnb.descriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Where a key of a TOML file is written, found again for a problem noticed after the file was read
 * (an archive that is not a buildpack, an order entry that no buildpack answers): the file is parsed
 * once more on that error path, so the configs stay plain values.
 */
public final class TomlPlaces {

    private TomlPlaces() {
    }

    /**
     * A {@link DescriptorException} at the key {@code path} leads to: strings are keys, integers index
     * arrays of tables ({@code "order", 0, "group", 1, "id"}); as near as the file allows, else 1:1.
     */
    public static DescriptorException error(Path file, String problem, Object... path) {
        TomlPosition at = TomlDocument.START;
        try {
            TomlParseResult root = Toml.parse(Files.readString(file));
            Object current = root;
            for (Object step : path) {
                TomlPosition p = null;
                if (step instanceof String key && current instanceof TomlTable t && t.contains(List.of(key))) {
                    p = t.inputPositionOf(List.of(key));
                    current = t.get(List.of(key));
                } else if (step instanceof Integer i && current instanceof TomlArray a && i >= 0 && i < a.size()) {
                    p = a.inputPositionOf(i);
                    current = a.get(i);
                } else {
                    break;
                }
                if (p != null) {
                    at = p;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the file changed or went away since it was read: point at its start
        }
        return new DescriptorException(file, at.line(), at.column(), problem);
    }

    /**
     * A {@link DescriptorException} at where the entry {@code at} of the array of tables {@code tables} names its
     * buildpack: its {@code uri}, else its {@code image}.
     */
    public static DescriptorException sourceError(Path file, String problem, String tables, int at) {
        String key = "image";
        try {
            TomlArray a = Toml.parse(Files.readString(file)).getArray(tables);
            if (a != null && at >= 0 && at < a.size() && a.get(at) instanceof TomlTable t && t.contains("uri")) {
                key = "uri";
            }
        } catch (IOException | RuntimeException e) {
            // the file changed or went away since it was read: error finds what it can
        }
        return error(file, problem, tables, at, key);
    }
}
