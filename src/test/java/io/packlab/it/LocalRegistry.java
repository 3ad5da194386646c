package io.packlab.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real registry for integration tests: {@code docker-registry serve} on a free loopback port,
 * storage and log in the given folder; {@link #close()} stops it.
 */
final class LocalRegistry implements AutoCloseable {

    private final Process process;
    private final String address;
    private final Path log;

    private LocalRegistry(Process process, String address, Path log) {
        this.process = process;
        this.address = address;
        this.log = log;
    }

    /** Starts a registry with its data and log under {@code dir}; waits until /v2/ answers. */
    static LocalRegistry start(Path dir) throws Exception {
        DockerSupport.requireProgram("docker-registry");
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        Path config = dir.resolve("config.yml");
        Path log = dir.resolve("registry.log");
        Files.writeString(config, "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: "
                + dir.resolve("data") + "\nhttp:\n  addr: " + address + "\n");
        Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalRegistry registry = new LocalRegistry(process, address, log);
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return registry;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        registry.close();
        throw new AssertionError("docker-registry did not start: " + Files.readString(log));
    }

    /** HOST:PORT of the registry. */
    String address() {
        return address;
    }

    /** The registry's log lines so far. */
    List<String> log() throws IOException {
        return Files.readAllLines(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
