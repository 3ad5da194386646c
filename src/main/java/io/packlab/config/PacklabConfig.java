package io.packlab.config;

import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/** The settings of {@code packlab.toml}; the environment variable PACKLAB_BASES overrides the bases mode. */
public record PacklabConfig(BaseImages bases) {

    public static PacklabConfig defaults() {
        return new PacklabConfig(new BaseImages(BaseImages.Mode.AUTO, List.of()));
    }

    /** Reads the file if it exists, then applies the environment. */
    public static PacklabConfig load(Path file, Map<String, String> env) {
        PacklabConfig config = Files.isRegularFile(file) ? parse(file) : defaults();
        String override = env.get("PACKLAB_BASES");
        if (override != null && !override.isBlank()) {
            config = new PacklabConfig(config.bases.withMode(BaseImages.Mode.parse(override, "PACKLAB_BASES")));
        }
        return config;
    }

    static PacklabConfig parse(Path file) {
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
        BaseImages.Mode mode = BaseImages.Mode.AUTO;
        List<BaseImages.LocalBase> locals = new ArrayList<>();
        TomlTable bases = toml.getTable("bases");
        if (bases != null) {
            if (bases.contains("mode")) {
                mode = BaseImages.Mode.parse(string(file, bases, "mode", "bases.mode"), file + ":"
                        + bases.inputPositionOf("mode").line());
            }
            TomlArray local = bases.contains("local") && bases.isArray("local") ? bases.getArray("local") : null;
            if (bases.contains("local") && local == null) {
                throw PacklabException.usage(file + ": `bases.local` must be an array of tables ([[bases.local]]).");
            }
            for (int i = 0; local != null && i < local.size(); i++) {
                TomlTable t = local.getTable(i);
                locals.add(new BaseImages.LocalBase(string(file, t, "context", "bases.local.context"),
                        string(file, t, "arg", "bases.local.arg"), string(file, t, "image", "bases.local.image")));
            }
        }
        return new PacklabConfig(new BaseImages(mode, locals));
    }

    private static String string(Path file, TomlTable table, String key, String name) {
        if (!table.contains(key)) {
            throw PacklabException.usage(file + ": `" + name + "` is missing; every [[bases.local]] needs context,"
                    + " arg and image.");
        }
        if (!table.isString(key)) {
            throw PacklabException.usage(file + ":" + table.inputPositionOf(key).line() + ": `" + name
                    + "` must be a string.");
        }
        return table.getString(key);
    }
}
