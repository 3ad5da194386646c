package io.packlab.cnb.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The environment a layer contributes, by the buildpack spec's rules: {@code bin} and {@code lib}
 * are prepended to PATH and LD_LIBRARY_PATH; files in {@code env/} and {@code env.launch/} (or
 * {@code env.build/}) named {@code NAME}, {@code NAME.override}, {@code NAME.default},
 * {@code NAME.prepend}, {@code NAME.append} (with {@code NAME.delim}) set, default or extend NAME.
 */
final class LaunchEnv {

    private final Map<String, String> vars = new LinkedHashMap<>();

    LaunchEnv(List<String> base) {
        for (String e : base) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                vars.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
    }

    /**
     * Applies one layer, found on the host at {@code local}, that lives at {@code inImage} in the
     * image; {@code phase} is "launch" or "build".
     */
    void apply(Path local, String inImage, String phase) {
        if (Files.isDirectory(local.resolve("bin"))) {
            prepend("PATH", inImage + "/bin", ":");
        }
        if (Files.isDirectory(local.resolve("lib"))) {
            prepend("LD_LIBRARY_PATH", inImage + "/lib", ":");
        }
        applyDir(local.resolve("env"));
        applyDir(local.resolve("env." + phase));
    }

    private void applyDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String var = dot < 0 ? name : name.substring(0, dot);
            String kind = dot < 0 ? "override" : name.substring(dot + 1);
            String value = read(f);
            String delim = Files.isRegularFile(dir.resolve(var + ".delim")) ? read(dir.resolve(var + ".delim")) : "";
            switch (kind) {
                case "override" -> vars.put(var, value);
                case "default" -> vars.putIfAbsent(var, value);
                case "prepend" -> prepend(var, value, delim);
                case "append" -> append(var, value, delim);
                default -> { /* .delim and unknown suffixes are not variables */ }
            }
        }
    }

    void set(String name, String value) {
        vars.put(name, value);
    }

    String get(String name) {
        return vars.get(name);
    }

    void prepend(String name, String value, String delim) {
        String old = vars.get(name);
        vars.put(name, old == null || old.isEmpty() ? value : value + delim + old);
    }

    private void append(String name, String value, String delim) {
        String old = vars.get(name);
        vars.put(name, old == null || old.isEmpty() ? value : old + delim + value);
    }

    /** As {@code NAME=value} entries, in the order they were first set. */
    List<String> entries() {
        List<String> out = new ArrayList<>();
        vars.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    Map<String, String> asMap() {
        return Map.copyOf(vars);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
