package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.support.FakeSocketEngine;
import io.packlab.support.FakeSocketEngine.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real command line, in-process, against broken engines on real Unix sockets (see
 * {@link FakeSocketEngine}): one that takes connections and never answers, one that fails with HTTP
 * 500, one that answers garbage, one that speaks Engine API 1.26, one that stops answering after
 * its version; and against DOCKER_HOST values packlab cannot use. Each is exit code 3 (2 for bad
 * input) with one paragraph and no stack trace, and none hangs.
 */
class FaultyEngineTest {

    /** Short waits, so that a silent engine costs a second per test (the defaults are tested in FakeSocketEngineIT). */
    private static final String QUICK = "read=1,change=2,probe=1,stream=5";
    /** A guard against hanging only: a run that takes this long is a hang. */
    private static final Duration HANG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private FakeSocketEngine engine;

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    private FakeSocketEngine start(FakeSocketEngine.Behaviour behaviour) throws Exception {
        engine = FakeSocketEngine.start(dir.resolve("e.sock"), behaviour);
        return engine;
    }

    private InProcessCli.Run run(Map<String, String> env, String... args) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        return assertTimeoutPreemptively(HANG, () -> InProcessCli.run(work, env, args), "packlab hung: "
                + String.join(" ", args));
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(engine.env());
        env.put("PACKLAB_ENGINE_TIMEOUTS", QUICK);
        env.put("PATH", "/nonexistent"); // no real pack: `run` uses the built-in platform on the fake engine
        return env;
    }

    /** Exit code, one `error:` paragraph holding every given text, no stack trace, no "bug". */
    private static void assertParagraph(InProcessCli.Run r, int code, String... contains) {
        assertEquals(code, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().filter(l -> l.startsWith("error: ")).count(), err);
        assertEquals(1, err.lines().count(), "one paragraph: " + err);
        for (String c : contains) {
            assertTrue(err.contains(c), "`" + c + "` in: " + err);
        }
        assertFalse(err.contains("Exception") || err.contains("\tat ") || err.contains("a bug in packlab"),
                "no stack trace: " + err);
    }

    /** doctor: the engine finding says {@code contains}, the other findings still come, and the exit code. */
    private static void assertDoctor(InProcessCli.Run r, int code, String... contains) {
        assertEquals(code, r.code(), r.out() + r.err());
        String finding = r.out().lines().filter(l -> l.startsWith("✘ Docker engine: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no engine finding: " + r.out()));
        for (String c : contains) {
            assertTrue(finding.contains(c), "`" + c + "` in: " + finding);
        }
        assertTrue(r.out().contains("work folder: "), "doctor goes on after the engine: " + r.out());
        assertTrue(r.out().strip().endsWith("Fix the findings marked ✘, then run doctor again."), r.out());
        assertFalse((r.out() + r.err()).contains("Exception"), r.out() + r.err());
    }

    @Test
    void aSilentEngineIsExitThreeForEveryCommandThatNeedsIt() throws Exception {
        start(FakeSocketEngine.silent());
        // a call within the fail-fast window after the first adds "(to an earlier call, ...)" after "1 s"
        String silent = "The Docker engine at " + engine.host() + " does not answer: it took the connection, but"
                + " nothing came back within 1 s";
        String asked = "when packlab tried to ask the engine for its version";
        assertParagraph(run(env(), "check", "stack"), 3, silent, asked, "sudo systemctl restart docker");
        assertDoctor(run(env(), "doctor"), 3, "does not answer", "nothing came back within 1 s");
        assertParagraph(run(env(), "run", "stack"), 3, silent, asked);
        assertParagraph(run(env(), "reset", "--yes"), 3, silent, asked);
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\n");
        assertParagraph(run(env(), "docker", "build", "-t", "x:1", ctx.toString()), 3, silent, asked);
        InProcessCli.Run status = run(env(), "status");
        assertEquals(0, status.code(), "status reads the progress file only: " + status.err());
    }

    @Test
    void checksSideBySideWaitForASilentEngineOnceNotOncePerCheck() throws Exception {
        start(FakeSocketEngine.silent());
        Map<String, String> env = new HashMap<>(env());
        env.put("PACKLAB_ENGINE_TIMEOUTS", "read=3");
        long start = System.nanoTime();
        assertParagraph(run(env, "check", "stack"), 3, "does not answer", "within 3 s");
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds < 9, "the checks shared one wait of 3 s, not one each: " + seconds + " s");
        assertEquals(1, engine.requests().stream().filter(r -> r.equals("GET /version")).count(), engine.requests()
                .toString());
    }

    @Test
    void anEngineThatStopsAnsweringAfterItsVersionIsNamedAsStopped() throws Exception {
        start(FakeSocketEngine.versionThen(FakeSocketEngine.silent()));
        Map<String, String> slower = new HashMap<>(env());
        slower.put("PACKLAB_ENGINE_TIMEOUTS", "read=2,probe=30");
        long start = System.nanoTime();
        assertParagraph(run(slower, "check", "stack"), 3, "The Docker engine at " + engine.host() + " stopped"
                + " answering while packlab was trying to inspect image", "nothing came back within 2 s");
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        // seven checks of one image: once it has not answered, the next calls do not wait again
        assertTrue(seconds < 8, "one wait of 2 s (or a few side by side), not one per check: " + seconds + " s");
        assertParagraph(run(env(), "reset", "--yes"), 3, "stopped answering while packlab was trying to list");
    }

    @Test
    void httpFiveHundredFromTheEngineIsExitThreeNamingTheCallAndTheAnswer() throws Exception {
        start(FakeSocketEngine.versionThen(FakeSocketEngine.fails("boom")));
        assertParagraph(run(env(), "check", "stack"), 3, "The Docker engine at " + engine.host() + " failed when"
                + " packlab tried to inspect image ", "it answered GET /images/", "/json with HTTP 500 and `boom`",
                "journalctl -u docker");
        assertDoctor(run(env(), "doctor"), 3, "failed when packlab tried to ask the engine about itself",
                "GET /info with HTTP 500 and `boom`");
        assertParagraph(run(env(), "run", "stack"), 3, "HTTP 500 and `boom`");
        assertParagraph(run(env(), "reset", "--yes"), 3, "failed when packlab tried to list",
                "with HTTP 500 and `boom`");
    }

    @Test
    void httpFiveHundredToTheVersionItselfIsExitThree() throws Exception {
        start(FakeSocketEngine.fails("no daemon here"));
        assertParagraph(run(env(), "check", "stack"), 3, "failed when packlab tried to ask the engine for its version",
                "GET /version with HTTP 500 and `no daemon here`");
    }

    @Test
    void garbageFromTheEngineIsExitThreeQuotingItShortened() throws Exception {
        start(FakeSocketEngine.versionThen(FakeSocketEngine.garbage()));
        assertParagraph(run(env(), "check", "stack"), 3, "failed when packlab tried to inspect image ",
                "with something that is not the JSON object the Engine API sends: `<html><body>garbage ? not json");
        assertDoctor(run(env(), "doctor"), 3, "GET /info with something that is not the JSON");
        assertParagraph(run(env(), "run", "stack"), 3, "not the JSON");
        assertParagraph(run(env(), "reset", "--yes"), 3, "failed when packlab tried to list",
                "something that is not the JSON");
    }

    @Test
    void garbageAsTheVersionIsExitThree() throws Exception {
        start(FakeSocketEngine.garbage());
        assertParagraph(run(env(), "check", "stack"), 3, "ask the engine for its version",
                "GET /version with something that is not the JSON object");
    }

    @Test
    void aVersionWithoutAnApiVersionIsExitThree() throws Exception {
        start((m, p) -> Answer.json("{\"hello\":\"world\"}"));
        assertParagraph(run(env(), "check", "stack"), 3, "its answer to GET /version has no ApiVersion");
    }

    @Test
    void anEngineThatHangsUpAtOnceIsExitThree() throws Exception {
        start((m, p) -> Answer.HANG_UP);
        assertParagraph(run(env(), "check", "stack"), 3, "packlab cannot reach a Docker engine at " + engine.host(),
                "ended before its headers did");
    }

    @Test
    void aSocketThatNoOneListensOnIsExitThree() throws Exception {
        Path socket = dir.resolve("dead.sock");
        try (var s = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            s.bind(java.net.UnixDomainSocketAddress.of(socket)); // the file stays, the listener goes
        }
        assertParagraph(run(Map.of("DOCKER_HOST", "unix://" + socket), "check", "stack"), 3,
                "packlab cannot reach a Docker engine at unix://" + socket, "connection refused");
    }

    @Test
    void anEngineOfApiOneTwentySixIsTooOldForEveryCommand() throws Exception {
        start(FakeSocketEngine.apiVersion126());
        String tooOld = "The Docker engine at " + engine.host() + " is too old for packlab: Docker 1.13.1 speaks"
                + " Engine API 1.26, and packlab needs 1.40 or newer";
        assertParagraph(run(env(), "check", "stack"), 3, tooOld);
        assertDoctor(run(env(), "doctor"), 3, tooOld);
        assertParagraph(run(env(), "run", "stack"), 3, tooOld);
        assertParagraph(run(env(), "reset", "--yes"), 3, tooOld);
        assertFalse(engine.requests().stream().anyMatch(r -> r.startsWith("GET /images")),
                "nothing is asked of an engine that is too old: " + engine.requests());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nonsense://%%%|it is not an address",
        "ftp://host|packlab does not speak ftp://",
        "ssh://user@host|cannot use an ssh:// engine",
        "ssh://user@host|ssh -nNT -L /tmp/docker.sock:/var/run/docker.sock user@host",
        "unix://|unix:// needs the socket's absolute path",
        "unix:///|unix:// needs the socket's absolute path",
        "unix://relative/docker.sock|unix:// needs the socket's absolute path",
        "tcp://|tcp:// needs a host",
        "tcp://:2375|tcp:// needs a host",
        "tcp://host:99999|port 99999 is not a TCP port",
        "tcp://host:2375/path|a tcp:// address is a host and a port alone",
        "/var/run/docker.sock|for a socket write unix:///var/run/docker.sock",
        "localhost:2375|it has no scheme; for an engine that listens on TCP write tcp://localhost:2375",
        "npipe:////./pipe/docker_engine|Windows named pipe",
        "http://localhost:2375|packlab does not speak http://",
        "'unix:///tmp/a b.sock'|the socket's path holds characters"
    })
    void aDockerHostPackLabCannotUseIsBadInputBeforeAnyConnection(String host, String reason) throws Exception {
        for (String[] command : new String[][] {{"check", "stack"}, {"reset", "--yes"}}) {
            InProcessCli.Run r = run(Map.of("DOCKER_HOST", host), command);
            assertParagraph(r, 2, "DOCKER_HOST=" + host + " is not an engine address packlab can use", reason,
                    "unix:///path/to/docker.sock or tcp://host:port", "environment variable DOCKER_HOST");
        }
        InProcessCli.Run doctor = run(Map.of("DOCKER_HOST", host), "doctor");
        assertEquals(2, doctor.code(), "bad input, for doctor too: " + doctor.out());
        assertTrue(doctor.out().contains("✘ Docker engine: DOCKER_HOST=" + host), doctor.out());
    }

    @Test
    void aVeryLongDockerHostIsShortenedInTheMessage() throws Exception {
        String host = "ftp://" + "x".repeat(100_000);
        InProcessCli.Run r = run(Map.of("DOCKER_HOST", host), "check", "stack");
        assertParagraph(r, 2, "packlab does not speak ftp://");
        assertTrue(r.err().length() < 2000, r.err().length() + " characters");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "latest|is not an API version such as 1.41",
        "1.99999999999|is not an API version such as 1.41",
        "v1.41|is not an API version such as 1.41",
        "1.24|packlab needs 1.40 or newer"
    })
    void aDockerApiVersionPackLabCannotUseIsBadInput(String api, String reason) throws Exception {
        start(FakeSocketEngine.silent());
        Map<String, String> env = new HashMap<>(env());
        env.put("DOCKER_API_VERSION", api);
        assertParagraph(run(env, "check", "stack"), 2, "DOCKER_API_VERSION=" + api, reason);
        assertEquals(java.util.List.of(), engine.requests(), "nothing was asked of the engine");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"read", "read=", "read=0", "read=-1", "nap=3", "read=1s"})
    void waitsPackLabCannotReadAreBadInput(String value) throws Exception {
        InProcessCli.Run r = run(Map.of("PACKLAB_ENGINE_TIMEOUTS", value, "DOCKER_HOST", "unix:///nonexistent.sock"),
                "check", "stack");
        assertParagraph(r, 2, "PACKLAB_ENGINE_TIMEOUTS=" + value + " is not a list of waits");
    }
}
