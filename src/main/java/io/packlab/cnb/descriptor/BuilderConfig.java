package io.packlab.cnb.descriptor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A {@code builder.toml} of {@code pack builder create}, validated right after parsing; {@code [build]}/{@code [[run.images]]}
 * and the deprecated {@code [stack]} fill each other as in pack, the newer form winning where both name an image.
 *
 * @param runImages the run images, the first being the one builds use; never empty
 * @param notes     what packlab accepted but does not act on, and pack's warnings (one sentence each)
 */
public record BuilderConfig(
        Path file,
        String description,
        List<BuildpackEntry> buildpacks,
        List<OrderGroup> order,
        Optional<String> stackId,
        String buildImage,
        List<RunImage> runImages,
        List<BuildEnv> buildEnv,
        List<Target> targets,
        List<String> notes) {

    /** A {@code [[buildpacks]]} entry: id and version (empty when not given) and where it comes from. */
    public record BuildpackEntry(String id, String version, ModuleSource source) {
        public BuildpackEntry {
            id = Objects.requireNonNullElse(id, "");
            version = Objects.requireNonNullElse(version, "");
            Objects.requireNonNull(source, "source");
        }

        /** The folder (or archive) on this machine, when the entry names one. */
        public Optional<Path> path() {
            return source.localPath();
        }

        /** {@code id@version} as far as given, else where it comes from. */
        public String displayName() {
            if (id.isEmpty()) {
                return source.toString();
            }
            return version.isEmpty() ? id : id + "@" + version;
        }
    }

    /** A {@code [[run.images]]} entry: the image and its mirrors. */
    public record RunImage(String image, List<String> mirrors) {
        public RunImage {
            Objects.requireNonNull(image, "image");
            mirrors = List.copyOf(mirrors);
        }
    }

    /** A {@code [[build.env]]} entry for {@code /cnb/build-config/env/<name>[.<suffix>]}; suffix and delim empty when not given. */
    public record BuildEnv(String name, String value, String suffix, String delim) {
        public BuildEnv {
            Objects.requireNonNull(name, "name");
            value = Objects.requireNonNullElse(value, "");
            suffix = Objects.requireNonNullElse(suffix, "");
            delim = Objects.requireNonNullElse(delim, "");
        }

        /** The file name under {@code /cnb/build-config/env}: the name, plus {@code .<suffix>} when there is one. */
        public String fileName() {
            return suffix.isEmpty() ? name : name + "." + suffix;
        }
    }

    private static final List<String> TOP_KEYS = List.of("description", "buildpacks", "extensions", "order",
            "order-extensions", "stack", "lifecycle", "run", "build", "targets", "system");
    private static final String TOP_TAKES = "builder.toml takes description, [[buildpacks]], [[order]], [build], [[run.images]],"
            + " [stack], [lifecycle] and [[targets]]";
    private static final Set<String> SUFFIXES = Set.of("", "default", "override", "append", "prepend");

    public BuilderConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(buildImage, "buildImage");
        buildpacks = List.copyOf(buildpacks);
        order = List.copyOf(order);
        runImages = List.copyOf(runImages);
        if (runImages.isEmpty()) {
            throw new IllegalArgumentException("a builder has at least one run image");
        }
        buildEnv = List.copyOf(buildEnv);
        targets = List.copyOf(targets);
        notes = List.copyOf(notes);
    }

    /** The run image builds use: the first of {@code [[run.images]]} (or {@code [stack] run-image}). */
    public String runImage() {
        return runImages.get(0).image();
    }

    /** The mirrors of {@link #runImage()}. */
    public List<String> runImageMirrors() {
        return runImages.get(0).mirrors();
    }

    /**
     * The files pack writes to {@code /cnb/build-config/env} for {@code [[build.env]]}: {@code <name>[.<suffix>]} holds the value,
     * {@code <name>.delim} the delimiter; in file order, a later entry for the same file wins.
     */
    public Map<String, String> platformEnv() {
        Map<String, String> files = new LinkedHashMap<>();
        for (BuildEnv env : buildEnv) {
            files.put(env.fileName(), env.value());
            if (!env.delim().isEmpty()) {
                files.put(env.name() + ".delim", env.delim());
            }
        }
        return Collections.unmodifiableMap(files);
    }

    /** Reads and validates {@code builder.toml}; relative buildpack uris are resolved against its folder. */
    public static BuilderConfig read(Path builderToml) {
        TomlDocument doc = TomlDocument.read(builderToml, true);
        TomlTable root = doc.root();
        doc.allowOnly(root, "", TomlDocument.START, TOP_KEYS, TOP_TAKES);
        for (String unsupported : List.of("extensions", "order-extensions", "system")) {
            if (root.contains(List.of(unsupported))) {
                throw doc.error(TomlDocument.at(root, unsupported, TomlDocument.START), "packlab's built-in pack does not"
                        + " support `" + unsupported + "` (image extensions and system buildpacks). Remove it from "
                        + doc.fileName() + ", or use the real pack CLI for this builder.");
            }
        }
        List<String> notes = new ArrayList<>();
        String description = doc.string(root, "", "description", "description = \"...\"");
        List<BuildpackEntry> buildpacks = buildpacks(doc, root);
        List<String> moduleRefKeys = new ArrayList<>(CommonTables.MODULE_INFO_KEYS);
        moduleRefKeys.add("optional");
        List<OrderGroup> order = CommonTables.order(doc, root, false, moduleRefKeys);
        if (order.isEmpty()) {
            notes.add("empty 'order' definition: the builder will detect no buildpacks; add [[order]] with [[order.group]].");
        }

        // [stack] (deprecated) and its modern forms [build] image and [[run.images]]
        Optional<TomlTable> stack = doc.table(root, "", "stack");
        TomlPosition stackAt = TomlDocument.where(root, "stack");
        String stackId = "";
        String stackBuild = "";
        String stackRun = "";
        List<String> stackMirrors = List.of();
        if (stack.isPresent()) {
            TomlTable s = stack.get();
            doc.allowOnly(s, "stack", stackAt, List.of("id", "build-image", "run-image", "run-image-mirrors"),
                    "[stack] takes id, build-image, run-image and run-image-mirrors");
            stackId = doc.string(s, "stack", "id", "id = \"com.example.stacks.distroless-python\"");
            stackBuild = doc.string(s, "stack", "build-image", "build-image = \"distroless-python:build\"");
            stackRun = doc.string(s, "stack", "run-image", "run-image = \"distroless-python:run\"");
            stackMirrors = doc.strings(s, "stack", "run-image-mirrors", "run-image-mirrors = [\"registry.example.com/run\"]");
            notes.add("[stack] is deprecated (Platform API 0.12): write [build] image and [[run.images]] image instead;"
                    + " pack still reads it.");
        }

        Optional<TomlTable> build = doc.table(root, "", "build");
        TomlPosition buildAt = TomlDocument.where(root, "build");
        String buildImage = "";
        List<BuildEnv> env = List.of();
        if (build.isPresent()) {
            TomlTable b = build.get();
            doc.allowOnly(b, "build", buildAt, List.of("image", "env"), "[build] takes image and [[build.env]]");
            buildImage = doc.string(b, "build", "image", "image = \"distroless-python:build\"");
            env = buildEnv(doc, b);
        }

        Optional<TomlTable> run = doc.table(root, "", "run");
        TomlPosition runAt = TomlDocument.where(root, "run");
        List<RunImage> runImages = new ArrayList<>();
        if (run.isPresent()) {
            doc.allowOnly(run.get(), "run", runAt, List.of("images"), "[run] takes only [[run.images]]");
            for (TomlDocument.Element e : doc.tables(run.get(), "run", "images")) {
                doc.allowOnly(e.table(), "run.images", e.position(), List.of("image", "mirrors"),
                        "[[run.images]] takes image and mirrors");
                String image = doc.string(e.table(), "run.images", "image", "image = \"distroless-python:run\"");
                if (image.isBlank()) {
                    throw doc.error(e.position(), "run.images.image is required: every [[run.images]] names an image."
                            + " Add image = \"<run image>\".");
                }
                runImages.add(new RunImage(image, doc.strings(e.table(), "run.images", "mirrors",
                        "mirrors = [\"registry.example.com/run\"]")));
            }
        }

        // pack's ReadConfig merges [stack] into [build]/[[run.images]] before ValidateConfig runs, the newer form
        // winning: a [stack] that differs is overridden without a word, and its mismatch errors never fire
        if (!buildImage.isEmpty() && !stackBuild.isEmpty() && !buildImage.equals(stackBuild)) {
            notes.add("[stack] build-image \"" + stackBuild + "\" is not used: [build] image \"" + buildImage + "\""
                    + " wins, as in pack, which overrides it without a word. Remove build-image from [stack] or make"
                    + " them the same.");
        }
        if (!runImages.isEmpty() && !stackRun.isEmpty() && !runImages.get(0).image().equals(stackRun)) {
            notes.add("[stack] run-image \"" + stackRun + "\" is not used: the first [[run.images]] image \""
                    + runImages.get(0).image() + "\" wins, as in pack, which overrides it without a word. Remove run-image"
                    + " from [stack] or make them the same.");
        }
        String effectiveBuild = buildImage.isEmpty() ? stackBuild : buildImage;
        if (runImages.isEmpty() && !stackRun.isEmpty()) {
            runImages.add(new RunImage(stackRun, stackMirrors));
        }
        if (effectiveBuild.isEmpty()) {
            throw doc.error(firstOf(buildAt, stackAt), "build.image is required: the builder is made from a build image."
                    + " Add [build] image = \"<build image>\" (or build-image in the deprecated [stack]).");
        }
        if (runImages.isEmpty()) {
            throw doc.error(firstOf(runAt, stackAt), "run.images are required: the app images are made from a run image."
                    + " Add [[run.images]] image = \"<run image>\" (or run-image in the deprecated [stack]).");
        }

        lifecycle(doc, root).ifPresent(notes::add);
        return new BuilderConfig(builderToml, description, buildpacks, order,
                stackId.isEmpty() ? Optional.empty() : Optional.of(stackId), effectiveBuild, runImages, env,
                CommonTables.targets(doc, root), notes);
    }

    private static TomlPosition firstOf(TomlPosition a, TomlPosition b) {
        return a != null ? a : b != null ? b : TomlDocument.START;
    }

    private static List<BuildpackEntry> buildpacks(TomlDocument doc, TomlTable root) {
        List<String> keys = new ArrayList<>(CommonTables.MODULE_INFO_KEYS);
        keys.add("uri");
        keys.add("image");
        List<BuildpackEntry> out = new ArrayList<>();
        for (TomlDocument.Element e : doc.tables(root, "", "buildpacks")) {
            TomlTable t = e.table();
            doc.allowOnly(t, "buildpacks", e.position(), keys, "[[buildpacks]] takes id, version and uri or image");
            String id = doc.string(t, "buildpacks", "id", "id = \"example/python\"");
            String version = doc.string(t, "buildpacks", "version", "version = \"0.0.1\"");
            boolean hasUri = !doc.string(t, "buildpacks", "uri", "uri = \"../../buildpacks/python\"").isEmpty();
            String image = doc.string(t, "buildpacks", "image", "image = \"example/python-package:0.0.1\"");
            String what = id.isEmpty() ? "this [[buildpacks]] entry" : "the buildpack " + id;
            if (hasUri && !image.isEmpty()) {
                throw doc.error(e.position(), what + " is configured with both 'uri' and 'image': give one of them.");
            }
            if (!hasUri && image.isEmpty()) {
                throw doc.error(e.position(), what + " has neither 'uri' nor 'image', so pack cannot find it. Add uri ="
                        + " \"<folder, .tgz or .cnb, relative to " + doc.fileName() + ">\" or image = \"<buildpackage image>\".");
            }
            ModuleSource source = hasUri ? PackageConfig.source(doc, t, "buildpacks", "uri") : new ModuleSource.Image(image);
            out.add(new BuildpackEntry(id, version, source));
        }
        return out;
    }

    private static List<BuildEnv> buildEnv(TomlDocument doc, TomlTable build) {
        List<BuildEnv> out = new ArrayList<>();
        for (TomlDocument.Element e : doc.tables(build, "build", "env")) {
            TomlTable t = e.table();
            doc.allowOnly(t, "build.env", e.position(), List.of("name", "value", "suffix", "delim", "exec-env"),
                    "[[build.env]] takes name, value, suffix and delim");
            String name = doc.string(t, "build.env", "name", "name = \"BP_PYTHON_VERSION\"");
            if (name.isBlank()) {
                throw doc.error(e.position(), "env name should not be empty: every [[build.env]] needs name = \"<VARIABLE>\".");
            }
            String value = doc.string(t, "build.env", "value", "value = \"3.12\"");
            String suffix = doc.string(t, "build.env", "suffix", "suffix = \"append\"");
            String delim = doc.string(t, "build.env", "delim", "delim = \":\"");
            if (!SUFFIXES.contains(suffix)) {
                throw doc.error(TomlDocument.at(t, "suffix", e.position()), "unknown action type '" + suffix + "' in"
                        + " `build.env.suffix`: use default, override, append or prepend (or leave it out).");
            }
            if ((suffix.equals("append") || suffix.equals("prepend")) && delim.isEmpty()) {
                throw doc.error(TomlDocument.at(t, "suffix", e.position()), "env with name/key '" + name + "' with suffix '"
                        + suffix + "' must have a 'delim' value: add delim = \":\" (what goes between the values).");
            }
            out.add(new BuildEnv(name, value, suffix, delim));
        }
        return out;
    }

    private static Optional<String> lifecycle(TomlDocument doc, TomlTable root) {
        Optional<TomlTable> lifecycle = doc.table(root, "", "lifecycle");
        if (lifecycle.isEmpty()) {
            return Optional.empty();
        }
        TomlTable l = lifecycle.get();
        TomlPosition at = TomlDocument.at(root, "lifecycle", TomlDocument.START);
        doc.allowOnly(l, "lifecycle", at, List.of("version", "uri"), "[lifecycle] takes version or uri");
        String version = doc.string(l, "lifecycle", "version", "version = \"0.20.0\"");
        String uri = doc.string(l, "lifecycle", "uri", "uri = \"https://...\"");
        if (!version.isEmpty() && !uri.isEmpty()) {
            throw doc.error(at, "'lifecycle' can only declare 'version' or 'uri', not both. Keep one of them.");
        }
        String what = !version.isEmpty() ? "version = \"" + version + "\"" : !uri.isEmpty() ? "uri = \"" + uri + "\"" : "";
        return Optional.of("[lifecycle] " + what + (what.isEmpty() ? "" : " ") + "is accepted and ignored by packlab's"
                + " built-in pack.");
    }
}
