package io.packlab.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Created;
import io.packlab.engine.ImageSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress format: format 2 records what each lesson created by ID (images with the tags packlab
 * gave them, containers, volumes); a format 1 file (tags only) is still read, its tags kept as
 * legacy tags that reset does not trust.
 */
class ProgressFormatTest {

    private static final String BUILD = "sha256:" + "2".repeat(64);
    private static final String RUN = "sha256:" + "1".repeat(64);
    private static final String APP = "sha256:" + "3".repeat(64);

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private ProgressStore store() {
        return new ProgressStore(dir.resolve(".packlab/progress.json"), warnings::add);
    }

    @Test
    void whatLessonsCreatedRoundTripsByIdInFormat2() throws IOException {
        Progress p = Progress.start().withCurrent("build")
                .withLesson("stack", LessonState.empty().withCreated(List.of(
                        Created.image(BUILD, List.of("distroless-python:build")),
                        Created.image(RUN, List.of("distroless-python:run")))))
                .withPassed("stack")
                .withLesson("build", LessonState.empty().withCreated(List.of(Created.volume("pack-cache-1.build"),
                        Created.image(APP, List.of("webapp")), Created.container("c".repeat(64)))))
                .withFailed("build", "image webapp exists (found: no image webapp)");
        store().save(p);
        Progress back = store().load();
        assertEquals(p, back);
        assertEquals(List.of(new OwnedImage(BUILD, List.of("distroless-python:build"), false),
                new OwnedImage(RUN, List.of("distroless-python:run"), false)), back.lesson("stack").images());
        assertEquals(List.of("pack-cache-1.build"), back.lesson("build").volumes());
        assertEquals(List.of("c".repeat(64)), back.lesson("build").containers());
        assertEquals(1, back.lesson("build").failures());
        assertTrue(warnings.isEmpty(), warnings.toString());
        String json = Files.readString(dir.resolve(".packlab/progress.json"));
        assertTrue(json.contains("\"version\" : 2"), json);
        assertTrue(json.contains("\"id\" : \"" + BUILD + "\""), json);
        assertFalse(json.contains("tagOnly"), "false is not written: " + json);
    }

    @Test
    void moreTagsForTheSameIdMergeAndATagOnlyRecordStaysTagOnly() {
        LessonState s = LessonState.empty().withCreated(List.of(Created.image(APP, List.of("webapp"))))
                .withCreated(List.of(Created.tag(APP, "localhost:5000/webapp:1"), Created.tag(RUN, "mine:1")));
        assertEquals(List.of(new OwnedImage(APP, List.of("webapp", "localhost:5000/webapp:1"), false),
                new OwnedImage(RUN, List.of("mine:1"), true)), s.images());
        assertEquals(List.of(new OwnedImage(RUN, List.of("mine:1", "mine:2"), false)), LessonState.empty()
                .withCreated(List.of(Created.tag(RUN, "mine:1"), Created.image(RUN, List.of("mine:2")))).images(),
                "an image packlab made is packlab's even if a tag on it came first");
    }

    @Test
    void aFormat1FileIsReadAndItsTagsWithoutIdsBecomeLegacyTags() throws IOException {
        Path file = dir.resolve(".packlab/progress.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                {
                  "version" : 1,
                  "current" : "build",
                  "passed" : [ "stack" ],
                  "lessons" : {
                    "stack" : { "images" : [ "distroless-python:build", "distroless-python:run" ], "failures" : 0 },
                    "build" : { "lastFailure" : "step 1: no builder", "failures" : 2 }
                  },
                  "snapshots" : { }
                }
                """);
        Progress p = store().load();
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertEquals("build", p.current());
        assertTrue(p.hasPassed("stack"));
        assertEquals(List.of("distroless-python:build", "distroless-python:run"), p.lesson("stack").legacyTags());
        assertTrue(p.lesson("stack").images().isEmpty(), "no ID is made up for them");
        assertFalse(p.lesson("stack").createdNothing());
        assertEquals(2, p.lesson("build").failures());
        assertEquals("step 1: no builder", p.lesson("build").lastFailure());

        Progress moved = p.withCurrent("builder");
        store().save(moved); // written back in the current format
        String json = Files.readString(file);
        assertTrue(json.contains("\"version\" : 2") && json.contains("legacyTags"), json);
        assertFalse(json.contains("\"images\""), "no empty lists are written: " + json);
        assertEquals(moved, store().load());
    }

    /**
     * The classroom's keys (when the current lesson started, the failing check and the hint shown) are
     * optional: a file without them reads as before (null), a file with them round-trips, and they are
     * not written while unknown, so the file of a packlab that never failed looks as it always did.
     */
    @Test
    void theClassroomKeysAreOptionalAndRoundTrip() throws IOException {
        Path file = dir.resolve(".packlab/progress.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                {
                  "version" : 2,
                  "current" : "build",
                  "passed" : [ ],
                  "lessons" : { "build" : { "lastFailure" : "step 1: no builder", "failures" : 2 } }
                }
                """);
        Progress old = store().load();
        assertEquals(null, old.lessonStartedAt());
        assertEquals(null, old.lesson("build").failingCheck());
        assertEquals(null, old.lesson("build").hint());
        assertEquals(2, old.lesson("build").failures());
        assertTrue(warnings.isEmpty(), warnings.toString());

        store().save(Progress.start().withFailed("stack", "x"));
        String json = Files.readString(file);
        assertFalse(json.contains("lessonStartedAt") || json.contains("failingCheck") || json.contains("hint"), json);

        java.time.Instant nine = java.time.Instant.parse("2026-05-01T09:00:00.700Z");
        Progress p = Progress.start().withCurrent("build", nine)
                .withFailed("build", "image webapp exists (found: no image webapp)", "image webapp exists", "Run pack build.");
        store().save(p);
        assertEquals(p, store().load());
        assertEquals("2026-05-01T09:00:00Z", store().load().lessonStartedAt());
        assertEquals("image webapp exists", store().load().lesson("build").failingCheck());
        assertEquals("Run pack build.", store().load().lesson("build").hint());
        assertTrue(Files.readString(file).contains("\"lessonStartedAt\" : \"2026-05-01T09:00:00Z\""));

        java.time.Instant ten = nine.plusSeconds(3600);
        assertEquals("2026-05-01T09:00:00Z", p.withCurrent("build", ten).lessonStartedAt(), "still the same lesson");
        assertEquals("2026-05-01T10:00:00Z", p.withCurrent("stack", ten).lessonStartedAt(), "another lesson: a new start");
        assertEquals(null, p.withPassed("build").lesson("build").failingCheck(), "a pass forgets the failure");
        assertEquals(null, p.withPassed("build").lesson("build").hint());
    }

    /**
     * A snapshot as progress.json held it before the run top layer was read outside the engine
     * package (the snapshot is the same value, its JSON unchanged): it still loads, and writes back
     * the same.
     */
    @Test
    void aSnapshotWrittenBeforeStillLoads() throws IOException {
        Path file = dir.resolve(".packlab/progress.json");
        Files.createDirectories(file.getParent());
        String top = "sha256:" + "4".repeat(64);
        String layer = "sha256:" + "5".repeat(64);
        Files.writeString(file, """
                {
                  "version" : 2,
                  "current" : "rebase",
                  "passed" : [ ],
                  "lessons" : { },
                  "snapshots" : {
                    "before-rebase" : {
                      "reference" : "webapp",
                      "id" : "%s",
                      "layers" : [ "%s", "%s" ],
                      "runTopLayer" : "%s"
                    },
                    "plain" : {
                      "reference" : "debian",
                      "id" : "%s",
                      "layers" : [ "%s" ],
                      "runTopLayer" : null
                    }
                  }
                }
                """.formatted(APP, top, layer, top, RUN, top));
        Progress p = store().load();
        assertTrue(warnings.isEmpty(), warnings.toString());
        ImageSnapshot snap = p.snapshots().get("before-rebase");
        assertEquals(new ImageSnapshot("webapp", APP, List.of(top, layer), top, null, null), snap);
        assertEquals(List.of(layer), snap.appLayers());
        assertEquals(List.of(top), p.snapshots().get("plain").appLayers(), "no top layer: all layers are the app's");
        store().save(p);
        assertEquals(p, store().load());
    }

    @Test
    void anImageEntryThatIsNeitherATagNorARecordMakesTheFileUnreadable() throws IOException {
        Path file = dir.resolve(".packlab/progress.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"version\": 2, \"lessons\": {\"stack\": {\"images\": [42], \"failures\": 0}}}");
        assertEquals(Progress.start(), store().load());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("could not be read"), warnings.get(0));
    }
}
