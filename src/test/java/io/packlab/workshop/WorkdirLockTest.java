package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import io.packlab.step.StepRunner;
import io.packlab.support.FakeEngine;
import io.packlab.term.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two packlabs on one work folder: the second refuses, naming the first; nothing is corrupted. */
class WorkdirLockTest {

    @TempDir
    Path work;

    private Workshop workshop() {
        return workshop(new StringWriter());
    }

    private Workshop workshop(StringWriter out) {
        Settings settings = new Settings(Path.of("").toAbsolutePath(), work, Path.of("src/test/resources/lessons/two"),
                "en", StepRunner.PackEngine.BUILTIN, Map.of(), "test", Optional.empty());
        Console console = new Console(new PrintWriter(out, true), new PrintWriter(new StringWriter()), false, 80);
        return new Workshop(settings, console, FakeEngine::new);
    }

    @Test
    void theSecondRefusesUntilTheFirstHasFinished() throws Exception {
        Workshop first = workshop();
        first.moveTo(first.lessons().get("second"));
        Workshop second = workshop();
        PacklabException e = assertThrows(PacklabException.class, () -> second.moveTo(second.lessons().get("first")));
        assertEquals(1, e.exitCode());
        assertTrue(e.getMessage().startsWith("another packlab (pid " + ProcessHandle.current().pid() + ") is working in "
                + work), e.getMessage());
        String progress = Files.readString(work.resolve(".packlab/progress.json"));
        assertTrue(progress.contains("\"current\" : \"second\""), "the first one's progress is intact: " + progress);
        first.close();
        second.moveTo(second.lessons().get("first"));
        assertEquals("first", second.current().id());
        second.close();
    }

    @Test
    void readingNeedsNoLock() {
        Workshop first = workshop();
        first.moveTo(first.lessons().get("second"));
        Workshop reader = workshop();
        assertEquals("second", reader.current().id(), "list, show and status still work beside a running packlab");
        first.close();
        reader.close();
    }

    @Test
    void aCheckBesideARunningPacklabRunsAndSaysItDidNotRecord() throws Exception {
        Workshop first = workshop();
        first.moveTo(first.lessons().get("second"));
        String progress = Files.readString(work.resolve(".packlab/progress.json"));
        StringWriter out = new StringWriter();
        Workshop checker = workshop(out);
        CheckReport report = checker.check(checker.lessons().get("first"));
        assertFalse(report.passed(), "the fake engine has no image: the check fails, and says so");
        String printed = out.toString();
        assertTrue(printed.contains("✘ lesson first: 1 of 1 checks failed"), printed);
        assertTrue(printed.strip().endsWith("! this check is not recorded in the progress: another packlab (pid "
                + ProcessHandle.current().pid() + ") is working in " + work + "."), printed);
        assertEquals(progress, Files.readString(work.resolve(".packlab/progress.json")), "the first one's progress is"
                + " untouched");
        first.close();
        CheckReport again = checker.check(checker.lessons().get("first"));
        assertFalse(again.passed());
        assertTrue(Files.readString(work.resolve(".packlab/progress.json")).contains("\"lastFailure\""),
                "once the lock is free, the check is recorded");
        checker.close();
    }
}
