package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        Settings settings = new Settings(Path.of("").toAbsolutePath(), work, Path.of("src/test/resources/lessons/two"),
                "en", StepRunner.PackEngine.BUILTIN, Map.of(), "test", Optional.empty());
        Console console = new Console(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, 80);
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
}
