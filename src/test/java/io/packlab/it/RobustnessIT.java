package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.BuildListener;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and hostile images through the real launcher: each gives one clear paragraph and the
 * exit code of the contract, and leaves no container, volume or dangling image behind.
 */
class RobustnessIT {

    private static final String HOSTILE = "packlab-it-hostile:latest";

    @TempDir
    static Path work;

    private static DockerEngine engine;

    @BeforeAll
    static void docker() throws Exception {
        engine = DockerSupport.engine();
        Path ctx = Files.createDirectories(work.resolve("hostile"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /\n"
                + "LABEL io.buildpacks.lifecycle.metadata=\"{not json\" io.buildpacks.stack.id=x\n");
        engine.build(new BuildRequest(ctx, Optional.empty(), List.of(HOSTILE), Map.of(),
                Map.of(Engine.LESSON_LABEL, "packlab-it-robust"), false, false), BuildListener.silent(),
                Cancellation.none());
    }

    @AfterAll
    static void cleanUp() {
        if (engine != null) {
            engine.listImages(Engine.labelFilter(Engine.LESSON_LABEL, "packlab-it-robust"))
                    .forEach(i -> engine.removeImage(i.id(), true));
            engine.close();
        }
    }

    private static Set<String> state() {
        return DockerSupport.leftovers(engine);
    }

    private static void assertOneParagraph(Launcher.Result r, int code, String contains) {
        assertEquals(code, r.code(), r.all());
        String err = r.err().strip();
        assertTrue(err.contains(contains), err);
        assertEquals(1, err.lines().filter(l -> l.startsWith("error: ")).count(), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void hostileLabelsInvalidNamesAndMissingThingsAreRefusedCleanly() throws Exception {
        Set<String> before = state();
        Path app = Files.createDirectories(work.resolve("app"));
        Files.writeString(app.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /\n");

        assertOneParagraph(Launcher.run(Map.of(), "--workdir=" + work, "docker", "build", "-t", "Not/A:Valid:Name",
                app.toString()), 1, "docker build of Not/A:Valid:Name failed");
        assertOneParagraph(Launcher.run(Map.of(), "--workdir=" + work, "--engine", "builtin", "pack", "rebase",
                HOSTILE), 1, "is not valid JSON");
        assertOneParagraph(Launcher.run(Map.of(), "--workdir=" + work, "--engine", "builtin", "pack", "build", "x",
                "--builder", "packlab-it-no-such-builder", "--path", app.toString()), 1,
                "the builder `packlab-it-no-such-builder` is not in the Docker engine");
        assertOneParagraph(Launcher.run(Map.of(), "--workdir=" + work, "--engine", "builtin", "pack", "builder",
                "create", "b", "--config", work.resolve("nope.toml").toString()), 2, "nope.toml");
        assertEquals(before, state(), "docker ps -a, docker volume ls and dangling images as before");
    }

    @Test
    void aCorruptProgressFileIsKeptAsABackupAndPacklabStarts() throws Exception {
        Path folder = Files.createDirectories(work.resolve("corrupt/.packlab"));
        Files.writeString(folder.resolve("progress.json"), "{\"version\": 1, \"current\": \"sta");
        Launcher.Result r = Launcher.run(Map.of(), "--workdir=" + work.resolve("corrupt"), "list");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("could not be read"), r.err());
        try (Stream<Path> files = Files.list(folder)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("progress.json.bak-")),
                    "the unreadable file is kept");
        }
        Files.writeString(folder.resolve("progress.json"), "{\"version\": 42}");
        Launcher.Result newer = Launcher.run(Map.of(), "--workdir=" + work.resolve("corrupt"), "list");
        assertEquals(0, newer.code(), newer.all());
        assertTrue(newer.err().contains("written by a newer packlab (format 42)"), newer.err());
    }
}
