package io.packlab.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.EngineInfo;
import io.packlab.error.PacklabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;

/**
 * Integration tests need a real Docker engine. On a developer machine without one they are
 * skipped; in CI ({@code CI=true}) a missing engine fails them.
 */
final class DockerSupport {

    private DockerSupport() {
    }

    static EngineInfo requireDocker() {
        try (DockerEngine engine = DockerEngine.fromEnvironment(System.getenv())) {
            return engine.info();
        } catch (PacklabException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true, but no Docker engine answers, and the integration tests must run in CI: " + e.getMessage());
            }
            Assumptions.abort("no Docker engine here (" + e.getMessage() + ")");
            return null;
        }
    }

    /** Requires a Docker engine (see {@link #requireDocker()}) and connects to it; the caller closes it. */
    static DockerEngine engine() {
        requireDocker();
        return DockerEngine.fromEnvironment(System.getenv());
    }

    static void requireProgram(String program) {
        boolean found = System.getenv().getOrDefault("PATH", "").lines().findAny().isPresent()
                && java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                        .anyMatch(d -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(d, program)));
        if (!found) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true, but " + program + " is not installed; .ci/run installs it.");
            }
            Assumptions.abort(program + " is not installed");
        }
    }

    /**
     * What a fault must not leave behind: every container ({@code docker ps -a}), every volume
     * ({@code docker volume ls}) and every dangling image of the engine.
     */
    static Set<String> leftovers(Engine engine) {
        Set<String> s = new TreeSet<>();
        engine.listContainers(List.of()).forEach(c -> s.add("container " + c.id() + " " + c.image()));
        engine.listVolumes(List.of()).forEach(v -> s.add("volume " + v));
        engine.listImages(List.of()).stream().filter(i -> i.repoTags().isEmpty())
                .forEach(i -> s.add("dangling " + i.id()));
        return s;
    }

    static Set<String> leftovers(ScratchDaemon daemon) {
        try (DockerEngine engine = daemon.engine()) {
            return leftovers(engine);
        }
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** A builder.toml with one buildpack (its folder, id example/python) on the tutorial's stack images. */
    static String builderToml(Path buildpack, String buildImage, String runImage) {
        return """
                [[buildpacks]]
                uri = "%s"

                [[order]]
                  [[order.group]]
                  id = "example/python"

                [stack]
                id = "com.example.stacks.distroless-python"
                build-image = "%s"
                run-image = "%s"
                """.formatted(buildpack, buildImage, runImage);
    }

    /** The names of the temporary folders packlab made (packlab-*), to see that none is left. */
    static List<String> packlabTemps() throws Exception {
        try (var list = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("packlab-")).sorted().toList();
        }
    }

    /**
     * The temporary folders of this test process only: an in-process build's leftovers, without those
     * of other packlab processes on the machine (another checkout's tests, a learner's shell).
     */
    static List<String> ownTemps() throws Exception {
        String ours = "packlab-" + ProcessHandle.current().pid() + "-";
        return packlabTemps().stream().filter(n -> n.startsWith(ours)).toList();
    }
}
