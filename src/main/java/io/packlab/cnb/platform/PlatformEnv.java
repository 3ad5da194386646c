package io.packlab.cnb.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The environment that {@code bin/detect} and {@code bin/build} get from the platform, by the
 * platform spec's rules: user-provided variables ({@code <platform>/env/NAME}, from {@code --env}
 * and project.toml) are set over the buildpack's environment, except the POSIX path variables,
 * whose user value is prepended; a buildpack with {@code clear-env = true} does not get them (they
 * stay readable as files). Operator-defined variables ({@code <build-config>/env/}, the builder's
 * {@code [[build.env]]}) are then applied by the buildpack spec's modification rules
 * ({@code .override}, {@code .default}, {@code .prepend}, {@code .append}, {@code .delim}), where
 * a file without suffix is a default; these reach every buildpack, whatever its clear-env.
 */
final class PlatformEnv {

    /** The variables whose user-provided value is prepended, not set (platform spec, POSIX path variables). */
    static final List<String> PATH_VARIABLES = List.of("PATH", "LD_LIBRARY_PATH", "LIBRARY_PATH", "CPATH",
            "PKG_CONFIG_PATH");

    private final Map<String, String> user;
    private final Map<String, String> operator;

    /** {@code user} and {@code operator}: file name to contents, of the two env folders. */
    PlatformEnv(Map<String, String> user, Map<String, String> operator) {
        this.user = Collections.unmodifiableMap(new TreeMap<>(user));
        this.operator = Collections.unmodifiableMap(new TreeMap<>(operator));
    }

    /** No platform env at all. */
    static PlatformEnv none() {
        return new PlatformEnv(Map.of(), Map.of());
    }

    /** Reads the files of the two folders (absent folders are empty; sub-folders are not variables). */
    static PlatformEnv read(Path userDir, Path operatorDir) {
        return new PlatformEnv(files(userDir), files(operatorDir));
    }

    Map<String, String> user() {
        return user;
    }

    /**
     * The environment of one buildpack's executable: {@code base} (the build image's env with what
     * earlier buildpacks' build layers added), then the user-provided variables unless
     * {@code clearEnv}, then the operator-defined ones.
     */
    Map<String, String> apply(Map<String, String> base, boolean clearEnv) {
        Map<String, String> env = new LinkedHashMap<>(base);
        if (!clearEnv) {
            user.forEach((name, value) -> {
                String old = env.get(name);
                env.put(name, PATH_VARIABLES.contains(name) && old != null && !old.isEmpty() ? value + ":" + old : value);
            });
        }
        operator.forEach((file, value) -> {
            int dot = file.indexOf('.');
            String name = dot < 0 ? file : file.substring(0, dot);
            String action = dot < 0 ? "default" : file.substring(dot + 1);
            String delim = operator.getOrDefault(name + ".delim", "");
            String old = env.getOrDefault(name, "");
            switch (action) {
                case "override" -> env.put(name, value);
                case "default" -> {
                    if (old.isEmpty()) {
                        env.put(name, value);
                    }
                }
                case "prepend" -> env.put(name, old.isEmpty() ? value : value + delim + old);
                case "append" -> env.put(name, old.isEmpty() ? value : old + delim + value);
                default -> { /* .delim and unknown suffixes are not variables */ }
            }
        });
        return env;
    }

    private static Map<String, String> files(Path dir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.filter(Files::isRegularFile).toList()) {
                out.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
