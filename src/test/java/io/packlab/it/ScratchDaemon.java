package io.packlab.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.error.PacklabException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A second, real {@code dockerd} of the test's own (own socket, data root, exec root and bridge),
 * so that a test can stop it, crash it or fill its disk without touching the engine the other tests
 * share. Its data root can sit on a size-limited tmpfs. Needs root and dockerd; in CI
 * ({@code CI=true}) their absence fails the test instead of skipping it.
 */
final class ScratchDaemon implements AutoCloseable {

    private final Path dir;
    private final Optional<String> tmpfsSize;
    private Process process;
    private String bridge;
    /** More dockerd options (another listener, TLS), after the ones every scratch daemon has. */
    private List<String> extra = List.of();

    private ScratchDaemon(Path dir, Optional<String> tmpfsSize) {
        this.dir = dir;
        this.tmpfsSize = tmpfsSize;
    }

    /** Starts a daemon under {@code dir}; with {@code tmpfsSize} (such as "64m") its data root is a tmpfs that small. */
    static ScratchDaemon start(Path dir, Optional<String> tmpfsSize) throws Exception {
        return start(dir, tmpfsSize, "plit", 213, List.of());
    }

    /**
     * A daemon that also takes {@code options} (for example a TLS listener on a loopback address), with
     * a bridge and subnet (10.214.N.0/24) of other names than {@link #start(Path, Optional)}'s.
     */
    static ScratchDaemon startWith(Path dir, List<String> options) throws Exception {
        return start(dir, Optional.empty(), "plrm", 214, options);
    }

    private static ScratchDaemon start(Path dir, Optional<String> tmpfsSize, String prefix, int net,
            List<String> options) throws Exception {
        DockerSupport.requireProgram("dockerd");
        if (!"root".equals(System.getProperty("user.name"))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true, but the tests do not run as root: a scratch dockerd needs root");
            }
            Assumptions.abort("a scratch dockerd needs root");
        }
        ScratchDaemon d = new ScratchDaemon(dir, tmpfsSize);
        d.extra = List.copyOf(options);
        Files.createDirectories(d.root());
        Files.createDirectories(dir.resolve("exec"));
        if (tmpfsSize.isPresent()) {
            d.sh("mount", "-t", "tmpfs", "-o", "size=" + tmpfsSize.get(), "packlab-it", d.root().toString());
        }
        // a bridge of its own: with --bridge=none dockerd would delete docker0, the shared engine's bridge
        int n = new java.util.Random().nextInt(200) + 20;
        d.bridge = prefix + ProcessHandle.current().pid() % 10000 + "x" + n;
        d.sh("ip", "link", "add", "name", d.bridge, "type", "bridge");
        d.sh("ip", "addr", "add", "10." + net + "." + n + ".1/24", "dev", d.bridge);
        d.sh("ip", "link", "set", d.bridge, "up");
        d.startProcess();
        return d;
    }

    private Path root() {
        return dir.resolve("root");
    }

    /** The DOCKER_HOST of this daemon. */
    String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    Map<String, String> env() {
        return Map.of("DOCKER_HOST", host());
    }

    DockerEngine engine() {
        return DockerEngine.fromEnvironment(env());
    }

    private void startProcess() throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("dockerd", "--data-root", root().toString(),
                "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("docker.pid").toString(),
                "-H", host(), "--bridge=" + bridge, "--iptables=false", "--ip-masq=false"));
        command.addAll(extra);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
                .start();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            try (DockerEngine e = engine()) {
                e.info();
                return;
            } catch (PacklabException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the scratch dockerd did not start: " + Files.readString(dir.resolve("dockerd.log")));
    }

    /** Copies images from the shared engine into this one (docker save | docker load, through the API). */
    void copyFrom(Engine from, List<String> references) throws IOException {
        try (InputStream tar = from.saveImages(references); DockerEngine to = engine()) {
            to.loadImage(tar);
        }
    }

    /** A graceful stop (SIGTERM, as `systemctl stop docker` does); waits until the daemon is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** A crash (SIGKILL): the daemon goes at once, its containers' processes are not stopped by it. */
    void crash() throws Exception {
        process.destroyForcibly().waitFor();
        // dockerd's own containerd goes too (with systemd it would be restarted as a service); a killed
        // containerd whose pid is not reaped yet would make the next dockerd wait for it forever
        Path pidFile = dir.resolve("exec/containerd/containerd.pid");
        if (Files.exists(pidFile)) {
            String pid = Files.readString(pidFile).strip();
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (running(pid) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            Files.deleteIfExists(pidFile);
        }
    }

    private static boolean running(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }

    void restart() throws Exception {
        startProcess();
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            try (DockerEngine e = engine()) {
                e.listContainers(List.of()).forEach(c -> e.removeContainer(c.id()));
            } catch (RuntimeException gone) {
                // stopping it anyway
            }
            stop();
        }
        // dockerd leaves its data root bind-mounted (and the tmpfs is ours): unmount the deepest first
        List<String> mounts = Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" ")[1])
                .filter(m -> m.startsWith(dir.toString())).sorted(java.util.Comparator.reverseOrder()).toList();
        for (String m : mounts) {
            sh("umount", "-l", m);
        }
        sh("rm", "-rf", dir.toString());
        if (bridge != null) {
            sh("ip", "link", "delete", bridge);
        }
    }

    private void sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
