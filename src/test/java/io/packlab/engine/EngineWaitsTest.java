package io.packlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rules of {@link EngineWaits}, on a clock of fractions of a second, without an engine. */
class EngineWaitsTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    private static EngineWaits waits(String spec, AtomicBoolean alive, AtomicInteger pings) {
        return new EngineWaits(EngineWaits.Limits.from(Map.of("PACKLAB_ENGINE_TIMEOUTS", spec)), () -> {
            pings.incrementAndGet();
            return alive.get();
        });
    }

    @Test
    void theDefaultsAreShortForAnswersAndLongForStreams() {
        EngineWaits.Limits l = EngineWaits.Limits.from(Map.of());
        assertEquals(Duration.ofSeconds(5), l.connect());
        assertEquals(Duration.ofSeconds(10), l.read());
        assertEquals(Duration.ofSeconds(60), l.change());
        assertEquals(Duration.ofMinutes(30), l.stream());
        assertEquals(Duration.ofSeconds(30), l.probe());
        EngineWaits.Limits some = EngineWaits.Limits.from(Map.of("PACKLAB_ENGINE_TIMEOUTS", " read=2.5 , stream=3600"));
        assertEquals(Duration.ofMillis(2500), some.read());
        assertEquals(Duration.ofHours(1), some.stream());
        assertEquals(Duration.ofSeconds(60), some.change(), "the others keep their defaults");
    }

    @Test
    void aCallThatDoesNotAnswerInTimeIsGivenUpAndItsThreadFreed() {
        EngineWaits w = waits("read=0.3", new AtomicBoolean(true), new AtomicInteger());
        CountDownLatch freed = new CountDownLatch(1);
        UncheckedIOException e = assertTimeoutPreemptively(HANG, () -> assertThrows(UncheckedIOException.class,
                () -> w.within(Duration.ofMillis(300), () -> {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException stopped) {
                        freed.countDown();
                    }
                    return null;
                })));
        assertTrue(e.getCause() instanceof EngineWaits.NoAnswerException, e.toString());
        assertEquals("nothing came back within 0.3 s", e.getCause().getMessage());
        assertTimeoutPreemptively(HANG, () -> freed.await());
    }

    @Test
    void aCallsOwnFailureComesBackAsItIs() {
        EngineWaits w = waits("read=5", new AtomicBoolean(true), new AtomicInteger());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.within(Duration.ofSeconds(5), () -> {
            throw new IllegalStateException("refused");
        }));
        assertEquals("refused", e.getMessage());
        assertEquals("ok", w.within(Duration.ofSeconds(5), () -> "ok"));
    }

    @Test
    void aSilentStreamOfAnEngineThatAnswersPingsIsWaitedFor() throws Exception {
        // RUN sleep 300 in small: silent for three times the probe time, the engine answering pings
        AtomicInteger pings = new AtomicInteger();
        EngineWaits w = waits("probe=0.2,stream=20", new AtomicBoolean(true), pings);
        CountDownLatch done = new CountDownLatch(1);
        new Thread(() -> {
            sleep(700);
            done.countDown();
        }).start();
        assertTimeoutPreemptively(HANG, () -> w.await(new EngineWaits.Progress(),
                ms -> done.await(ms, TimeUnit.MILLISECONDS), () -> { }));
        assertTrue(pings.get() >= 2, "the engine was pinged while the stream was silent: " + pings.get());
    }

    @Test
    void aSilentStreamOfAnEngineThatDoesNotAnswerPingsIsGivenUpAtTheFirstPing() {
        AtomicInteger pings = new AtomicInteger();
        AtomicBoolean aborted = new AtomicBoolean();
        EngineWaits w = waits("probe=0.2,stream=20,read=1", new AtomicBoolean(false), pings);
        EngineWaits.NoAnswerException e = assertTimeoutPreemptively(HANG, () -> assertThrows(
                EngineWaits.NoAnswerException.class, () -> w.await(new EngineWaits.Progress(),
                        ms -> new CountDownLatch(1).await(ms, TimeUnit.MILLISECONDS), () -> aborted.set(true))));
        assertEquals(1, pings.get());
        assertTrue(aborted.get(), "the stream was closed");
        assertTrue(e.getMessage().matches("it sent nothing for 0(\\.\\d+)? s and did not answer a ping within 1 s"),
                e.getMessage());
    }

    @Test
    void aStreamSilentForTheLongestWaitIsGivenUpEvenIfTheEngineAnswersPings() {
        EngineWaits w = waits("probe=0.1,stream=0.5", new AtomicBoolean(true), new AtomicInteger());
        EngineWaits.NoAnswerException e = assertTimeoutPreemptively(HANG, () -> assertThrows(
                EngineWaits.NoAnswerException.class, () -> w.await(new EngineWaits.Progress(),
                        ms -> new CountDownLatch(1).await(ms, TimeUnit.MILLISECONDS), () -> { })));
        assertEquals("it sent nothing for 0.5 s, the longest packlab waits (PACKLAB_ENGINE_TIMEOUTS=stream=SECONDS"
                + " waits longer)", e.getMessage());
    }

    @Test
    void bytesThatKeepComingRestartTheClock() throws Exception {
        // 1.5 s in all, far over the stream limit of 0.4 s, but never 0.4 s without progress
        EngineWaits w = waits("probe=10,stream=0.4", new AtomicBoolean(false), new AtomicInteger());
        EngineWaits.Progress progress = new EngineWaits.Progress();
        CountDownLatch done = new CountDownLatch(1);
        new Thread(() -> {
            for (int i = 0; i < 15; i++) {
                sleep(100);
                progress.touch();
            }
            done.countDown();
        }).start();
        assertTimeoutPreemptively(HANG, () -> w.await(progress, ms -> done.await(ms, TimeUnit.MILLISECONDS), () -> { }));
    }

    @Test
    void aStreamTheCallerReadsIsClosedWhenAReadWaitsTooLong() throws Exception {
        EngineWaits w = waits("probe=10,stream=1", new AtomicBoolean(true), new AtomicInteger());
        PipedOutputStream out = new PipedOutputStream();
        PipedInputStream pipe = new PipedInputStream(out);
        // the abort ends the pipe as a closed connection ends a socket read
        InputStream in = w.watched(pipe, () -> closeQuietly(out), e -> PacklabException.failed("given up: " + e.getMessage()));
        out.write(new byte[] {1, 2, 3});
        byte[] got = new byte[3];
        assertEquals(3, in.read(got));
        sleep(1500); // the caller's own pace does not count: no read was waiting
        out.write(4);
        assertEquals(4, in.read());
        PacklabException e = assertTimeoutPreemptively(HANG, () -> assertThrows(PacklabException.class, in::read));
        assertTrue(e.getMessage().startsWith("given up: it sent nothing for 1 s"), e.getMessage());
        in.close();
    }

    @Test
    void aWatchedStreamThatEndsIsJustAStream() throws IOException {
        EngineWaits w = waits("stream=1", new AtomicBoolean(true), new AtomicInteger());
        try (InputStream in = w.watched(new java.io.ByteArrayInputStream(new byte[] {7}), () -> { },
                e -> new IllegalStateException())) {
            assertEquals(7, in.read());
            assertEquals(-1, in.read());
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
