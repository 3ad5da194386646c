package io.packlab.classroom;

import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The {@code [classroom]} table of packlab.toml: {@code url} and {@code name}, each optional (the
 * flags and the environment come first, see {@link Classroom#resolve}).
 */
public record ClassroomToml(Optional<Classroom.Given> url, Optional<Classroom.Given> name) {

    public static ClassroomToml none() {
        return new ClassroomToml(Optional.empty(), Optional.empty());
    }

    /** Reads the file's {@code [classroom]} table; none when the file or the table is absent. */
    public static ClassroomToml load(Path file) {
        if (!Files.isRegularFile(file)) {
            return none();
        }
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (IOException e) {
            throw PacklabException.usage("cannot read " + file + ": " + e.getMessage());
        }
        if (toml.hasErrors()) {
            var error = toml.errors().get(0);
            throw PacklabException.usage(file + ":" + error.position().line() + ":" + error.position().column()
                    + ": " + error.getMessage() + ". Fix the TOML syntax there.");
        }
        if (!toml.contains("classroom")) {
            return none();
        }
        if (!toml.isTable("classroom")) {
            throw PacklabException.usage(file + ":" + toml.inputPositionOf("classroom").line() + ": `classroom` must be"
                    + " a table: [classroom] with url = \"http://HOST:PORT/join/CODE\" and name = \"...\".");
        }
        TomlTable table = toml.getTable("classroom");
        return new ClassroomToml(string(file, table, "url"), string(file, table, "name"));
    }

    private static Optional<Classroom.Given> string(Path file, TomlTable table, String key) {
        if (!table.contains(key)) {
            return Optional.empty();
        }
        String where = file + ":" + table.inputPositionOf(key).line();
        if (!table.isString(key)) {
            throw PacklabException.usage(where + ": `classroom." + key + "` must be a string (in double quotes).");
        }
        return Optional.of(new Classroom.Given(table.getString(key), where));
    }
}
