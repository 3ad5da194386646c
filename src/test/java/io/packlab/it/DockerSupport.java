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

    /**
     * Builds a stack image from {@code context} labelled for the test's lesson {@code label}, on the local base
     * {@code localBase} when the engine has it (as {@code PACKLAB_BASES=local} does), else on the Dockerfile's own.
     */
    static void buildLabelled(Engine engine, Path context, String tag, String localBase, String label) throws Exception {
        java.util.Map<String, String> args = localBase != null && engine.inspectImage(localBase).isPresent()
                ? java.util.Map.of("BASE_IMAGE", localBase) : java.util.Map.of();
        engine.build(new io.packlab.engine.BuildRequest(context, java.util.Optional.empty(), List.of(tag), args,
                java.util.Map.of(Engine.LESSON_LABEL, label), false, false), io.packlab.engine.BuildListener.silent(),
                io.packlab.engine.Cancellation.none());
    }

    /** A built-in platform labelled for the test's lesson {@code label}, its lines and buildpack output kept in {@code lines}. */
    static io.packlab.cnb.platform.BuiltinPlatform recordingPlatform(Engine engine, List<String> lines, String label) {
        return new io.packlab.cnb.platform.BuiltinPlatform(engine, new io.packlab.cnb.platform.Reporter() {
            @Override
            public void info(String line) {
                lines.add(line);
            }

            @Override
            public void output(String line) {
                lines.add(line);
            }
        }, java.util.Map.of(Engine.LESSON_LABEL, label), "test");
    }

    /** Removes the containers, images and volumes labelled for the test's lesson {@code label}. */
    static void removeLabelled(Engine engine, String label) {
        List<String> filter = Engine.labelFilter(Engine.LESSON_LABEL, label);
        engine.listContainers(filter).forEach(c -> engine.removeContainer(c.id()));
        engine.listImages(filter).forEach(i -> engine.removeImage(i.id(), true));
        engine.listVolumes(filter).forEach(engine::removeVolume);
    }
}
