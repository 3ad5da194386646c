package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --classroom} and {@code --name} on the command line: refused before anything runs when unusable. */
class ClassroomOptionsTest {

    private static final String URL = "http://127.0.0.1:9/join/abcdefghijklmnopqrstuvwxyz";

    @TempDir
    Path work;

    private long entries() throws Exception {
        try (Stream<Path> s = Files.list(work)) {
            return s.count();
        }
    }

    @Test
    void aBadUrlIsRefusedBeforeAnythingRuns() throws Exception {
        InProcessCli.Run r = InProcessCli.run(work, "--classroom", "http://127.0.0.1/join/abc", "--name", "Aiko",
                "run", "1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: the classroom URL `http://127.0.0.1/join/abc` (--classroom) cannot be used:"
                + " it names no port (HOST:PORT)."), r.err());
        assertTrue(r.err().lines().count() <= 3 && !r.err().contains("\tat "), "one paragraph: " + r.err());
        assertEquals(0, entries(), "nothing was made in the work folder");
    }

    @Test
    void aMissingOrTooLongNameIsRefused() throws Exception {
        InProcessCli.Run r = InProcessCli.run(work, "--classroom", URL, "status");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no name to show there"), r.err());
        r = InProcessCli.run(work, Map.of("PACKLAB_CLASSROOM", URL, "PACKLAB_NAME", "n".repeat(65)), "status");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("(PACKLAB_NAME, `"), r.err());
        assertEquals(0, entries());
    }

    @Test
    void theFlagComesBeforePacklabToml() throws Exception {
        Files.writeString(work.resolve("packlab.toml"), "[classroom]\nurl = \"http://wrong/join/x\"\nname = \"T\"\n");
        InProcessCli.Run r = InProcessCli.run(work, "status");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("packlab.toml:2) cannot be used"), r.err());
        r = InProcessCli.run(work, "--classroom", URL, "status");
        assertEquals(0, r.code(), r.err());
        r = InProcessCli.run(work, Map.of("PACKLAB_CLASSROOM", URL), "status", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"format\" : 1"), r.out());
    }

    @Test
    void theOptionsAreListedInTheHelp() {
        InProcessCli.Run r = InProcessCli.run(work, "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("--classroom=URL") && r.out().contains("--name=NAME"), r.out());
    }

    /** doctor says whether the classroom answers; the engine is absent here (DOCKER_HOST names no socket). */
    @Test
    void doctorChecksTheClassroom() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", exchange -> {
            try (exchange) {
                boolean right = exchange.getRequestURI().getPath().equals("/join/abcdefghijklmnopqrstuvwxyz");
                byte[] doc = "{\"protocol\":1,\"classroom\":\"packlab\"}".getBytes();
                exchange.sendResponseHeaders(right ? 200 : 403, right ? doc.length : -1);
                if (right) {
                    exchange.getResponseBody().write(doc);
                }
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/join/";
            Map<String, String> noEngine = Map.of("DOCKER_HOST", "unix://" + work.resolve("no-docker.sock"));
            InProcessCli.Run r = InProcessCli.run(work, noEngine, "--classroom", base + "abcdefghijklmnopqrstuvwxyz",
                    "--name", "Aiko", "doctor");
            assertTrue(r.out().contains("classroom at 127.0.0.1:" + server.getAddress().getPort()
                    + " answers (HTTP 200, protocol 1): your progress shows there as Aiko"), r.out() + r.err());
            r = InProcessCli.run(work, noEngine, "--classroom", base + "z".repeat(26), "--name", "Aiko", "doctor");
            assertTrue(r.out().contains(": the code is wrong (HTTP 403)"), r.out() + r.err());
        } finally {
            server.stop(0);
        }
        InProcessCli.Run r = InProcessCli.run(work, Map.of("DOCKER_HOST", "unix://" + work.resolve("no-docker.sock")),
                "--classroom", "http://127.0.0.1:" + server.getAddress().getPort() + "/join/" + "a".repeat(26),
                "--name", "Aiko", "doctor");
        assertTrue(r.out().contains(" is not reachable (connection refused): check that this machine is on the room's"
                + " network"), r.out() + r.err());
        assertEquals(3, r.code(), "the engine's absence decides the exit code");
    }
}
