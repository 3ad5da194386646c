package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.platform.LifecycleImage;
import io.packlab.cnb.platform.Reporter;
import io.packlab.engine.BuildListener;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the engine itself, each on a real dockerd: none at all, one too old for the API asked
 * for, one that is shut down or crashes in the middle of a docker build or of a buildpack's
 * bin/build, and one whose disk fills up while a kit loads. The tests that stop or fill an engine use
 * a scratch dockerd of their own ({@link ScratchDaemon}). Each failure is one paragraph with the
 * exit code of the contract, and once the engine is back its containers, volumes and dangling images
 * are as they were before.
 */
class EngineFaultIT {

    private static final List<String> BASES = List.of("packlab-base/debian:bookworm-slim",
            "packlab-base/distroless-python3:debian12");

    @TempDir
    Path dir;

    private static void assertOneParagraph(Launcher.Result r, int code, String... contains) {
        assertEquals(code, r.code(), r.all());
        String err = r.err().strip();
        for (String c : contains) {
            assertTrue(err.contains(c), "`" + c + "` in: " + err);
        }
        assertEquals(1, err.lines().filter(l -> l.startsWith("error: ")).count(), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }

    private Map<String, String> env(ScratchDaemon d) {
        Map<String, String> env = new HashMap<>(d.env());
        env.put("PACKLAB_BASES", "local");
        return env;
    }

    @Test
    void noEngineAtAllIsExitCodeThreeWithHowToStartOne() throws Exception {
        Launcher.Result r = Launcher.run(Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-such.sock")),
                "--workdir=" + dir, "check", "stack");
        assertOneParagraph(r, 3, "cannot reach a Docker engine at unix://" + dir.resolve("no-such.sock"),
                "sudo systemctl start docker");
    }

    @Test
    void anEngineOlderThanTheApiAskedForIsRefusedWithBothVersions() throws Exception {
        String api;
        try (DockerEngine shared = DockerSupport.engine()) {
            api = shared.info().apiVersion();
        }
        // the shared engine is real; asking it for an API beyond its own is what an old engine answers to
        Launcher.Result r = Launcher.run(Map.of("DOCKER_API_VERSION", "1.99"), "--workdir=" + dir, "check", "stack");
        assertOneParagraph(r, 3, "too old for the API packlab asked for", "asked for Engine API 1.99",
                "the engine speaks up to " + api, "Unset DOCKER_API_VERSION");
    }

    /** A docker build on the scratch engine that is in the middle of a 60 s RUN when this returns. */
    private Launcher.Running slowDockerBuild(ScratchDaemon d) throws Exception {
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + BASES.get(0) + "\nRUN sleep 60\n");
        Launcher.Running build = Launcher.start(env(d), "--workdir=" + dir, "docker", "build", "-t",
                "packlab-it-fault:1", ctx.toString());
        build.awaitOutput("Running in", 120);
        return build;
    }

    private ScratchDaemon scratchWithDebian() throws Exception {
        ScratchDaemon d = ScratchDaemon.start(dir.resolve("d"), Optional.empty());
        try (DockerEngine shared = DockerSupport.engine()) {
            d.copyFrom(shared, BASES.subList(0, 1));
        }
        return d;
    }

    @Test
    void anEngineShutDownDuringDockerBuildStopsTheStepCleanly() throws Exception {
        try (ScratchDaemon d = scratchWithDebian()) {
            Set<String> before = DockerSupport.leftovers(d);
            Launcher.Running build = slowDockerBuild(d);
            d.stop();
            Launcher.Result r = build.await(60);
            assertOneParagraph(r, 3, "The Docker engine at " + d.host() + " stopped answering while packlab was"
                    + " trying to run docker build of packlab-it-fault:1", "Start the engine again");

            d.restart();
            assertEquals(before, DockerSupport.leftovers(d), "containers, volumes and dangling images as before");
            try (DockerEngine e = d.engine()) {
                assertTrue(e.inspectImage("packlab-it-fault:1").isEmpty(), "nothing tagged");
            }
        }
    }

    @Test
    void anEngineCrashDuringDockerBuildLeavesAContainerThatPacklabRemovesWhenItIsBack() throws Exception {
        try (ScratchDaemon d = scratchWithDebian()) {
            Set<String> before = DockerSupport.leftovers(d);
            Launcher.Running build = slowDockerBuild(d);
            d.crash();
            Launcher.Result r = build.await(30);
            assertOneParagraph(r, 3, "stopped answering while packlab was trying to run docker build of"
                    + " packlab-it-fault:1", "packlab removes the container it left there the next time");

            d.restart();
            assertFalse(before.equals(DockerSupport.leftovers(d)),
                    "the crashed engine kept the build's container (otherwise this test proves nothing)");
            Launcher.Result next = Launcher.run(env(d), "--workdir=" + dir, "check", "stack");
            assertTrue(next.all().contains("removed the container that an interrupted step left"), next.all());
            assertEquals(before, DockerSupport.leftovers(d), "containers, volumes and dangling images as before");
            assertFalse(Files.exists(dir.resolve(".packlab/leftovers")), "the note is gone with the containers");
        }
    }

    @Test
    void anEngineCrashWhileABuildpackBuildsIsCleanedUpWhenItIsBack() throws Exception {
        try (ScratchDaemon d = ScratchDaemon.start(dir.resolve("d"), Optional.empty());
                DockerEngine shared = DockerSupport.engine()) {
            Map<String, String> env = env(d);
            Path home = Launcher.HOME;
            String[] pl = {"--workdir=" + dir, "--engine", "builtin"};
            // the scratch engine has no network for apt-get: the stack is built on the shared one and copied
            try {
                for (String image : List.of("build", "run")) {
                    shared.build(new BuildRequest(home.resolve("stacks/distroless-python/" + image), Optional.empty(),
                            List.of("fault-stack:" + image),
                            Map.of("BASE_IMAGE", BASES.get(image.equals("build") ? 0 : 1)),
                            Map.of(Engine.LESSON_LABEL, "packlab-it-fault"), false, false), BuildListener.silent(),
                            Cancellation.none());
                }
                // and packlab's launcher image, which builder create and build put in their images
                String launcher = LifecycleImage.ensure(shared, LifecycleImage.Base.auto(), Reporter.quiet(),
                        Cancellation.none());
                d.copyFrom(shared, List.of("fault-stack:build", "fault-stack:run", launcher));
            } finally {
                shared.listImages(Engine.labelFilter(Engine.LESSON_LABEL, "packlab-it-fault"))
                        .forEach(i -> shared.removeImage(i.id(), true));
            }
            // the python buildpack, made slow when the app holds a file named `slow`
            Path bp = dir.resolve("bp");
            DockerSupport.copyTree(home.resolve("buildpacks/python"), bp);
            String build = Files.readString(bp.resolve("bin/build"));
            Files.writeString(bp.resolve("bin/build"), build.replaceFirst("\n",
                    "\nif [ -f slow ]; then echo 'slow: building'; sleep 60; fi\n"));
            Files.writeString(dir.resolve("builder.toml"),
                    DockerSupport.builderToml(bp, "fault-stack:build", "fault-stack:run"));
            Launcher.Result builder = Launcher.run(env, Launcher.cat(pl, "pack", "builder", "create", "fault-builder",
                    "--config", dir.resolve("builder.toml").toString()));
            assertEquals(0, builder.code(), builder.all());
            Path app = dir.resolve("app");
            DockerSupport.copyTree(home.resolve("sample-app"), app);
            Launcher.Result first = Launcher.run(env, Launcher.cat(pl, "pack", "build", "fault-app", "--builder",
                    "fault-builder", "--path", app.toString()));
            assertEquals(0, first.code(), first.all());
            Set<String> before = DockerSupport.leftovers(d);
            String appId;
            try (DockerEngine e = d.engine()) {
                appId = e.inspectImage("fault-app").orElseThrow().id();
            }

            Files.writeString(app.resolve("slow"), "");
            Launcher.Running slow = Launcher.start(env, Launcher.cat(pl, "pack", "build", "fault-app", "--builder",
                    "fault-builder", "--path", app.toString()));
            slow.awaitOutput("slow: building", 120);
            d.crash();
            Launcher.Result r = slow.await(30);
            assertOneParagraph(r, 3, "stopped answering while packlab was trying to",
                    "packlab removes the container it left there the next time");

            d.restart();
            Files.createDirectories(dir.resolve("lessons"));
            Files.writeString(dir.resolve("lessons/01-fault.md"),
                    "---\nid: fault\n---\n```check\nimage fault-app exists\n```\n");
            Launcher.Result next = Launcher.run(env, "--workdir=" + dir, "--lessons", dir.resolve("lessons").toString(),
                    "check", "fault");
            assertEquals(0, next.code(), next.all());
            assertTrue(next.all().contains("removed the container that an interrupted step left"), next.all());
            assertEquals(before, DockerSupport.leftovers(d), "containers, volumes and dangling images as before");
            try (DockerEngine e = d.engine()) {
                assertEquals(appId, e.inspectImage("fault-app").orElseThrow().id(), "the app image is the old one");
            }
        }
    }

    @Test
    void aDiskThatFillsUpDuringKitLoadIsOneParagraphAndLoadsNothing() throws Exception {
        Path kit = dir.resolve("kit.tar.gz");
        Launcher.Result saved = Launcher.run(Map.of("PACKLAB_BASES", "local"), "--workdir=" + dir, "kit", "save",
                kit.toString());
        assertEquals(0, saved.code(), saved.all());
        long kitSize = Files.size(kit);
        try (ScratchDaemon d = ScratchDaemon.start(dir.resolve("small"), Optional.of("48m"))) {
            Set<String> before = DockerSupport.leftovers(d);
            Launcher.Result r = Launcher.run(env(d), "--workdir=" + dir, "kit", "load", kit.toString());
            assertOneParagraph(r, 1, "no space left on device");
            assertEquals(before, DockerSupport.leftovers(d), "containers, volumes and dangling images as before");
            try (DockerEngine e = d.engine()) {
                assertEquals(List.of(), e.listImages(List.of()), "no image half-loaded");
            }
            assertEquals(kitSize, Files.size(kit), "the kit itself is untouched");
        }
    }
}
