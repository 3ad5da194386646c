package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.CheckLanguage;
import io.packlab.error.PacklabException;
import io.packlab.lesson.LessonCatalog;
import io.packlab.progress.ProgressStore;
import io.packlab.support.FakeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkshopResetTest {

    @TempDir
    Path work;

    private final LessonCatalog catalog = LessonCatalog.load(Path.of("src/test/resources/lessons/three"),
            CheckLanguage.standard());

    private ProgressBook book(Settings settings) {
        return new ProgressBook(catalog, new ProgressStore(settings.progressFile(), w -> { }), new WorkdirLock(settings));
    }

    @Test
    void resettingAllEmptiesScratchAndStartsTheProgressAgain() throws Exception {
        Settings settings = WorkshopParts.settings(Path.of("").toAbsolutePath(), work);
        Files.createDirectories(work.resolve("scratch/my-cnb/bin"));
        Files.writeString(work.resolve("scratch/my-cnb/bin/build"), "#!/bin/sh\n");
        Files.createDirectories(work.resolve("stacks"));
        ProgressBook book = book(settings);
        book.update(book.progress().withPassed("one").withCurrent("two"));
        WorkshopReset reset = new WorkshopReset(settings, book, FakeEngine::new);
        ResetPlan.Result result = reset.reset(reset.plan(Optional.empty()));
        assertEquals(List.of("folder scratch/ (what lessons scaffolded)"), result.removed());
        assertFalse(Files.exists(work.resolve("scratch")));
        assertTrue(Files.isDirectory(work.resolve("stacks")), "the material stays");
        assertFalse(book.progress().hasPassed("one"));
        assertEquals("one", book.current().id());
        book.close();
    }

    @Test
    void resettingOneLessonForgetsItAndMakesItCurrent() {
        Settings settings = WorkshopParts.settings(Path.of("").toAbsolutePath(), work);
        ProgressBook book = book(settings);
        book.update(book.progress().withPassed("one").withPassed("two").withCurrent("three"));
        WorkshopReset reset = new WorkshopReset(settings, book, FakeEngine::new);
        reset.reset(reset.plan(Optional.of(catalog.get("two"))));
        assertTrue(book.progress().hasPassed("one"));
        assertFalse(book.progress().hasPassed("two"));
        assertEquals("two", book.current().id());
        book.close();
    }

    @Test
    void aResetBesideAnotherPacklabRemovesNothing() throws Exception {
        Settings settings = WorkshopParts.settings(Path.of("").toAbsolutePath(), work);
        Files.createDirectories(work.resolve("scratch/my-cnb"));
        ProgressBook first = book(settings);
        first.moveTo(catalog.get("two"));
        ProgressBook second = book(settings);
        WorkshopReset reset = new WorkshopReset(settings, second, FakeEngine::new);
        PacklabException e = assertThrows(PacklabException.class, () -> reset.reset(reset.plan(Optional.empty())));
        assertEquals(1, e.exitCode());
        assertTrue(Files.isDirectory(work.resolve("scratch/my-cnb")), "refused whole");
        first.close();
        second.close();
    }
}
