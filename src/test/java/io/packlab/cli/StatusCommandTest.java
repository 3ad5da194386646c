package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.progress.Progress;
import io.packlab.progress.ProgressStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} and {@code status --json}, from a progress file in a temporary work folder; no engine. */
class StatusCommandTest {

    @TempDir
    Path work;

    private void progress(Progress p) {
        new ProgressStore(work.resolve(".packlab/progress.json"), w -> { }).save(p);
    }

    @Test
    void freshWorkFolderStartsAtTheFirstLesson() throws Exception {
        InProcessCli.Run r = InProcessCli.run(work, "status");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Lesson 1 of 7: stack (Create a stack (build image and run image)); 0 done.\n"),
                r.out());
        assertTrue(r.out().matches("(?s).*\n 1  stack\\s+current\n 2  buildpack\\s+todo\n.*"), r.out());
        assertFalse(r.out().contains("last failure"), r.out());

        JsonNode doc = new ObjectMapper().readTree(InProcessCli.run(work, "status", "--json").out());
        assertEquals(1, doc.get("format").asInt());
        assertEquals("stack", doc.get("current").asText());
        assertEquals(7, doc.get("lessons").size());
        assertTrue(doc.get("lessons").get(0).get("lastFailure").isNull());
    }

    @Test
    void showsDoneCurrentAndTheLastFailurePerLesson() throws Exception {
        progress(Progress.start().withPassed("stack")
                .withFailed("package", "image example/my-cnb exists (found: no such image)")
                .withFailed("buildpack", "step 1: pack failed")
                .withFailed("buildpack", "buildpack scratch/my-cnb valid (found: no buildpack.toml)")
                .withCurrent("buildpack"));

        InProcessCli.Run r = InProcessCli.run(work, "status");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("Lesson 2 of 7: buildpack (Write a buildpack); 1 done.", lines.get(0));
        assertTrue(lines.get(1).matches(" 1  stack\\s+done"), lines.get(1));
        assertTrue(lines.get(2).matches(" 2  buildpack\\s+current\\s+2 failures"), lines.get(2));
        assertEquals("    last failure buildpack scratch/my-cnb valid (found: no buildpack.toml)", lines.get(3));
        assertTrue(lines.get(4).matches(" 3  package\\s+todo\\s+1 failure"), lines.get(4));

        InProcessCli.Run json = InProcessCli.run(work, "status", "--json");
        assertEquals(0, json.code(), json.err());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        List<String> keys = new ArrayList<>();
        doc.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("format", "packlab", "workdir", "lang", "current", "done", "total", "lessons",
                "lessonStartedAt"), keys);
        assertEquals(work.toAbsolutePath().normalize().toString(), doc.get("workdir").asText());
        assertEquals("en", doc.get("lang").asText());
        assertEquals("buildpack", doc.get("current").asText());
        assertEquals(1, doc.get("done").asInt());
        assertEquals(7, doc.get("total").asInt());
        JsonNode buildpack = doc.get("lessons").get(1);
        List<String> lessonKeys = new ArrayList<>();
        buildpack.fieldNames().forEachRemaining(lessonKeys::add);
        assertEquals(List.of("number", "id", "title", "status", "failures", "lastFailure", "failingCheck", "hint"),
                lessonKeys);
        assertEquals("buildpack", buildpack.get("id").asText());
        assertEquals("Write a buildpack", buildpack.get("title").asText());
        assertEquals("current", buildpack.get("status").asText());
        assertEquals(2, buildpack.get("failures").asInt());
        assertEquals("buildpack scratch/my-cnb valid (found: no buildpack.toml)", buildpack.get("lastFailure").asText());
        assertEquals("done", doc.get("lessons").get(0).get("status").asText());
        assertEquals("todo", doc.get("lessons").get(2).get("status").asText());
        assertEquals(1, doc.get("lessons").get(2).get("failures").asInt());
        assertTrue(doc.get("lessons").get(0).get("lastFailure").isNull());
        assertTrue(doc.get("lessonStartedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                doc.get("lessonStartedAt").toString());
    }

    @Test
    void aLessonNotYetMadeCurrentHasNoStartTime() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(InProcessCli.run(work, "status", "--json").out());
        assertTrue(doc.get("lessonStartedAt").isNull(), doc.toString());
        assertTrue(doc.get("lessons").get(0).get("failingCheck").isNull());
        assertTrue(doc.get("lessons").get(0).get("hint").isNull());
    }

    @Test
    void japaneseTitlesAreValidJson() throws Exception {
        InProcessCli.Run r = InProcessCli.run(work, "--lang", "ja", "status", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("ja", doc.get("lang").asText());
        assertTrue(doc.get("lessons").get(0).get("title").asText().contains("スタック"), r.out());
    }

    /**
     * The whole document, byte for byte, for a lesson of each status: instructors' scripts read it, so
     * a refactoring must not change a key, a value, the order, the indentation or the escaping.
     */
    @Test
    void theJsonDocumentIsStableByteForByte() {
        progress(Progress.start().withPassed("one")
                .withFailed("two", "image packlab-test-two:latest exists (found: \"no\" such image)\n\tまだ",
                        "image packlab-test-two:latest exists", "Run `docker images`\nand look.")
                .withFailed("three", "step 1: failed", "false", null)
                .withCurrent("two", java.time.Instant.parse("2026-05-01T09:30:00.250Z")));
        InProcessCli.Run r = InProcessCli.run(work, "--lessons=src/test/resources/lessons/three", "status", "--json");
        assertEquals(0, r.code(), r.err());
        String expected = GOLDEN.replace("@VERSION@", Version.current())
                .replace("@WORKDIR@", work.toAbsolutePath().normalize().toString());
        assertEquals(expected, r.out());
    }

    private static final String GOLDEN = """
            {
              "format" : 1,
              "packlab" : "@VERSION@",
              "workdir" : "@WORKDIR@",
              "lang" : "en",
              "current" : "two",
              "done" : 1,
              "total" : 3,
              "lessons" : [ {
                "number" : 1,
                "id" : "one",
                "title" : "レッスン \\"one\\"",
                "status" : "done",
                "failures" : 0,
                "lastFailure" : null,
                "failingCheck" : null,
                "hint" : null
              }, {
                "number" : 2,
                "id" : "two",
                "title" : "Lesson two",
                "status" : "current",
                "failures" : 1,
                "lastFailure" : "image packlab-test-two:latest exists (found: \\"no\\" such image)\\n\\tまだ",
                "failingCheck" : "image packlab-test-two:latest exists",
                "hint" : "Run `docker images`\\nand look."
              }, {
                "number" : 3,
                "id" : "three",
                "title" : "Lesson three",
                "status" : "todo",
                "failures" : 1,
                "lastFailure" : "step 1: failed",
                "failingCheck" : "false",
                "hint" : null
              } ],
              "lessonStartedAt" : "2026-05-01T09:30:00Z"
            }
            """;
}
