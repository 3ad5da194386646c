package io.packlab.cnb.descriptor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A {@code package.toml} of {@code pack buildpack package}: the buildpack, its dependencies, the OS and targets,
 * validated right after parsing.
 *
 * @param os {@code [platform] os} (deprecated in pack, default {@code linux})
 */
public record PackageConfig(Path file, ModuleSource buildpack, List<ModuleSource> dependencies, String os,
        List<Target> targets) {

    private static final List<String> TOP_KEYS = List.of("buildpack", "extension", "dependencies", "platform", "targets");
    private static final String TOP_TAKES = "package.toml takes [buildpack] uri, [[dependencies]] uri or image,"
            + " [platform] os and [[targets]]";

    public PackageConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(buildpack, "buildpack");
        Objects.requireNonNull(os, "os");
        dependencies = List.copyOf(dependencies);
        targets = List.copyOf(targets);
    }

    /** What pack uses when there is no package.toml: the buildpack in {@code dir}, for linux. */
    public static PackageConfig ofBuildpack(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        return new PackageConfig(abs.resolve("package.toml"), new ModuleSource.Local(abs), List.of(), "linux", List.of());
    }

    /** The buildpack's folder (or archive) on this machine, when {@code [buildpack] uri} names one. */
    public Optional<Path> buildpackPath() {
        return buildpack.localPath();
    }

    /** Reads and validates {@code package.toml}; relative uris are resolved against its folder. */
    public static PackageConfig read(Path packageToml) {
        TomlDocument doc = TomlDocument.read(packageToml, true);
        TomlTable root = doc.root();
        doc.allowOnly(root, "", TomlDocument.START, TOP_KEYS, TOP_TAKES);
        if (root.contains("extension")) {
            throw doc.error(TomlDocument.at(root, "extension", TomlDocument.START), "[extension] packages an image extension,"
                    + " which packlab's built-in pack does not support. Package a buildpack with [buildpack] uri instead.");
        }

        Optional<TomlTable> bp = doc.table(root, "", "buildpack");
        TomlPosition bpAt = TomlDocument.at(root, "buildpack", TomlDocument.START);
        bp.ifPresent(t -> doc.allowOnly(t, "buildpack", bpAt, List.of("uri"), "[buildpack] takes only uri"));
        if (bp.isEmpty() || doc.string(bp.get(), "buildpack", "uri", "uri = \"../../buildpacks/python\"").isBlank()) {
            throw doc.error(bpAt, "missing 'buildpack.uri' configuration: package.toml must say which buildpack to package."
                    + " Add [buildpack] uri = \"<folder of buildpack.toml>\" (relative to " + doc.folder() + ").");
        }
        ModuleSource buildpack = source(doc, bp.get(), "buildpack", "uri");

        List<ModuleSource> dependencies = new ArrayList<>();
        for (TomlDocument.Element e : doc.tables(root, "", "dependencies")) {
            TomlTable t = e.table();
            doc.allowOnly(t, "dependencies", e.position(), List.of("uri", "image"), "[[dependencies]] takes uri or image");
            boolean hasUri = !doc.string(t, "dependencies", "uri", "uri = \"../other\"").isEmpty();
            boolean hasImage = !doc.string(t, "dependencies", "image", "image = \"example/other:1.0\"").isEmpty();
            if (hasUri && hasImage) {
                throw doc.error(e.position(), "dependency configured with both 'uri' and 'image': give one of them.");
            }
            if (!hasUri && !hasImage) {
                throw doc.error(e.position(), "this [[dependencies]] has neither 'uri' nor 'image'. Add uri = \"<folder, .tgz"
                        + " or .cnb>\" or image = \"<buildpackage image>\".");
            }
            dependencies.add(hasUri ? source(doc, t, "dependencies", "uri")
                    : new ModuleSource.Image(doc.string(t, "dependencies", "image", "")));
        }

        String os = "linux";
        Optional<TomlTable> platform = doc.table(root, "", "platform");
        if (platform.isPresent()) {
            TomlTable p = platform.get();
            doc.allowOnly(p, "platform", TomlDocument.at(root, "platform", TomlDocument.START), List.of("os"),
                    "[platform] takes only os");
            String declared = doc.string(p, "platform", "os", "os = \"linux\"");
            if (!declared.isEmpty()) {
                os = declared;
            }
            if (!os.equals("linux") && !os.equals("windows")) {
                throw doc.error(TomlDocument.at(p, "os", TomlDocument.START), "invalid 'platform.os' configuration: only"
                        + " ['linux', 'windows'] is permitted, found '" + os + "'. Write os = \"linux\".");
            }
        }
        return new PackageConfig(packageToml, buildpack, dependencies, os, CommonTables.targets(doc, root));
    }

    /** A {@code uri}, resolved against the folder of the toml; a local path must exist. */
    static ModuleSource source(TomlDocument doc, TomlTable table, String prefix, String key) {
        String uri = doc.string(table, prefix, key, key + " = \"../../buildpacks/python\"");
        ModuleSource source = ModuleSource.of(uri, doc.folder());
        if (source instanceof ModuleSource.Local local && !Files.exists(local.path())) {
            throw doc.error(TomlDocument.at(table, key, TomlDocument.START), "`" + TomlDocument.dotted(prefix, key) + "` is \""
                    + uri + "\", which points to " + local.path() + ", and that does not exist. A relative uri starts at the"
                    + " folder of " + doc.fileName() + " (" + doc.folder() + "); fix the path, or use docker://<image> for a"
                    + " buildpackage image.");
        }
        if (source instanceof ModuleSource.Local local) {
            java.util.Optional<String> problem = UriTargets.problem(local.path());
            if (problem.isPresent()) {
                throw doc.error(TomlDocument.at(table, key, TomlDocument.START), "`" + TomlDocument.dotted(prefix, key)
                        + "` is \"" + uri + "\", which points to " + local.path() + ": " + problem.get() + "."
                        + (relative(uri) ? " A relative uri resolves from the folder of " + doc.fileName() + " ("
                                + doc.folder() + "), not from the current folder." : "") + " Give the"
                        + " folder that holds the buildpack's buildpack.toml, or a .tgz or .tar archive of it (made inside"
                        + " that folder: tar -czf bp.tgz -C <folder> .).");
            }
        }
        return source;
    }

    private static boolean relative(String uri) {
        return !uri.startsWith("/") && !uri.toLowerCase(java.util.Locale.ROOT).startsWith("file:");
    }
}
