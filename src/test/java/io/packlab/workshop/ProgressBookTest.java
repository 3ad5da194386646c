package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.CheckLanguage;
import io.packlab.engine.Created;
import io.packlab.engine.ImageSnapshot;
import io.packlab.lesson.LessonCatalog;
import io.packlab.progress.ProgressStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressBookTest {

    @TempDir
    Path work;

    private final LessonCatalog catalog = LessonCatalog.load(Path.of("src/test/resources/lessons/three"),
            CheckLanguage.standard());

    private ProgressBook book() {
        Settings settings = WorkshopParts.settings(Path.of("").toAbsolutePath(), work);
        return new ProgressBook(catalog, new ProgressStore(settings.progressFile(), w -> { }), new WorkdirLock(settings));
    }

    @Test
    void theCurrentLessonIsTheRecordedOneElseTheFirstNotPassedElseTheLast() {
        ProgressBook book = book();
        assertEquals("one", book.current().id());
        assertEquals(LessonStatus.CURRENT, book.status(catalog.get("one")));
        book.update(book.progress().withPassed("one"));
        assertEquals("two", book.current().id());
        assertEquals(List.of(LessonStatus.DONE, LessonStatus.CURRENT, LessonStatus.TODO),
                catalog.lessons().stream().map(book::status).toList());
        book.moveTo(catalog.get("three"));
        assertEquals("three", book.current().id());
        book.update(book.progress().withCurrent("gone-lesson").withPassed("two").withPassed("three"));
        assertEquals("three", book.current().id(), "every lesson passed and the recorded one gone: the last");
        book.close();
    }

    @Test
    void whatItRecordsIsInTheFileForTheNextPacklab() {
        ProgressBook book = book();
        book.recordCreated(catalog.get("two"), List.of(Created.image("sha256:1", List.of("app:latest"))));
        book.recordCreated(catalog.get("two"), List.of());
        book.recordFailed(catalog.get("two"), "step 1: no");
        ImageSnapshot kept = new ImageSnapshot("app", "sha256:1", List.of("sha256:a"), "sha256:a", null, null);
        book.snapshots().put("before", kept);
        book.close();
        ProgressBook next = book();
        assertEquals(Optional.of(kept), next.snapshots().get("before"));
        assertEquals(Optional.empty(), next.snapshot("other"));
        assertEquals(1, next.progress().lesson("two").failures());
        assertEquals("step 1: no", next.progress().lesson("two").lastFailure());
        assertEquals(false, next.progress().lesson("two").createdNothing());
        next.close();
    }

    @Test
    void aCheckBesideAnotherPacklabIsNotRecordedAndSaysWhyInOneSentence() throws Exception {
        ProgressBook first = book();
        first.moveTo(catalog.get("two"));
        String before = Files.readString(work.resolve(".packlab/progress.json"));
        ProgressBook second = book();
        Optional<String> note = second.recordCheck(second.progress().withPassed("two"));
        assertEquals(Optional.of("this check is not recorded in the progress: another packlab (pid "
                + ProcessHandle.current().pid() + ") is working in " + work + "."), note);
        assertEquals(before, Files.readString(work.resolve(".packlab/progress.json")));
        first.close();
        assertEquals(Optional.empty(), second.recordCheck(second.progress().withPassed("two")));
        assertTrue(second.progress().hasPassed("two"));
        second.close();
    }
}
