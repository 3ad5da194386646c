package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import io.packlab.step.StepRunner;
import io.packlab.support.FakeEngine;
import io.packlab.term.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the classroom reads from the status: the failing check and the hint the learner was shown, when
 * the current lesson started, and a call after every recorded change. Checks of files only: no engine.
 */
class StatusAdditionsTest {

    @TempDir
    Path work;
    @TempDir
    Path lessons;

    private final StringWriter out = new StringWriter();

    @BeforeEach
    void lessons() throws Exception {
        Files.writeString(lessons.resolve("01-one.md"), """
                # One

                ```check
                file made.txt exists
                file other.txt exists # hint: make other.txt too
                ```

                ```hint
                The lesson's own hint.
                ```
                """);
        Files.writeString(lessons.resolve("02-two.md"), """
                # Two

                ```sh
                touch two.txt
                cat no-such-file.txt
                ```

                ```check
                file missing.txt exists
                ```

                ```hint
                Two's first hint.
                ```
                """);
    }

    private Workshop workshop() {
        Settings settings = new Settings(Path.of("").toAbsolutePath(), work, lessons, "en",
                StepRunner.PackEngine.BUILTIN, Map.of(), "test", Optional.empty());
        Console console = new Console(new PrintWriter(out, true), new PrintWriter(new StringWriter()), false, 80);
        return new Workshop(settings, console, FakeEngine::new);
    }

    @Test
    void theFailingCheckAndItsHintAreRecordedAndClearedByAPass() throws Exception {
        try (Workshop w = workshop()) {
            AtomicInteger changes = new AtomicInteger();
            w.onProgressChange(changes::incrementAndGet);
            assertFalse(w.check(w.lessons().get("one")).passed());
            assertTrue(changes.get() >= 1, "a recorded check is a change");
            StatusReport.Entry one = StatusReport.of(w).lessons().get(0);
            assertEquals("file made.txt exists", one.failingCheck(), "the first check that failed");
            assertEquals("The lesson's own hint.", one.hint(), "no hint of its own: the lesson's first, as printed");
            assertTrue(out.toString().contains("hint     The lesson's own hint."), out.toString());

            Files.writeString(work.resolve("made.txt"), "");
            w.check(w.lessons().get("one"));
            one = StatusReport.of(w).lessons().get(0);
            assertEquals("file other.txt exists", one.failingCheck());
            assertEquals("make other.txt too", one.hint(), "the check's own hint");
            assertTrue(StatusReport.of(w).toJson().contains("\"failingCheck\" : \"file other.txt exists\""));

            Files.writeString(work.resolve("other.txt"), "");
            assertTrue(w.check(w.lessons().get("one")).passed());
            one = StatusReport.of(w).lessons().get(0);
            assertNull(one.failingCheck());
            assertNull(one.hint());
            assertNull(one.lastFailure());
        }
        try (Workshop again = workshop()) {
            assertEquals(0, StatusReport.of(again).lessons().get(0).failures(), "read back from the progress file");
        }
    }

    @Test
    void aFailedStepNamesItsLineAndTheLessonStartIsKept() {
        try (Workshop w = workshop()) {
            assertNull(StatusReport.of(w).lessonStartedAt(), "no lesson was made current yet");
            AtomicInteger changes = new AtomicInteger();
            w.onProgressChange(changes::incrementAndGet);
            io.packlab.error.PacklabException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.packlab.error.PacklabException.class, () -> w.run(w.lessons().get("two"), new Cancellation()));
            assertEquals(1, e.exitCode());
            StatusReport report = StatusReport.of(w);
            assertEquals("two", report.current());
            StatusReport.Entry two = report.lessons().get(1);
            assertEquals("cat no-such-file.txt", two.failingCheck());
            assertNull(two.hint(), "a failed step shows no hint");
            assertTrue(two.lastFailure().startsWith("step 1: "), two.lastFailure());
            String started = report.lessonStartedAt();
            assertNotNull(started);
            java.time.Instant at = java.time.Instant.parse(started);
            assertTrue(Math.abs(java.time.Duration.between(at, java.time.Instant.now()).toSeconds()) < 5, started);
            assertTrue(changes.get() >= 2, "the move to the lesson and the failure: " + changes.get());

            org.junit.jupiter.api.Assertions.assertThrows(io.packlab.error.PacklabException.class,
                    () -> w.run(w.lessons().get("two"), new Cancellation()));
            assertEquals(started, StatusReport.of(w).lessonStartedAt(), "the same lesson again: the same start");
        }
    }
}
