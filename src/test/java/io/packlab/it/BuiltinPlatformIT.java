package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.cnb.platform.BuiltinPlatform;
import io.packlab.cnb.platform.LifecycleImage;
import io.packlab.cnb.platform.Reporter;
import io.packlab.cnb.platform.Requests;
import io.packlab.engine.BuildListener;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import io.packlab.error.PacklabException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in platform on the tutorial's own material and a real Docker engine: package, builder
 * create, build (detect/build/export, cache, --buildpack), run the app, rebase; and the failures.
 * Uses its own image names (packlab-it-*), never the learner's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuiltinPlatformIT {

    private static final String LABEL = "packlab-it-platform";
    private static final String BUILD = "packlab-it-stack:build";
    private static final String RUN = "packlab-it-stack:run";
    private static final String PACKAGE = "packlab-it/my-cnb";
    private static final String BUILDER = "packlab-it-builder:latest";
    private static final String APP = "packlab-it-webapp:latest";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static DockerEngine engine;
    private static final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private static BuiltinPlatform platform;
    private static List<String> appLayersBeforeRebase;

    @BeforeAll
    static void stack() throws Exception {
        engine = DockerSupport.engine();
        platform = DockerSupport.recordingPlatform(engine, lines, LABEL);
        Path home = Launcher.HOME;
        DockerSupport.buildLabelled(engine, home.resolve("stacks/distroless-python/build"), BUILD, "packlab-base/debian:bookworm-slim", LABEL);
        DockerSupport.buildLabelled(engine, home.resolve("stacks/distroless-python/run"), RUN, "packlab-base/distroless-python3:debian12", LABEL);
        Files.writeString(work.resolve("builder.toml"), """
                [[buildpacks]]
                id = "example/python"
                version = "0.0.1"
                uri = "%s"

                [[order]]
                  [[order.group]]
                  id = "example/python"
                  version = "0.0.1"

                [stack]
                id = "com.example.stacks.distroless-python"
                build-image = "%s"
                run-image = "%s"
                """.formatted(home.resolve("buildpacks/python"), BUILD, RUN));
    }


    @AfterAll
    static void cleanUp() {
        if (engine == null) {
            return;
        }
        DockerSupport.removeLabelled(engine, LABEL);
        engine.close();
    }

    private static JsonNode label(String image, String key) throws Exception {
        ImageInfo info = engine.inspectImage(image).orElseThrow();
        return JSON.readTree(info.labels().get(key));
    }

    private static String run(Requests request) throws Exception {
        lines.clear();
        return platform.run(request, Cancellation.none());
    }

    @Test
    @Order(1)
    void packageMakesABuildpackageWithItsLabels() throws Exception {
        run(new Requests.PackageBuildpack(PACKAGE, Launcher.HOME.resolve("packages/empty/package.toml")));
        JsonNode meta = label(PACKAGE, "io.buildpacks.buildpackage.metadata");
        assertEquals("example/empty", meta.path("id").asText());
        assertEquals("0.0.1", meta.path("version").asText());
        JsonNode layers = label(PACKAGE, "io.buildpacks.buildpack.layers");
        JsonNode v = layers.path("example/empty").path("0.0.1");
        assertEquals("0.9", v.path("api").asText());
        ImageInfo image = engine.inspectImage(PACKAGE).orElseThrow();
        assertEquals(List.of(v.path("layerDiffID").asText()), image.layers(), "one layer: the buildpack");
    }

    @Test
    @Order(2)
    void builderCreateAddsTheBuildpackAndItsLabels() throws Exception {
        run(new Requests.CreateBuilder(BUILDER, work.resolve("builder.toml")));
        JsonNode meta = label(BUILDER, "io.buildpacks.builder.metadata");
        assertEquals(RUN, meta.path("stack").path("runImage").path("image").asText());
        assertEquals("example/python", meta.path("buildpacks").path(0).path("id").asText());
        JsonNode order = label(BUILDER, "io.buildpacks.buildpack.order");
        assertEquals("example/python", order.path(0).path("group").path(0).path("id").asText());
        assertTrue(label(BUILDER, "io.buildpacks.buildpack.layers").path("example/python").has("0.0.1"));
        assertEquals("com.example.stacks.distroless-python",
                engine.inspectImage(BUILDER).orElseThrow().labels().get("io.buildpacks.stack.id"));
        String c = engine.createContainer(ContainerSpec.idle(BUILDER, Map.of(Engine.LESSON_LABEL, LABEL)));
        try {
            engine.startContainer(c);
            List<String> out = new ArrayList<>();
            int code = engine.exec(c, List.of("sh", "-c", "test -x /cnb/buildpacks/example_python/0.0.1/bin/build"
                    + " && test -x /cnb/lifecycle/launcher && cat /cnb/order.toml"), null, Map.of(), null, out::add,
                    Cancellation.none()).exitCode();
            assertEquals(0, code, String.join("\n", out));
            assertTrue(out.contains("    id = \"example/python\""), out.toString());
        } finally {
            engine.removeContainer(c);
        }
    }

    @Test
    @Order(3)
    void buildMakesAnAppImageThatAnswersHttp() throws Exception {
        int containersBefore = engine.listContainers(List.of()).size();
        run(new Requests.Build(APP, BUILDER, List.of(), Map.of(), Launcher.HOME.resolve("sample-app"), Optional.empty(),
                false, Optional.empty()));
        assertTrue(lines.contains("---> Installing requirements into layer 'deps'"), lines.toString());
        ImageInfo app = engine.inspectImage(APP).orElseThrow();
        ImageInfo run = engine.inspectImage(RUN).orElseThrow();
        JsonNode lifecycle = label(APP, "io.buildpacks.lifecycle.metadata");
        assertEquals(run.topLayer().orElseThrow(), lifecycle.path("runImage").path("topLayer").asText());
        assertEquals(run.id(), lifecycle.path("runImage").path("reference").asText());
        assertEquals(run.layers(), app.layers().subList(0, run.layers().size()), "the run image's layers at the bottom");
        JsonNode build = label(APP, "io.buildpacks.build.metadata");
        assertEquals("example/python", build.path("buildpacks").path(0).path("id").asText());
        assertEquals("0.0.1", build.path("buildpacks").path(0).path("version").asText());
        assertEquals("web", build.path("processes").path(0).path("type").asText());
        assertEquals("/workspace", app.workingDir());
        assertEquals("/workspace", app.envValue("CNB_APP_DIR").orElseThrow());
        assertEquals("/layers", app.envValue("CNB_LAYERS_DIR").orElseThrow());
        assertEquals("65532:65532", app.user(), "the run image's user is kept");
        assertEquals(containersBefore, engine.listContainers(List.of()).size(), "no build container left");
        assertEquals(List.of("/cnb/process/web"), app.entrypoint(), "the default process's link to the launcher");
        assertEquals(List.of(), app.cmd());
        assertTrue(app.envValue("PATH").orElseThrow().startsWith("/cnb/process:/cnb/lifecycle:"), app.env().toString());
        assertTrue(app.envValue("PYTHONPATH").isEmpty(), "the launch env is the launcher's, not frozen: " + app.env());
        List<String> top = app.layers().subList(app.layers().size() - 3, app.layers().size());
        assertEquals(List.of(lifecycle.path("launcher").path("sha").asText(), lifecycle.path("config").path("sha")
                .asText(), lifecycle.path("process-types").path("sha").asText()), top,
                "launcher, config and process-types layers on top, as the lifecycle's exporter puts them");
        assertEquals(LifecycleImage.version(), build.path("launcher").path("version").asText());
        assertHttp(APP, "Built by</th><td>example/python 0.0.1");
        // the launcher composes the launch env at start, over what the container is given
        String c = engine.createContainer(new ContainerSpec(APP, null, null, Map.of("PYTHONPATH", "/mine"),
                Map.of(Engine.LESSON_LABEL, LABEL), List.of("launcher"), List.of("--", "python3", "-c",
                        "import os; print(os.environ['PYTHONPATH'] + ' ' + os.environ['PYTHON_BUILDPACK'])"), null,
                Map.of(), Map.of()));
        try {
            engine.startContainer(c);
            assertEquals(0, engine.waitContainer(c), engine.logs(c));
            assertEquals("/layers/example_python/deps/site-packages:/mine example/python 0.0.1",
                    engine.logs(c).strip());
        } finally {
            engine.removeContainer(c);
        }
    }

    @Test
    @Order(4)
    void anUnchangedRebuildReusesTheCachedLayer() throws Exception {
        run(new Requests.Build(APP, BUILDER, List.of(), Map.of(), Launcher.HOME.resolve("sample-app"), Optional.empty(),
                false, Optional.empty()));
        assertTrue(lines.contains("---> Reusing layer 'deps' (requirements.txt unchanged)"), lines.toString());
    }

    @Test
    @Order(5)
    void buildWithABuildpackFolderUsesThatVersion() throws Exception {
        Path bp = work.resolve("python-0.0.2");
        DockerSupport.copyTree(Launcher.HOME.resolve("buildpacks/python"), bp);
        Path toml = bp.resolve("buildpack.toml");
        Files.writeString(toml, Files.readString(toml).replace("version = \"0.0.1\"", "version = \"0.0.2\""));
        run(new Requests.Build(APP, BUILDER, List.of(bp.toString()), Map.of(), Launcher.HOME.resolve("sample-app"),
                Optional.empty(), false, Optional.empty()));
        JsonNode build = label(APP, "io.buildpacks.build.metadata");
        assertEquals("0.0.2", build.path("buildpacks").path(0).path("version").asText());
        assertHttp(APP, "Built by</th><td>example/python 0.0.2");
    }

    @Test
    @Order(6)
    void rebaseSwapsTheRunImageAndKeepsTheAppLayers() throws Exception {
        ImageInfo before = engine.inspectImage(APP).orElseThrow();
        ImageInfo oldRun = engine.inspectImage(RUN).orElseThrow();
        appLayersBeforeRebase = before.layers().subList(oldRun.layers().size(), before.layers().size());
        Path newRun = Files.createDirectories(work.resolve("run2"));
        Files.writeString(newRun.resolve("motd"), "run image, patched\n");
        Files.writeString(newRun.resolve("Dockerfile"), "FROM " + RUN + "\nCOPY motd /etc/motd\nLABEL patched=yes\n");
        engine.build(new BuildRequest(newRun, Optional.empty(), List.of(RUN), Map.of(), Map.of(Engine.LESSON_LABEL,
                LABEL), false, false), BuildListener.silent(), Cancellation.none());
        ImageInfo run = engine.inspectImage(RUN).orElseThrow();

        run(new Requests.Rebase(APP, Optional.empty()));
        ImageInfo after = engine.inspectImage(APP).orElseThrow();
        assertFalse(before.id().equals(after.id()), "a new image");
        JsonNode lifecycle = label(APP, "io.buildpacks.lifecycle.metadata");
        assertEquals(run.topLayer().orElseThrow(), lifecycle.path("runImage").path("topLayer").asText());
        assertEquals(run.layers(), after.layers().subList(0, run.layers().size()));
        assertEquals(appLayersBeforeRebase, after.layers().subList(run.layers().size(), after.layers().size()),
                "every layer above the run image has the same diff ID as before");
        assertHttp(APP, "Hello, Cloud Native Buildpacks!");
    }

    @Test
    @Order(7)
    void anAppThatNoBuildpackDetectsFailsWithTheDetectOutput() throws Exception {
        Path notPython = Files.createDirectories(work.resolve("not-python"));
        Files.writeString(notPython.resolve("index.js"), "console.log('hi')\n");
        String app = "packlab-it-nodetect:latest";
        PacklabException e = assertThrows(PacklabException.class, () -> run(new Requests.Build(app, BUILDER, List.of(),
                Map.of(), notPython, Optional.empty(), false, Optional.empty())));
        assertTrue(e.getMessage().startsWith("No buildpack groups passed detection"), e.getMessage());
        assertTrue(e.getMessage().contains("python: no app.py, main.py or requirements.txt here"), e.getMessage());
        assertTrue(engine.inspectImage(app).isEmpty(), "no image tagged");
    }

    @Test
    @Order(8)
    void aFailingBuildLeavesNoImageAndNoContainer() throws Exception {
        Path bp = work.resolve("broken");
        DockerSupport.copyTree(Launcher.HOME.resolve("buildpacks/python"), bp);
        Files.writeString(bp.resolve("bin/build"), "#!/usr/bin/env bash\necho 'broken: cannot build'\nexit 1\n");
        String app = "packlab-it-broken:latest";
        int containersBefore = engine.listContainers(List.of()).size();
        PacklabException e = assertThrows(PacklabException.class, () -> run(new Requests.Build(app, BUILDER,
                List.of(bp.toString()), Map.of(), Launcher.HOME.resolve("sample-app"), Optional.empty(), false,
                Optional.empty())));
        assertTrue(e.getMessage().contains("bin/build exited with code 1"), e.getMessage());
        assertTrue(lines.contains("broken: cannot build"), lines.toString());
        assertTrue(engine.inspectImage(app).isEmpty(), "no image tagged");
        assertEquals(containersBefore, engine.listContainers(List.of()).size(), "no container left");
    }

    @Test
    @Order(9)
    void cancellingABuildWhileABuildpackRunsStopsItAndLeavesNoContainer() throws Exception {
        Path bp = work.resolve("slow");
        DockerSupport.copyTree(Launcher.HOME.resolve("buildpacks/python"), bp);
        Files.writeString(bp.resolve("bin/build"), "#!/usr/bin/env bash\necho 'slow: building'\nsleep 60\n");
        int containersBefore = engine.listContainers(List.of()).size();
        Cancellation cancel = new Cancellation();
        java.util.concurrent.atomic.AtomicReference<Throwable> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        lines.clear();
        Thread build = new Thread(() -> {
            try {
                platform.run(new Requests.Build("packlab-it-slow:latest", BUILDER, List.of(bp.toString()), Map.of(),
                        Launcher.HOME.resolve("sample-app"), Optional.empty(), false, Optional.empty()), cancel);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        build.start();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!lines.contains("slow: building") && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertTrue(lines.contains("slow: building"), lines.toString());
        long cancelled = System.nanoTime();
        cancel.cancel();
        build.join(Duration.ofSeconds(10).toMillis());
        assertFalse(build.isAlive(), "the build stopped");
        assertTrue(System.nanoTime() - cancelled < Duration.ofSeconds(5).toNanos(), "promptly");
        assertTrue(outcome.get() != null, "a cancelled build does not succeed");
        assertTrue(engine.inspectImage("packlab-it-slow:latest").isEmpty(), "no image tagged");
        long wait = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (engine.listContainers(List.of()).size() != containersBefore && System.nanoTime() < wait) {
            Thread.sleep(200);
        }
        assertEquals(containersBefore, engine.listContainers(List.of()).size(), "no build container left");
    }

    /**
     * Ctrl-C at each phase of a rebuild after an app change (the cancel arrives as the platform prints
     * the phase's line): the build stops, the image keeps its old ID, and no container, volume,
     * dangling image or temporary folder is left; then an uncancelled build of the same app works.
     */
    @ParameterizedTest
    @ValueSource(strings = {"===> ANALYZING", "===> RESTORING", "===> DETECTING", "===> BUILDING",
            "Adding cache layer", "===> EXPORTING", "Adding layer", "Saving ", "*** Images"})
    @Order(10)
    void cancellingAtEachPhaseLeavesTheImageAndTheEngineAsTheyWere(String phase) throws Exception {
        String image = "packlab-it-phase:latest";
        Path app = work.resolve("phase-app");
        if (engine.inspectImage(image).isEmpty()) {
            DockerSupport.copyTree(Launcher.HOME.resolve("sample-app"), app);
            run(new Requests.Build(image, BUILDER, List.of(), Map.of(), app, Optional.empty(), false, Optional.empty()));
        }
        String before = engine.inspectImage(image).orElseThrow().id();
        java.util.Set<String> state = DockerSupport.leftovers(engine);
        List<String> temps = DockerSupport.ownTemps();
        Files.writeString(app.resolve("phase.txt"), "cancelled at " + phase + "\n");

        Cancellation cancel = new Cancellation();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        BuiltinPlatform cancelling = new BuiltinPlatform(engine, new Reporter() {
            @Override
            public void info(String line) {
                seen.add(line);
                if (line.startsWith(phase)) {
                    cancel.cancel();
                }
            }

            @Override
            public void output(String line) {
                seen.add(line);
            }
        }, Map.of(Engine.LESSON_LABEL, LABEL), "test");
        Requests.Build build = new Requests.Build(image, BUILDER, List.of(), Map.of(), app, Optional.empty(), false,
                Optional.empty());
        Throwable outcome = assertThrows(Throwable.class, () -> cancelling.run(build, cancel), "cancelled: " + seen);
        assertTrue(seen.stream().anyMatch(l -> l.startsWith(phase)), "the build reached " + phase + ": " + seen);
        assertTrue(outcome instanceof InterruptedException, "a cancel, not a failure: " + outcome);
        assertEquals(before, engine.inspectImage(image).orElseThrow().id(), "the image is the one before");
        assertEquals(state, DockerSupport.leftovers(engine), "no container, volume or dangling image left");
        assertEquals(temps, DockerSupport.ownTemps(), "no temporary folder left");

        String after = run(build);
        assertFalse(after.contains(before), "the same build without a cancel makes a new image: " + after);
    }


    private static void assertHttp(String image, String expected) throws Exception {
        String c = engine.createContainer(new ContainerSpec(image, null, null, Map.of(), Map.of(Engine.LESSON_LABEL,
                LABEL), null, null, null, Map.of(), Map.of(8080, 0)));
        try {
            engine.startContainer(c);
            int port = engine.hostPort(c, 8080).orElseThrow();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String body = null;
            int status = 0;
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < end) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    body = r.body();
                    break;
                } catch (java.io.IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertEquals(200, status, "the app answers on port " + port);
            assertTrue(body.contains(expected), body);
        } finally {
            engine.removeContainer(c);
        }
    }
}
