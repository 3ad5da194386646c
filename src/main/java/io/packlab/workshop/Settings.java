package io.packlab.workshop;

import io.packlab.step.StepRunner;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a workshop is set up: packlab's own folder (lessons, material), the learner's work folder, the
 * lesson folder and language, which engine runs pack lines, the environment, and the registry
 * (HOST:PORT) that registry steps push to, if any.
 */
public record Settings(Path home, Path workdir, Path lessons, String lang, StepRunner.PackEngine packEngine,
        Map<String, String> env, String version, java.util.Optional<String> registry) {

    public Settings {
        home = home.toAbsolutePath().normalize();
        workdir = workdir.toAbsolutePath().normalize();
        lessons = lessons.toAbsolutePath().normalize();
        env = Map.copyOf(env);
    }

    /** The environment steps run with: the process's, plus PACKLAB_REGISTRY when a registry was given. */
    public Map<String, String> stepEnv() {
        if (registry.isEmpty()) {
            return env;
        }
        Map<String, String> out = new java.util.HashMap<>(env);
        out.put("PACKLAB_REGISTRY", registry.get());
        return Map.copyOf(out);
    }

    /** The folders of tutorial material that a separate work folder receives a copy of. */
    public static final java.util.List<String> MATERIAL =
            java.util.List.of("stacks", "buildpacks", "packages", "builders", "sample-app", "packlab.toml");

    public Path progressFile() {
        return workdir.resolve(".packlab").resolve("progress.json");
    }

    /** A file's path as packlab shows it: relative to packlab's own folder when inside it, else absolute. */
    public String relative(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(home) ? home.relativize(abs).toString() : abs.toString();
    }
}
