package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.CheckLanguage;
import io.packlab.config.PacklabConfig;
import io.packlab.engine.Cancellation;
import io.packlab.error.PacklabException;
import io.packlab.lesson.LessonCatalog;
import io.packlab.progress.ProgressStore;
import io.packlab.step.StepContext;
import io.packlab.step.StepRunner;
import io.packlab.support.FakeEngine;
import io.packlab.term.Console;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineRunnerTest {

    @TempDir
    Path work;

    private final StringWriter out = new StringWriter();
    private final Console console = WorkshopParts.console(out);
    private final LessonCatalog catalog = LessonCatalog.load(Path.of("src/test/resources/lessons/three"),
            CheckLanguage.standard());
    private ProgressBook book;

    private LineRunner lines() {
        Settings settings = WorkshopParts.settings(Path.of("").toAbsolutePath(), work);
        book = new ProgressBook(catalog, new ProgressStore(settings.progressFile(), w -> { }), new WorkdirLock(settings));
        EngineKeeper engines = new EngineKeeper(FakeEngine::new, Leftovers.of(settings, console), console);
        return new LineRunner(settings, book, engines, new StepRunner(FakeEngine::new, PacklabConfig.defaults(), console,
                StepRunner.PackEngine.BUILTIN, "test"));
    }

    @AfterEach
    void close() {
        book.close();
    }

    @Test
    void theShellsFolderPersistsWithinALessonAndStartsAgainInTheNext() throws Exception {
        Files.createDirectories(work.resolve("stacks/run"));
        LineRunner lines = lines();
        StepContext first = lines.shellContext();
        assertEquals("one", first.lessonId());
        lines.runLine("cd stacks", new Cancellation());
        lines.runLine("cd run", new Cancellation());
        assertSame(first, lines.shellContext());
        assertEquals(work.resolve("stacks/run"), lines.shellContext().cwd());
        book.moveTo(catalog.get("two"));
        StepContext second = lines.shellContext();
        assertNotSame(first, second);
        assertEquals("two", second.lessonId());
        assertEquals(work, second.cwd());
        lines.runLine("cd stacks", new Cancellation());
        assertEquals(work, lines.restartShellContext().cwd(), "restarted in the work folder");
    }

    @Test
    void aLineFromTheCommandLineStartsInTheCallersFolderAndLeavesTheShellsAlone() throws Exception {
        Path caller = Files.createDirectories(work.resolve("elsewhere"));
        Files.writeString(caller.resolve("note.txt"), "here");
        LineRunner lines = lines();
        lines.runLine("cat note.txt", caller, new Cancellation());
        assertTrue(out.toString().contains("here"), out.toString());
        assertEquals(work, lines.shellContext().cwd());
        PacklabException e = assertThrows(PacklabException.class, () -> lines.runLine("cat note.txt", new Cancellation()));
        assertEquals(1, e.exitCode());
    }
}
