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
}
