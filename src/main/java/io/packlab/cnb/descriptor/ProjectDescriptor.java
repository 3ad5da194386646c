package io.packlab.cnb.descriptor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * {@code project.toml}, the project descriptor, in the two forms pack reads: schema 0.2
 * ({@code [_]} and {@code [io.buildpacks]}) and the older 0.1 ({@code [project]}, {@code [build]},
 * assumed when {@code [_] schema-version} is missing). Read and validated right after parsing;
 * errors name file:line:column.
 *
 * @param file          the project.toml
 * @param schemaVersion "0.1" or "0.2"
 * @param version       the project's declared version ({@code [_] version} / {@code [project] version})
 * @param sourceUrl     the project's {@code source-url}
 * @param include       gitignore-style patterns of the app files a build takes (none: all)
 * @param exclude       gitignore-style patterns of the app files a build leaves out
 * @param env           build-time environment variables, in file order
 * @param group         the buildpacks to build with instead of the builder's order (empty: the builder's)
 * @param notes         pack's warnings about the file (one sentence each)
 */
public record ProjectDescriptor(Path file, String schemaVersion, Optional<String> version, Optional<String> sourceUrl,
        List<String> include, List<String> exclude, List<EnvVar> env, List<Buildpack> group, List<String> notes) {

    /** The file name pack looks for in the app folder. */
    public static final String FILE_NAME = "project.toml";

    /** A {@code [[io.buildpacks.build.env]]} / {@code [[build.env]]} entry. */
    public record EnvVar(String name, String value) {
    }

    /** An inline buildpack's {@code script}: its Buildpack API, shell (default /bin/sh) and build script. */
    public record Script(String api, String shell, String inline) {
    }

    /**
     * A buildpack of the group: by {@code id} (and {@code version}) from the builder, by {@code uri}
     * (a folder or archive relative to the project, or a location the built-in platform cannot
     * fetch), or inline ({@code script}); {@code line}/{@code column} say where it is written.
     */
    public record Buildpack(String id, String version, Optional<ModuleSource> uri, Optional<Script> script, int line,
            int column) {
    }

    public ProjectDescriptor {
        Objects.requireNonNull(file, "file");
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        env = List.copyOf(env);
        group = List.copyOf(group);
        notes = List.copyOf(notes);
    }

    /** {@code project.toml} in {@code appDir}, read and validated; empty when there is none. */
    public static Optional<ProjectDescriptor> readIn(Path appDir) {
        Path file = appDir.resolve(FILE_NAME);
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    /** Reads and validates a project descriptor. */
    public static ProjectDescriptor read(Path file) {
        TomlDocument doc = TomlDocument.read(file, false);
        TomlTable root = doc.root();
        List<String> notes = new ArrayList<>();
        Optional<TomlTable> underscore = doc.table(root, "", "_");
        Optional<String> schema = underscore.flatMap(t -> doc.optString(t, "_", "schema-version",
                "schema-version = \"0.2\""));
        if (schema.isEmpty()) {
            notes.add("No schema version declared in project.toml, defaulting to schema version 0.1");
            return v01(doc, notes);
        }
        TomlPosition at = TomlDocument.at(underscore.get(), "schema-version", TomlDocument.START);
        return switch (schema.get()) {
            case "0.1" -> v01(doc, notes);
            case "0.2" -> v02(doc, underscore.get(), notes);
            case "0.3" -> throw doc.error(at, "project descriptor schema version 0.3 (execution environments) is not"
                    + " read by the built-in platform, which reads 0.2 and 0.1. Write schema-version = \"0.2\" (without"
                    + " exec-env keys), or install pack.");
            default -> throw doc.error(at, "unknown project descriptor schema version " + schema.get() + ". pack reads"
                    + " 0.1, 0.2 and 0.3; write schema-version = \"0.2\".");
        };
    }

    private static ProjectDescriptor v02(TomlDocument doc, TomlTable project, List<String> notes) {
        TomlTable root = doc.root();
        unsupported(project, "_", List.of("schema-version", "id", "name", "version", "authors", "documentation-url",
                "source-url", "licenses", "metadata"), notes);
        licenses(doc, project, "_");
        Optional<String> version = doc.optString(project, "_", "version", "version = \"1.0.0\"");
        Optional<String> source = doc.optString(project, "_", "source-url", "source-url = \"https://...\"");
        TomlTable io = doc.table(root, "", "io").orElse(null);
        TomlTable bp = io == null ? null : doc.table(io, "io", "buildpacks").orElse(null);
        if (bp == null) {
            return new ProjectDescriptor(doc.file(), "0.2", version, source, List.of(), List.of(), List.of(), List.of(),
                    notes);
        }
        String prefix = "io.buildpacks";
        unsupported(bp, prefix, List.of("builder", "include", "exclude", "group", "pre", "post", "build", "env"), notes);
        for (String extra : List.of("pre", "post")) {
            if (bp.contains(List.of(extra))) {
                throw doc.error(TomlDocument.at(bp, extra, TomlDocument.START), "[[" + prefix + "." + extra + ".group]]"
                        + " (buildpacks added " + (extra.equals("pre") ? "before" : "after") + " every group of the"
                        + " builder) is not run by the built-in platform. List the whole group in [[" + prefix
                        + ".group]] instead, or install pack.");
            }
        }
        doc.optString(bp, prefix, "builder", "builder = \"python:distroless\"");
        List<String> include = doc.strings(bp, prefix, "include", "include = [\"src/\", \"*.py\"]");
        List<String> exclude = doc.strings(bp, prefix, "exclude", "exclude = [\"tests/\", \"*.log\"]");
        checkIncludeExclude(doc, bp, prefix, include, exclude);
        List<EnvVar> env = new ArrayList<>();
        TomlTable build = doc.table(bp, prefix, "build").orElse(null);
        if (build != null) {
            env.addAll(env(doc, build, prefix + ".build"));
        }
        if (env.isEmpty()) { // pack's backward compatibility for the first key it documented
            doc.table(bp, prefix, "env").ifPresent(e -> env.addAll(env(doc, e, prefix + ".env", "build")));
        }
        List<Buildpack> group = buildpacks(doc, bp, prefix, "group");
        return new ProjectDescriptor(doc.file(), "0.2", version, source, include, exclude, env, group, notes);
    }

    private static ProjectDescriptor v01(TomlDocument doc, List<String> notes) {
        TomlTable root = doc.root();
        Optional<String> version = Optional.empty();
        Optional<String> source = Optional.empty();
        Optional<TomlTable> project = doc.table(root, "", "project");
        if (project.isPresent()) {
            unsupported(project.get(), "project", List.of("id", "name", "version", "authors", "documentation-url",
                    "source-url", "licenses"), notes);
            licenses(doc, project.get(), "project");
            version = doc.optString(project.get(), "project", "version", "version = \"1.0.0\"");
            source = doc.optString(project.get(), "project", "source-url", "source-url = \"https://...\"");
        }
        Optional<TomlTable> build = doc.table(root, "", "build");
        if (build.isEmpty()) {
            return new ProjectDescriptor(doc.file(), "0.1", version, source, List.of(), List.of(), List.of(), List.of(),
                    notes);
        }
        TomlTable b = build.get();
        unsupported(b, "build", List.of("include", "exclude", "buildpacks", "env", "builder"), notes);
        doc.optString(b, "build", "builder", "builder = \"python:distroless\"");
        List<String> include = doc.strings(b, "build", "include", "include = [\"src/\", \"*.py\"]");
        List<String> exclude = doc.strings(b, "build", "exclude", "exclude = [\"tests/\", \"*.log\"]");
        checkIncludeExclude(doc, b, "build", include, exclude);
        List<EnvVar> env = env(doc, b, "build");
        List<Buildpack> group = buildpacks(doc, b, "build", "buildpacks");
        return new ProjectDescriptor(doc.file(), "0.1", version, source, include, exclude, env, group, notes);
    }

    /** pack warns about keys of its own tables that the schema does not have, and ignores them. */
    private static void unsupported(TomlTable table, String prefix, List<String> known, List<String> notes) {
        for (String key : table.keySet()) {
            if (!known.contains(key)) {
                notes.add("The key " + prefix + "." + key + " declared in project.toml is not supported in this schema"
                        + " version and is ignored.");
            }
        }
    }

    private static void licenses(TomlDocument doc, TomlTable project, String prefix) {
        for (TomlDocument.Element l : doc.tables(project, prefix, "licenses")) {
            String type = doc.string(l.table(), prefix + ".licenses", "type", "type = \"MIT\"");
            String uri = doc.string(l.table(), prefix + ".licenses", "uri", "uri = \"https://...\"");
            if (type.isBlank() && uri.isBlank()) {
                throw doc.error(l.position(), "project.toml: must have a type or uri defined for each license. Add"
                        + " type = \"MIT\" (an SPDX expression) or uri = \"https://...\" to this [[" + prefix
                        + ".licenses]].");
            }
        }
    }

    private static void checkIncludeExclude(TomlDocument doc, TomlTable table, String prefix, List<String> include,
            List<String> exclude) {
        if (table.contains(List.of("include")) && table.contains(List.of("exclude"))) {
            TomlPosition i = TomlDocument.at(table, "include", TomlDocument.START);
            TomlPosition e = TomlDocument.at(table, "exclude", TomlDocument.START);
            throw doc.error(i.line() > e.line() ? i : e, "project.toml: cannot have both include and exclude defined"
                    + " in [" + prefix + "]: include lists the only files a build takes, exclude the files it leaves"
                    + " out. Keep one of them.");
        }
    }

    private static List<EnvVar> env(TomlDocument doc, TomlTable parent, String prefix) {
        return env(doc, parent, prefix, "env");
    }

    private static List<EnvVar> env(TomlDocument doc, TomlTable parent, String prefix, String key) {
        List<EnvVar> out = new ArrayList<>();
        String name = prefix + "." + key;
        for (TomlDocument.Element e : doc.tables(parent, prefix, key)) {
            String var = doc.required(e.table(), name, "name", e.position(), "name = \"JAVA_OPTS\"",
                    "Give each [[" + name + "]] a name = \"VARIABLE\" and a value = \"...\".");
            if (!var.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw doc.error(TomlDocument.at(e.table(), "name", e.position()), "`" + name + ".name` is \"" + var
                        + "\", which is not an environment variable name (letters, digits and _, not starting with"
                        + " a digit).");
            }
            out.add(new EnvVar(var, doc.string(e.table(), name, "value", "value = \"-Xmx1g\"")));
        }
        return out;
    }

    private static List<Buildpack> buildpacks(TomlDocument doc, TomlTable parent, String prefix, String key) {
        List<Buildpack> out = new ArrayList<>();
        String name = prefix + "." + key;
        for (TomlDocument.Element e : doc.tables(parent, prefix, key)) {
            TomlTable t = e.table();
            String id = doc.string(t, name, "id", "id = \"example/python\"");
            String version = doc.string(t, name, "version", "version = \"0.0.1\"");
            String uri = doc.string(t, name, "uri", "uri = \"./buildpacks/my-buildpack\"");
            Optional<TomlTable> scriptTable = doc.table(t, name, "script");
            TomlPosition at = e.position();
            if (!uri.isEmpty() && !version.isEmpty()) {
                throw doc.error(TomlDocument.at(t, "version", at), "project.toml: buildpacks cannot have both uri and"
                        + " version defined: the uri names one buildpack already. Remove the version, or the uri to"
                        + " take the version from the builder.");
            }
            if (scriptTable.isPresent()) {
                Script script = script(doc, scriptTable.get(), name + ".script", TomlDocument.at(t, "script", at));
                if (!uri.isEmpty()) {
                    throw doc.error(TomlDocument.at(t, "uri", at), "a buildpack of [[" + name + "]] is either inline"
                            + " (script) or at a uri, not both. Remove one of them.");
                }
                if (id.isEmpty()) {
                    throw doc.error(at, "an inline buildpack (with a script table) needs an id: add id ="
                            + " \"me/inline\" to this [[" + name + "]].");
                }
                out.add(new Buildpack(id, version, Optional.empty(), Optional.of(script), at.line(), at.column()));
                continue;
            }
            if (id.isEmpty() && uri.isEmpty()) {
                throw doc.error(at, "project.toml: buildpacks must have an id or url defined. Add id = \"<id>\" (a"
                        + " buildpack of the builder) or uri = \"<folder or archive>\" to this [[" + name + "]].");
            }
            Optional<ModuleSource> source = Optional.empty();
            if (!uri.isEmpty()) {
                ModuleSource s = ModuleSource.of(uri, doc.folder());
                if (s instanceof ModuleSource.Local local) {
                    Optional<String> problem = UriTargets.problem(local.path());
                    if (problem.isPresent()) {
                        throw doc.error(TomlDocument.at(t, "uri", at), "uri \"" + uri + "\" points to " + local.path()
                                + ", " + problem.get() + ". Give a buildpack folder (with buildpack.toml) or archive,"
                                + " relative to the folder of project.toml.");
                    }
                }
                source = Optional.of(s);
            }
            out.add(new Buildpack(id, version, source, Optional.empty(), at.line(), at.column()));
        }
        return out;
    }

    private static Script script(TomlDocument doc, TomlTable script, String name, TomlPosition at) {
        String api = doc.required(script, name, "api", at, "api = \"0.10\"", "Missing API version for inline"
                + " buildpack: add api = \"" + BuildpackApi.RECOMMENDED + "\" to [" + name + "].");
        TomlPosition apiAt = TomlDocument.at(script, "api", at);
        BuildpackApi parsed;
        try {
            parsed = BuildpackApi.parse(api);
        } catch (IllegalArgumentException e) {
            throw doc.error(apiAt, "`" + name + ".api` is \"" + api + "\", which is not a Buildpack API version. Write"
                    + " it as major.minor, like api = \"" + BuildpackApi.RECOMMENDED + "\".");
        }
        parsed.incompatibility().ifPresent(p -> {
            throw doc.error(apiAt, p.replace("in buildpack.toml", "in " + name));
        });
        String inline = doc.required(script, name, "inline", at, "inline = \"echo hello\"", "Add inline = \"...\""
                + " with the build script to [" + name + "].");
        String shell = doc.optString(script, name, "shell", "shell = \"/bin/bash\"").orElse("/bin/sh");
        return new Script(parsed.toString(), shell.isBlank() ? "/bin/sh" : shell, inline);
    }

    /** The label {@code io.buildpacks.project.metadata}, as pack writes it: the declared version and source url, or nothing. */
    public Map<String, Object> projectMetadata() {
        if (version.isEmpty() && sourceUrl.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", "project");
        source.put("version", Map.of("declared", version.orElse("")));
        source.put("metadata", Map.of("url", sourceUrl.orElse("")));
        return Map.of("source", source);
    }
}
