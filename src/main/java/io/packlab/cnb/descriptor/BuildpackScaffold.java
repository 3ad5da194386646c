package io.packlab.cnb.descriptor;

import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code pack buildpack new <id> --api A --path P --version V [--stacks S...] [--targets T...]} writes:
 * {@code buildpack.toml} as pack encodes it, and the bash scripts {@code bin/build} and {@code bin/detect} (mode 0755).
 */
public final class BuildpackScaffold {

    /** pack's {@code bin/detect}: passes detection for any app. */
    public static final String DETECT_SCRIPT = """
            #!/usr/bin/env bash

            exit 0
            """;

    /** pack's {@code bin/build}: reads the positional arguments and does nothing. */
    public static final String BUILD_SCRIPT = """
            #!/usr/bin/env bash

            set -euo pipefail

            layers_dir="$1"
            env_dir="$2/env"
            plan_path="$3"

            exit 0
            """;

    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> REGULAR = PosixFilePermissions.fromString("rw-r--r--");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9./-]+");

    /**
     * The flags of {@code pack buildpack new}: defaults are pack's ({@code --api 0.8}, {@code --version 1.0.0}, no stacks,
     * no targets, which means this machine's os/arch).
     */
    public record Options(String id, String api, String version, List<String> stacks, List<Target> targets) {

        public static final String DEFAULT_API = "0.8";
        public static final String DEFAULT_VERSION = "1.0.0";

        public Options {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(api, "api");
            Objects.requireNonNull(version, "version");
            stacks = List.copyOf(stacks);
            targets = List.copyOf(targets);
            if (!ID.matcher(id).matches() || Set.of("app", "config", "generated", "sbom").contains(id.toLowerCase(Locale.ROOT))) {
                throw PacklabException.usage("'" + id + "' is not a valid buildpack id: use letters, digits, '.', '/' and '-'"
                        + " (and not app, config, generated or sbom), for example example/python.");
            }
            try {
                BuildpackApi.parse(api);
            } catch (IllegalArgumentException e) {
                throw PacklabException.usage("could not parse '" + api + "' as version: --api takes a Buildpack API version"
                        + " major.minor, for example --api " + DEFAULT_API + ".");
            }
            if (version.isBlank()) {
                throw PacklabException.usage("--version must not be empty: give the buildpack's version, for example"
                        + " --version 0.0.1.");
            }
            if (stacks.stream().anyMatch(String::isBlank)) {
                throw PacklabException.usage("--stacks must not name an empty stack id: give ids such as"
                        + " io.buildpacks.stacks.jammy, or * for any stack.");
            }
        }

        /** pack's defaults for {@code id}. */
        public static Options of(String id) {
            return new Options(id, DEFAULT_API, DEFAULT_VERSION, List.of(), List.of());
        }

        public Options withApi(String other) {
            return new Options(id, other, version, stacks, targets);
        }

        public Options withVersion(String other) {
            return new Options(id, api, other, stacks, targets);
        }

        public Options withStacks(List<String> other) {
            return new Options(id, api, version, other, targets);
        }

        public Options withTargets(List<Target> other) {
            return new Options(id, api, version, stacks, other);
        }

        /**
         * The targets buildpack.toml gets: the given ones; when neither stacks nor targets are given, pack's default,
         * this machine's os/arch.
         */
        public List<Target> targetsToWrite() {
            if (targets.isEmpty() && stacks.isEmpty()) {
                Target host = Target.host();
                return List.of(new Target(host.os(), host.arch(), "", List.of()));
            }
            return targets;
        }
    }

    private BuildpackScaffold() {
    }

    /**
     * Writes buildpack.toml, bin/build and bin/detect into {@code dir} (created if needed) and returns them in that order;
     * refuses, writing nothing, when any of them already exists.
     */
    public static List<Path> create(Path dir, Options options) {
        Path toml = dir.resolve("buildpack.toml");
        Path bin = dir.resolve("bin");
        Path build = bin.resolve("build");
        Path detect = bin.resolve("detect");
        List<Path> existing = new ArrayList<>();
        for (Path p : List.of(toml, build, detect)) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                existing.add(p);
            }
        }
        if (!existing.isEmpty()) {
            List<String> names = existing.stream().map(p -> dir.relativize(p).toString().replace('\\', '/')).toList();
            throw new DescriptorException(existing.get(0), 1, 1, String.join(" and ", names) + (names.size() > 1
                    ? " already exist" : " already exists") + " in " + dir + ", and pack buildpack new writes nothing when"
                    + " any of buildpack.toml, bin/build and bin/detect exists. Move " + (names.size() > 1 ? "them" : "it")
                    + " away, or scaffold into another folder with --path.");
        }
        for (Path folder : List.of(dir, bin)) {
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                throw new DescriptorException(folder, 1, 1, "this is a file, but pack buildpack new needs a folder here to"
                        + " write the buildpack into. Move the file away, or choose another --path.");
            }
        }
        String text = buildpackToml(options);
        try {
            createFolder(dir);
            write(toml, text, REGULAR);
            createFolder(bin);
            write(build, BUILD_SCRIPT, EXECUTABLE);
            write(detect, DETECT_SCRIPT, EXECUTABLE);
        } catch (FileAlreadyExistsException e) {
            throw new DescriptorException(Path.of(e.getFile()), 1, 1, "appeared while pack buildpack new was writing the"
                    + " buildpack; it was left as it is. Remove it and run the command again.");
        } catch (IOException e) {
            throw PacklabException.failed("pack buildpack new could not write into " + dir + ": " + e.getMessage()
                    + ". Check that the folder is writable.");
        }
        return List.of(toml, build, detect);
    }

    /** The buildpack.toml pack writes for these options, in the layout of its TOML encoder (BurntSushi/toml). */
    public static String buildpackToml(Options options) {
        StringBuilder s = new StringBuilder();
        s.append("api = ").append(quoted(BuildpackApi.parse(options.api()).toString())).append('\n');
        // pack's BuildpackDescriptor has two exported fields without TOML tags, which its encoder writes as they are
        s.append("WithWindowsBuild = false\n");
        s.append("WithLinuxBuild = false\n");
        s.append("\n[buildpack]\n");
        s.append("  id = ").append(quoted(options.id())).append('\n');
        s.append("  version = ").append(quoted(options.version())).append('\n');
        for (String stack : options.stacks()) {
            s.append("\n[[stacks]]\n");
            s.append("  id = ").append(quoted(stack)).append('\n');
        }
        for (Target target : options.targetsToWrite()) {
            s.append("\n[[targets]]\n");
            s.append("  os = ").append(quoted(target.os())).append('\n');
            s.append("  arch = ").append(quoted(target.arch())).append('\n');
            if (!target.variant().isEmpty()) {
                s.append("  variant = ").append(quoted(target.variant())).append('\n');
            }
            for (Distro distro : target.distros()) {
                s.append("\n  [[targets.distros]]\n");
                if (!distro.name().isEmpty()) {
                    s.append("    name = ").append(quoted(distro.name())).append('\n');
                }
                if (!distro.version().isEmpty()) {
                    s.append("    version = ").append(quoted(distro.version())).append('\n');
                }
            }
        }
        return s.toString();
    }

    private static String quoted(String value) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\b' -> s.append("\\b");
                case '\t' -> s.append("\\t");
                case '\n' -> s.append("\\n");
                case '\f' -> s.append("\\f");
                case '\r' -> s.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        s.append(String.format("\\u%04X", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }

    private static void createFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
            setMode(folder, EXECUTABLE);
        }
    }

    private static void write(Path file, String text, Set<PosixFilePermission> mode) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        setMode(file, mode);
    }

    private static void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
        try {
            Files.setPosixFilePermissions(path, mode);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): modes do not exist there
            path.toFile().setExecutable(mode.contains(PosixFilePermission.OWNER_EXECUTE));
        }
    }
}
