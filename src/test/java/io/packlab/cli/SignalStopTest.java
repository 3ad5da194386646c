package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The stop's protocol without real signals (ProcessSignalIT sends real ones to the real launcher). */
class SignalStopTest {

    private final List<String> said = new CopyOnWriteArrayList<>();
    private final AtomicInteger exited = new AtomicInteger(-1);
    private final Cancellation cancellation = new Cancellation();

    private SignalStop stop(Duration grace) {
        return new SignalStop(cancellation, "packlab run build", said::add, exited::set,
                () -> "nothing was left behind.", grace);
    }

    @Test
    void aSignalCancelsAndWaitsForTheCommandThenTheMainThreadReports() throws Exception {
        SignalStop stop = stop(Duration.ofSeconds(10));
        List<String> order = new CopyOnWriteArrayList<>();
        cancellation.onCancel(() -> order.add("cancel action"));
        Thread handler = new Thread(() -> stop.onSignal("SIGTERM", 15));
        handler.start();
        while (!cancellation.isCancelled()) {
            Thread.sleep(5);
        }
        Thread.sleep(100);
        assertTrue(handler.isAlive(), "the handler waits for the command to unwind");
        assertEquals(new SignalStop.Stop("SIGTERM", 143), stop.stopped());
        int code = stop.report(stop.stopped());
        stop.finished();
        handler.join(2000);
        assertEquals(143, code);
        assertEquals(List.of("cancel action"), order);
        assertEquals(List.of("stopped by SIGTERM: `packlab run build` was cancelled; nothing was left behind."), said);
        assertEquals(-1, exited.get(), "the main thread exits, as after every command");
    }

    @Test
    void aSecondSignalExitsAtOnce() throws Exception {
        SignalStop stop = stop(Duration.ofSeconds(10));
        Thread first = new Thread(() -> stop.onSignal("SIGINT (Ctrl-C)", 2));
        first.start();
        while (!cancellation.isCancelled()) {
            Thread.sleep(5);
        }
        stop.onSignal("SIGINT (Ctrl-C)", 2);
        assertEquals(130, exited.get());
        assertTrue(said.get(0).startsWith("stopped at once by a second SIGINT (Ctrl-C)"), said.toString());
        stop.finished();
        first.join(2000);
    }

    @Test
    void aCommandThatDoesNotUnwindInTimeIsEndedAfterTheLastLook() {
        SignalStop stop = stop(Duration.ofMillis(200));
        stop.onSignal("SIGHUP", 1);
        assertEquals(129, exited.get());
        assertEquals(List.of("stopped by SIGHUP: `packlab run build` did not finish within 0 s of the signal;"
                + " nothing was left behind."), said);
    }

    @Test
    void withoutASignalNothingHappens() {
        SignalStop stop = stop(Duration.ofSeconds(1));
        stop.finished();
        assertNull(stop.stopped());
        assertTrue(said.isEmpty());
    }

    @Test
    void longCommandsAreShortenedInMessages() {
        String[] args = {"pack", "build", "x".repeat(100_000)};
        assertEquals(100, Main.commandText(args).length());
        assertEquals("packlab run build", Main.commandText(new String[] {"run", "build"}));
    }
}
