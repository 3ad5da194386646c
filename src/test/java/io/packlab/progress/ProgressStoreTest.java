package io.packlab.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Created;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressStoreTest {

    @TempDir
    Path dir;

    private static final String ID = "sha256:" + "2".repeat(64);

    private final List<String> warnings = new ArrayList<>();

    private ProgressStore store() {
        return new ProgressStore(dir.resolve(".packlab/progress.json"), warnings::add);
    }

    @Test
    void missingFileIsAFreshStart() {
        Progress p = store().load();
        assertEquals(Progress.start(), p);
        assertTrue(warnings.isEmpty());
    }

    @Test
    void roundTripKeepsCurrentPassedAndCreated() {
        Progress p = Progress.start().withCurrent("build")
                .withLesson("stack", LessonState.empty().withCreated(
                        List.of(Created.image(ID, List.of("distroless-python:build")))))
                .withPassed("stack")
                .withFailed("build", "image webapp exists (found: no image webapp)");
        store().save(p);
        Progress back = store().load();
        assertEquals(p, back);
        assertEquals("build", back.current());
        assertTrue(back.hasPassed("stack"));
        assertEquals(List.of(new OwnedImage(ID, List.of("distroless-python:build"), false)),
                back.lesson("stack").images());
        assertEquals(1, back.lesson("build").failures());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void savingLeavesNoTemporaryFiles() throws IOException {
        store().save(Progress.start().withCurrent("stack"));
        store().save(Progress.start().withCurrent("buildpack"));
        try (Stream<Path> files = Files.list(dir.resolve(".packlab"))) {
            assertEquals(List.of("progress.json"), files.map(f -> f.getFileName().toString()).toList());
        }
        assertEquals("buildpack", store().load().current());
    }

    @Test
    void corruptFileIsBackedUpAndProgressStartsAfresh() throws IOException {
        Path file = dir.resolve(".packlab/progress.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"version\": 1, \"current\": ");
        Progress p = store().load();
        assertEquals(Progress.start(), p);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("could not be read"), warnings.get(0));
        try (Stream<Path> files = Files.list(file.getParent())) {
            Path backup = files.filter(f -> f.getFileName().toString().startsWith("progress.json.bak-")).findFirst()
                    .orElseThrow();
            assertEquals("{\"version\": 1, \"current\": ", Files.readString(backup));
        }
    }

    @Test
    void fileFromANewerVersionIsKeptAndNotTrusted() throws IOException {
        Path file = dir.resolve(".packlab/progress.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"version\": 99, \"current\": \"rebase\", \"future\": true}");
        assertEquals(Progress.start(), store().load());
        assertTrue(warnings.get(0).contains("newer packlab (format 99)"), warnings.get(0));
        assertTrue(Files.exists(file), "the newer file is left where it was");
    }

    @Test
    void passingClearsTheFailureAndResetForgets() {
        Progress p = Progress.start().withFailed("stack", "x").withFailed("stack", "y");
        assertEquals(2, p.lesson("stack").failures());
        p = p.withPassed("stack");
        assertEquals(0, p.lesson("stack").failures());
        assertEquals(null, p.lesson("stack").lastFailure());
        p = p.without("stack");
        assertFalse(p.hasPassed("stack"));
    }

    private String warningFor(String content) throws IOException {
        Path file = dir.resolve(".packlab/progress.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        warnings.clear();
        assertEquals(Progress.start(), store().load());
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        for (String internal : List.of("StreamReadFeature", "[Source:", "JsonToken", "java.util", "io.packlab",
                "Creator", "(code ")) {
            assertFalse(w.contains(internal), "no Jackson internals (" + internal + "): " + w);
        }
        return w;
    }

    @Test
    void aCorruptFileIsReportedAtLineAndColumnInPlainWordsWithTheBackupNamed() throws IOException {
        Path file = dir.resolve(".packlab/progress.json");
        String cut = warningFor("{\"version\": 1,\n \"current\": \"stack\"");
        assertTrue(cut.startsWith("The progress file could not be read: " + file + ":2:"), cut);
        assertTrue(cut.contains(": the file ends in the middle of the JSON (it was cut short"), cut);
        assertTrue(cut.matches(".*It is kept as " + java.util.regex.Pattern.quote(file + ".bak-")
                + "\\d{8}-\\d{6}(-\\d+)?, and progress starts afresh.*"), cut);

        String type = warningFor("{\"version\": 1, \"lessons\": []}");
        assertTrue(type.contains(file + ":1:27: `lessons` should be an object (`{ ... }`), but it is a list."), type);

        String deep = warningFor("{\"version\": 1, \"lessons\": {\"stack\": {\"failures\": \"many\"}}}");
        assertTrue(deep.contains("`lessons.stack.failures` should be a whole number, but it is a text."), deep);

        String word = warningFor("{\"version\": 1,\n\"current\": stack}");
        assertTrue(word.contains(file + ":2:"), word);
        assertTrue(word.contains("`stack` is not a JSON value (a text needs double quotes)"), word);

        Files.write(file, new byte[] {'{', '"', 'v', (byte) 0xff, (byte) 0xfe, '"'});
        warnings.clear();
        store().load();
        assertTrue(warnings.get(0).contains("it is not UTF-8 text"), warnings.get(0));

        assertTrue(warningFor("").contains(file + ":1:1: the file is empty"));
        assertTrue(warningFor("[1, 2]").contains(file + ":1:1: it is not a JSON object"));
        assertTrue(warningFor("{\"current\": \"stack\"}").contains("it has no format version"));
    }

    @Test
    void backupsAreNeverOverwrittenAndTheSameFileIsBackedUpOnce() throws IOException {
        Path file = dir.resolve(".packlab/progress.json");
        warningFor("{ first");
        warningFor("{ second");
        warningFor("{ first");
        warningFor("{ second");
        try (Stream<Path> files = Files.list(file.getParent())) {
            List<String> backups = files.filter(f -> f.getFileName().toString().startsWith("progress.json.bak-"))
                    .map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).sorted().toList();
            assertEquals(List.of("{ first", "{ second"), backups, "one backup of each, none overwritten");
        }
    }

    @Test
    void anUnreadableFileThatCannotBeBackedUpIsNeverWrittenOver() throws Exception {
        Path file = dir.resolve(".packlab/progress.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{ damaged");
        ProgressStore store = store();
        try (io.packlab.support.ReadOnlyFolder ro = io.packlab.support.ReadOnlyFolder.of(file.getParent())) {
            assertEquals(Progress.start(), store.load());
        }
        String w = warnings.get(0);
        assertTrue(w.contains(file + ":1:3: "), w);
        assertTrue(w.contains("cannot be backed up (the file system there is read-only), so packlab leaves it as it is"
                + " and does not write over it. Progress starts afresh for this run only."), w);
        io.packlab.error.PacklabException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.packlab.error.PacklabException.class, () -> store.save(Progress.start().withCurrent("stack")));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().endsWith("Move it away (or fix it), then try again."), e.getMessage());
        assertEquals("{ damaged", Files.readString(file), "the unreadable file is as it was");
    }
}
