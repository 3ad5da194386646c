package io.packlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.support.FakeSocketEngine;
import io.packlab.support.FakeSocketEngine.Answer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming calls of {@link DockerEngine} (load, save, build) against engines on real Unix
 * sockets that start and then go silent: given up by the progress rule, as exit code 3 naming the
 * call, whether the engine still answers pings (then after the longest wait) or not (then at the
 * first ping).
 */
class DockerEngineStreamsTest {

    private static final Duration HANG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static FakeSocketEngine.Behaviour pingsThen(boolean pings, FakeSocketEngine.Behaviour rest) {
        return (m, p) -> switch (p) {
            case "/_ping" -> pings ? new Answer(200, "text/plain", "OK") : null;
            case "/version" -> Answer.json(FakeSocketEngine.VERSION_141);
            case "/info" -> Answer.json("{\"Driver\":\"overlay2\"}");
            default -> rest.answer(m, p);
        };
    }

    private DockerEngine engine(FakeSocketEngine fake, String waits) {
        return DockerEngine.fromEnvironment(Map.of("DOCKER_HOST", fake.host(), "PACKLAB_ENGINE_TIMEOUTS", waits));
    }

    @Test
    void aLoadTheEngineNeverAnswersIsGivenUpAfterTheLongestWaitWhileItAnswersPings() throws Exception {
        try (FakeSocketEngine fake = FakeSocketEngine.start(dir.resolve("e.sock"), pingsThen(true, (m, p) -> null));
                DockerEngine engine = engine(fake, "probe=0.3,stream=1.5")) {
            EngineUnavailableException e = assertTimeoutPreemptively(HANG, () -> assertThrows(
                    EngineUnavailableException.class, () -> engine.loadImage(new ByteArrayInputStream(new byte[1024]))));
            assertEquals(3, e.exitCode());
            assertTrue(e.getMessage().startsWith("The Docker engine at " + fake.host() + " sent nothing for 1.5 s while"
                    + " packlab was trying to load an image, though it still answers pings, so packlab gave up"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("set PACKLAB_ENGINE_TIMEOUTS=stream=SECONDS"), e.getMessage());
            assertTrue(fake.requests().stream().filter("GET /_ping"::equals).count() >= 2,
                    "pinged while silent: " + fake.requests());
        }
    }

    @Test
    void aLoadIsGivenUpAtTheFirstPingTheEngineDoesNotAnswer() throws Exception {
        try (FakeSocketEngine fake = FakeSocketEngine.start(dir.resolve("e.sock"), pingsThen(false, (m, p) -> null));
                DockerEngine engine = engine(fake, "probe=0.3,stream=600,read=0.5")) {
            EngineUnavailableException e = assertTimeoutPreemptively(HANG, () -> assertThrows(
                    EngineUnavailableException.class, () -> engine.loadImage(new ByteArrayInputStream(new byte[1024]))));
            assertTrue(e.getMessage().contains("stopped answering while packlab was trying to load an image (it sent"
                    + " nothing for 0.3 s and did not answer a ping within 0.5 s)"), e.getMessage());
        }
    }

    @Test
    void aBuildWhoseStreamStopsIsGivenUpAndNamed() throws Exception {
        FakeSocketEngine.Behaviour build = (m, p) -> p.equals("/build")
                ? Answer.stalls("application/json", "{\"stream\":\"Step 1/2 : FROM scratch\\n\"}") : null;
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /\n");
        try (FakeSocketEngine fake = FakeSocketEngine.start(dir.resolve("e.sock"), pingsThen(true, build));
                DockerEngine engine = engine(fake, "probe=0.3,stream=1")) {
            List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
            EngineUnavailableException e = assertTimeoutPreemptively(HANG, () -> assertThrows(
                    EngineUnavailableException.class, () -> engine.build(new BuildRequest(ctx, java.util.Optional.empty(),
                            List.of("x:1"), Map.of(), Map.of(), false, false), lines::add, Cancellation.none())));
            assertTrue(e.getMessage().contains("sent nothing for 1 s while packlab was trying to run docker build of"
                    + " x:1, though it still answers pings"), e.getMessage());
            assertEquals(List.of("Step 1/2 : FROM scratch"), lines, "the output that came is shown");
        }
    }

    @Test
    void aSaveWhoseStreamStopsFailsTheReadThatWaits() throws Exception {
        FakeSocketEngine.Behaviour save = (m, p) -> p.endsWith("/get") ? Answer.stalls("application/x-tar", "abc") : null;
        try (FakeSocketEngine fake = FakeSocketEngine.start(dir.resolve("e.sock"), pingsThen(true, save));
                DockerEngine engine = engine(fake, "probe=0.3,stream=1")) {
            InputStream in = engine.saveImage("x:1");
            assertEquals('a', in.read());
            in.readNBytes(2);
            EngineUnavailableException e = assertTimeoutPreemptively(HANG, () -> assertThrows(
                    EngineUnavailableException.class, in::read));
            assertTrue(e.getMessage().contains("sent nothing for 1 s while packlab was trying to save image x:1"),
                    e.getMessage());
            in.close();
        }
    }
}
