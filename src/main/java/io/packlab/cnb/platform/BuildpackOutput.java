package io.packlab.cnb.platform;

import io.packlab.cnb.descriptor.BuildpackApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/** What a buildpack's {@code bin/build} left in its layers folder: layer types and metadata, processes, labels. */
final class BuildpackOutput {

    /** A layer's {@code <name>.toml}: its types and metadata (as TOML text, kept for the next build). */
    record LayerToml(String name, boolean launch, boolean build, boolean cache, Map<String, Object> metadata) {
    }

    /** A process of launch.toml. */
    record Process(String type, List<String> command, List<String> args, boolean direct, boolean isDefault,
            String workingDir, String buildpackId) {
    }

    private BuildpackOutput() {
    }

    /** Reads {@code <layers>/<name>.toml} files; warns about flags outside [types] as lifecycle does. */
    static List<LayerToml> layers(Path bpLayers, String buildpack, Reporter reporter) {
        List<LayerToml> out = new ArrayList<>();
        if (!Files.isDirectory(bpLayers)) {
            return out;
        }
        try (var list = Files.list(bpLayers)) {
            for (Path f : list.sorted().toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".toml") || List.of("launch.toml", "build.toml", "store.toml").contains(file)) {
                    continue;
                }
                String name = file.substring(0, file.length() - 5);
                TomlParseResult toml = parse(f, buildpack);
                if (toml.contains("launch") || toml.contains("build") || toml.contains("cache")) {
                    reporter.warn("the launch, cache and build flags should be in the types table of " + f.getFileName()
                            + " (buildpack " + buildpack + "); they are ignored outside [types]");
                }
                TomlTable types = toml.getTable("types");
                boolean launch = types != null && Boolean.TRUE.equals(types.getBoolean("launch"));
                boolean build = types != null && Boolean.TRUE.equals(types.getBoolean("build"));
                boolean cache = types != null && Boolean.TRUE.equals(types.getBoolean("cache"));
                TomlTable metadata = toml.getTable("metadata");
                out.add(new LayerToml(name, launch, build, cache, metadata == null ? Map.of() : plainMap(metadata)));
            }
        } catch (IOException e) {
            throw new PlatformException("cannot read the layers of buildpack " + buildpack + ": " + e.getMessage());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plainMap(TomlTable table) {
        return (Map<String, Object>) TomlWriter.plainToml(table);
    }

    /** launch.toml processes, by the buildpack's API (command a string before 0.9, an array from 0.9). */
    static List<Process> processes(Path launchToml, String buildpack, BuildpackApi api) {
        List<Process> out = new ArrayList<>();
        if (!Files.isRegularFile(launchToml)) {
            return out;
        }
        TomlParseResult toml = parse(launchToml, buildpack);
        TomlArray processes = toml.getArray("processes");
        for (int i = 0; processes != null && i < processes.size(); i++) {
            TomlTable p = processes.getTable(i);
            String type = p.getString("type");
            if (type == null) {
                throw new PlatformException("launch.toml of buildpack " + buildpack + ": process " + (i + 1)
                        + " has no type.");
            }
            List<String> command = new ArrayList<>();
            if (p.isArray("command")) {
                if (!api.commandIsArray()) {
                    throw new PlatformException("launch.toml of buildpack " + buildpack + ": process `" + type
                            + "` has an array command, which needs Buildpack API 0.9 or newer (it declares " + api
                            + "). Write `command = \"...\"` or raise `api` in buildpack.toml.");
                }
                p.getArray("command").toList().forEach(o -> command.add(String.valueOf(o)));
            } else if (p.isString("command")) {
                if (api.commandIsArray()) {
                    throw new PlatformException("launch.toml of buildpack " + buildpack + ": process `" + type
                            + "` has a string command, but Buildpack API " + api + " wants an array, e.g."
                            + " command = [\"python3\", \"app.py\"].");
                }
                command.add(p.getString("command"));
            }
            if (command.isEmpty()) {
                throw new PlatformException("launch.toml of buildpack " + buildpack + ": process `" + type
                        + "` has no command.");
            }
            List<String> args = new ArrayList<>();
            if (p.isArray("args")) {
                p.getArray("args").toList().forEach(o -> args.add(String.valueOf(o)));
            }
            boolean direct = api.commandIsArray() || Boolean.TRUE.equals(p.getBoolean("direct"));
            if (api.commandIsArray() && p.contains("direct")) {
                throw new PlatformException("launch.toml of buildpack " + buildpack + ": process.direct is not"
                        + " supported on this buildpack version (Buildpack API " + api + "); remove it.");
            }
            out.add(new Process(type, command, args, direct, Boolean.TRUE.equals(p.getBoolean("default")),
                    p.getString("working-dir"), buildpack));
        }
        return out;
    }

    /** The names of build.toml's {@code [[unmet]]} entries: plan entries the buildpack did not satisfy ("" for one without a name). */
    static List<String> unmet(Path buildToml, String buildpack) {
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(buildToml)) {
            return out;
        }
        TomlParseResult toml = parse(buildToml, buildpack);
        if (toml.contains("unmet") && !toml.isArray("unmet")) {
            throw new PlatformException("build.toml of buildpack " + buildpack + ": `unmet` must be an array of tables"
                    + " ([[unmet]] with name = \"<plan entry>\").");
        }
        TomlArray unmet = toml.getArray("unmet");
        for (int i = 0; unmet != null && i < unmet.size(); i++) {
            if (!(unmet.get(i) instanceof TomlTable t)) {
                throw new PlatformException("build.toml of buildpack " + buildpack + ": `unmet` must be an array of"
                        + " tables ([[unmet]] with name = \"<plan entry>\").");
            }
            out.add(t.isString("name") ? t.getString("name") : "");
        }
        return out;
    }

    /** launch.toml [[labels]] key/value pairs. */
    static Map<String, String> labels(Path launchToml, String buildpack) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(launchToml)) {
            return out;
        }
        TomlArray labels = parse(launchToml, buildpack).getArray("labels");
        for (int i = 0; labels != null && i < labels.size(); i++) {
            TomlTable l = labels.getTable(i);
            Optional.ofNullable(l.getString("key")).ifPresent(k -> out.put(k, String.valueOf(l.getString("value"))));
        }
        return out;
    }

    static TomlParseResult parse(Path file, String buildpack) {
        try {
            TomlParseResult toml = Toml.parse(file);
            if (toml.hasErrors()) {
                var e = toml.errors().get(0);
                throw new PlatformException("buildpack " + buildpack + " wrote " + file.getFileName() + " with a TOML"
                        + " error at line " + e.position().line() + ", column " + e.position().column() + ": "
                        + e.getMessage());
            }
            return toml;
        } catch (IOException e) {
            throw new PlatformException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
