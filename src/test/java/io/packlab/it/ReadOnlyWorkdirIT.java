package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.BuildListener;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.support.ReadOnlyFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A work folder that cannot be written, on the real engine and through the real launcher: `check`
 * reads the engine, prints, exits with the checks' code and says in one line that it did not record;
 * `reset` refuses before it removes anything (exit 2, with advice); nothing is left behind.
 */
class ReadOnlyWorkdirIT {

    private static final String LESSON = "packlab-it-readonly";
    private static final String IMAGE = "packlab-it-readonly:latest";

    @TempDir
    static Path tmp;

    private static DockerEngine engine;

    @BeforeAll
    static void image() throws Exception {
        engine = DockerSupport.engine();
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /\n");
        engine.build(new BuildRequest(ctx, Optional.empty(), List.of(IMAGE), Map.of(), Map.of(Engine.LESSON_LABEL, LESSON),
                false, false), BuildListener.silent(), Cancellation.none());
        Path lessons = Files.createDirectories(tmp.resolve("lessons"));
        Files.writeString(lessons.resolve("01-readonly.md"), "---\nid: " + LESSON + "\ntitle: Read-only\n---\n\n"
                + "# Read-only\n\n```check\nimage " + IMAGE + " exists\n```\n");
    }

    @AfterAll
    static void cleanUp() {
        if (engine != null) {
            engine.listImages(Engine.labelFilter(Engine.LESSON_LABEL, LESSON)).forEach(i -> engine.removeImage(i.id(), true));
            engine.close();
        }
    }

    private static String[] args(Path work, String... tail) {
        return Launcher.cat(new String[] {"--no-color", "--workdir", work.toString(), "--lessons",
            tmp.resolve("lessons").toString()}, tail);
    }

    @Test
    void checkReadsAndPrintsAndResetRemovesNothing() throws Exception {
        Path work = tmp.resolve("work");
        Launcher.Result seed = Launcher.run(Map.of(), args(work, "check"));
        assertEquals(0, seed.code(), seed.all());
        String progress = Files.readString(work.resolve(".packlab/progress.json"));
        Set<String> before = DockerSupport.leftovers(engine);
        try (ReadOnlyFolder ro = ReadOnlyFolder.of(work)) {
            Launcher.Result check = Launcher.run(Map.of(), args(work, "check"));
            assertEquals(0, check.code(), "the checks' exit code: " + check.all());
            assertTrue(check.out().contains("✔ image " + IMAGE + " exists"), check.out());
            assertTrue(check.out().strip().endsWith("! this check is not recorded in the progress: cannot record progress"
                    + " in the work folder " + work + ": the file system there is read-only (.packlab/lock)."), check.out());

            Launcher.Result reset = Launcher.run(Map.of(), args(work, "--yes", "reset", LESSON));
            assertEquals(2, reset.code(), reset.all());
            assertEquals(1, reset.err().strip().lines().count(), reset.err());
            assertTrue(reset.err().contains("cannot record progress in the work folder " + work + ": the file system"
                    + " there is read-only (.packlab/lock). Use --workdir with a folder you can write"), reset.err());
            assertFalse(reset.all().contains("Exception"), reset.all());
        }
        assertTrue(engine.imageDetails(IMAGE).isPresent(), "reset removed nothing it could not record");
        assertEquals(progress, Files.readString(work.resolve(".packlab/progress.json")));
        assertEquals(before, DockerSupport.leftovers(engine), "nothing left behind");
    }
}
