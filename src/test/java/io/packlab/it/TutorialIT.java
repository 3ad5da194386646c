package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.platform.LifecycleImage;
import io.packlab.cnb.platform.Reporter;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole tutorial through the real launcher on a real engine: the bases saved to an offline kit,
 * removed and loaded back, then {@code run --all} with the built-in platform, every lesson's checks
 * passing; then {@code reset} leaves the engine's images, containers and volumes as they were; and a
 * later lesson without its prerequisites names them.
 */
class TutorialIT {

    @TempDir
    static Path work;

    @TempDir
    static Path fresh;

    @TempDir
    static Path japanese;

    private static DockerEngine engine;

    @BeforeAll
    static void docker() {
        engine = DockerSupport.engine();
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static Set<String> images() {
        Set<String> out = new TreeSet<>();
        engine.listImages(List.of()).forEach(i -> out.add(i.id() + " " + i.repoTags()));
        return out;
    }

    private static Set<String> containers() {
        Set<String> out = new TreeSet<>();
        engine.listContainers(List.of()).forEach(c -> out.add(c.id()));
        return out;
    }

    private static Set<String> volumes() {
        return new TreeSet<>(engine.listVolumes(List.of()));
    }

    @Test
    void runAllPassesEveryLessonAndResetLeavesTheEngineAsItWas() throws Exception {
        assertTrue(engine.listImages(Engine.labelFilter(Engine.LESSON_LABEL, null)).isEmpty(),
                "the daemon starts with none of packlab's images");
        // packlab's launcher image is made once per engine (from Debian's gcc), like the bases: it stays
        String launcher = LifecycleImage.ensure(engine, LifecycleImage.Base.auto(), Reporter.quiet(),
                Cancellation.none());
        Set<String> images = images();
        Set<String> containers = containers();
        Set<String> volumes = volumes();

        // A room without any registry: the bases and the launcher image come from an offline kit.
        Path kit = work.resolve("bases-kit.tar.gz");
        Launcher.Result saved = Launcher.run(Map.of(), "--workdir=" + work, "kit", "save", kit.toString());
        assertEquals(0, saved.code(), saved.all());
        for (String base : List.of(launcher, "packlab-base/debian:bookworm-slim",
                "packlab-base/distroless-python3:debian12")) {
            assertTrue(engine.removeImage(base, false), base);
        }
        Launcher.Result loaded = Launcher.run(Map.of(), "--workdir=" + work, "kit", "load", kit.toString());
        assertEquals(0, loaded.code(), loaded.all());
        assertEquals(images, images(), "the kit restored the bases and the launcher image as they were");

        Launcher.Result r = Launcher.run(Map.of("PACKLAB_BASES", "local"), "--workdir=" + work, "--engine", "builtin",
                "run", "--all");
        assertEquals(0, r.code(), r.all());
        for (String lesson : List.of("stack", "buildpack", "package", "builder", "build", "add-buildpack", "rebase")) {
            assertTrue(r.out().matches("(?s).*✔ lesson " + lesson + ": all \\d+ checks passed.*"), lesson + "\n" + r.out());
        }
        assertTrue(r.out().contains("app        1"), "the rebase lesson shows the layer table: " + r.out());
        assertTrue(Files.isExecutable(work.resolve("scratch/my-cnb/bin/build")), "pack buildpack new scaffolded");

        Launcher.Result list = Launcher.run(Map.of(), "--workdir=" + work, "list");
        assertEquals(7, list.out().lines().filter(l -> l.contains(" done ")).count(), list.out());

        Launcher.Result reset = Launcher.run(Map.of(), "--workdir=" + work, "reset", "--yes");
        assertEquals(0, reset.code(), reset.all());
        assertEquals(images, images(), "docker images as before the run");
        assertEquals(containers, containers(), "docker ps -a as before the run");
        assertEquals(volumes, volumes(), "docker volume ls as before the run");
        assertTrue(Files.notExists(work.resolve("scratch")), "the scaffolded folder is gone");
    }

    @Test
    void theJapaneseLessonsRunToTheEndToo() throws Exception {
        Set<String> images = images();
        Launcher.Result r = Launcher.run(Map.of("PACKLAB_BASES", "local"), "--workdir=" + japanese, "--lang", "ja",
                "--engine", "builtin", "run", "--all");
        try {
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("lessons/ja/07-rebase.md") || r.out().contains("リベース"), r.out());
            Launcher.Result list = Launcher.run(Map.of(), "--workdir=" + japanese, "--lang", "ja", "list");
            assertEquals(7, list.out().lines().filter(l -> l.contains(" done ")).count(), list.out());
        } finally {
            Launcher.Result reset = Launcher.run(Map.of(), "--workdir=" + japanese, "reset", "--yes");
            assertEquals(0, reset.code(), reset.all());
        }
        assertEquals(images, images(), "docker images as before the run");
    }

    @Test
    void aLaterLessonWithoutItsPrerequisitesSaysWhichToRunFirst() throws Exception {
        Launcher.Result r = Launcher.run(Map.of(), "--workdir=" + fresh, "--engine", "builtin", "run", "build");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("lesson `build` builds on what lesson `builder` makes"), r.err());
        assertTrue(r.err().contains("Run `./packlab run builder` first."), r.err());
        assertTrue(engine.inspectImage("webapp").isEmpty(), "no step ran");
    }
}
