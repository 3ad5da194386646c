package io.packlab.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.packlab.engine.DockerEngine;
import io.packlab.engine.EngineInfo;
import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Podman's Docker-compatible API service for the integration tests: the one {@code .ci/run} starts
 * (rootful, at {@code PACKLAB_PODMAN_SOCKET}, default {@code /run/packlab-podman/podman.sock}, with a
 * containers.conf of its own), or one a test starts itself with the containers.conf it chooses, on a
 * socket of its own (it shares Podman's image store with the first), and stops at the end.
 */
final class PodmanService implements AutoCloseable {

    static final Path SOCKET = Path.of(System.getenv().getOrDefault("PACKLAB_PODMAN_SOCKET",
            "/run/packlab-podman/podman.sock"));

    private final Process process;
    private final Path socket;

    private PodmanService(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    static String host() {
        return "unix://" + SOCKET;
    }

    /**
     * The shared Podman service answers as Podman: skipped with the reason on a developer machine
     * without it, failed in CI ({@code CI=true}), where .ci/run starts it.
     */
    static EngineInfo require() {
        String why;
        if (!Files.exists(SOCKET)) {
            why = "no Podman API socket at " + SOCKET + " (start one: sudo podman system service --time=0 "
                    + host() + " &, or set PACKLAB_PODMAN_SOCKET)";
        } else {
            try (DockerEngine engine = DockerEngine.fromEnvironment(Map.of("DOCKER_HOST", host()))) {
                EngineInfo info = engine.info();
                if (info.isPodman()) {
                    return info;
                }
                why = "the engine at " + host() + " is not Podman but " + info.kind().title() + " " + info.serverVersion();
            } catch (PacklabException e) {
                why = "the Podman API socket " + SOCKET + " does not answer: " + e.getMessage();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true, but " + why + "; .ci/run starts Podman's API service");
        }
        Assumptions.abort(why);
        return null;
    }

    /** Starts {@code podman system service} on {@code dir}/podman.sock reading {@code containersConf}. */
    static PodmanService start(Path dir, String containersConf) throws IOException, InterruptedException {
        Path conf = Files.writeString(dir.resolve("containers.conf"), containersConf);
        Path socket = dir.resolve("podman.sock");
        ProcessBuilder pb = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
                .redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile());
        pb.environment().put("CONTAINERS_CONF", conf.toString());
        PodmanService service = new PodmanService(pb.start(), socket);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (Files.exists(socket)) {
                try (DockerEngine engine = service.engine()) {
                    engine.info();
                    return service;
                } catch (PacklabException e) {
                    // not listening yet
                }
            }
            if (!service.process.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        service.close();
        fail("podman system service did not answer on " + socket + " within 30 s: "
                + Files.readString(dir.resolve("service.log")));
        return null;
    }

    String dockerHost() {
        return "unix://" + socket;
    }

    DockerEngine engine() {
        return DockerEngine.fromEnvironment(Map.of("DOCKER_HOST", dockerHost()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
