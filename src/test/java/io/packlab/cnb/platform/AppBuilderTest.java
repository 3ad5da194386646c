package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import io.packlab.engine.Created;
import io.packlab.engine.ImageDetails;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conductor on a stub engine and an in-memory container: the phases in order, the events, the same image ID. */
class AppBuilderTest {

    @TempDir
    Path dir;

    private static ImageDetails builder() {
        return Fixtures.image("sha256:builder", List.of("PATH=/usr/bin:/bin", "CNB_USER_ID=1000", "CNB_GROUP_ID=1001"),
                Map.of(Cnb.LABEL_BUILDER, "{\"stack\": {\"runImage\": {\"image\": \"run\"}}}",
                        Cnb.LABEL_BUILDPACK_LAYERS, "{\"examples/web\": {\"1.0.0\": {\"api\": \"0.10\"}}}",
                        Cnb.LABEL_BUILDPACK_ORDER, "[{\"group\": [{\"id\": \"examples/web\", \"version\": \"1.0.0\"}]}]"),
                List.of("sha256:b1"));
    }

    /** A container whose one buildpack passes detection and makes a launch layer and a web process. */
    private MemoryContainer container(Path root) throws Exception {
        MemoryContainer memory = new MemoryContainer(root);
        memory.file("/cnb/buildpacks/examples_web/1.0.0/buildpack.toml", "api = \"0.10\"\n[buildpack]\nid ="
                + " \"examples/web\"\nversion = \"1.0.0\"\n");
        memory.onExec = (exec, lines) -> {
            if (exec.command().get(0).endsWith("/bin/build")) {
                lines.accept("---> building");
                memory.file("/layers/examples_web/server.toml", "[types]\nlaunch = true\n[metadata]\nv = \"1\"\n");
                memory.file("/layers/examples_web/server/bin/serve", "#!/bin/sh\n");
                memory.file("/layers/examples_web/launch.toml", "[[processes]]\ntype = \"web\"\ncommand = [\"serve\"]\n"
                        + "default = true\n");
            }
            return 0;
        };
        return memory;
    }

    private String build(EngineStub stub, RecordingReporter out) throws Exception {
        Path app = dir.resolve("app");
        Files.createDirectories(app);
        Files.writeString(app.resolve("index.html"), "hello");
        Path temp = Files.createTempDirectory(dir, "temp");
        return new AppBuilder(stub.engine(), out, Map.of("io.packlab.lesson", "t"))
                .launcher(() -> "launcher".getBytes(StandardCharsets.UTF_8))
                .build(new Requests.Build("webapp", "my-builder", List.of(), Map.of(), app, Optional.empty(), false,
                        Optional.empty()), temp, Cancellation.none());
    }

    @Test
    void aBuildRunsThePhasesInTheLifecyclesOrderAndEmitsTheirEvents() throws Exception {
        MemoryContainer memory = container(dir.resolve("root"));
        EngineStub stub = new EngineStub(memory).image("my-builder", builder()).image("run", Fixtures.run());
        RecordingReporter out = new RecordingReporter();
        String id = build(stub, out);

        String cache = "pack-cache-" + AppBuilder.sha256("webapp").substring(0, 12) + ".build";
        assertEquals(List.of(
                new PlatformEvent.PhaseStarted(PlatformEvent.Phase.ANALYZING),
                new PlatformEvent.PhaseStarted(PlatformEvent.Phase.RESTORING),
                new PlatformEvent.PhaseStarted(PlatformEvent.Phase.DETECTING),
                new PlatformEvent.PhaseStarted(PlatformEvent.Phase.BUILDING),
                new PlatformEvent.PhaseStarted(PlatformEvent.Phase.EXPORTING),
                new PlatformEvent.LayerAdded("examples/web", "server"),
                new PlatformEvent.AppLayersAdded(1),
                new PlatformEvent.LayerAdded("packlab/lifecycle", "launcher"),
                new PlatformEvent.LayerAdded("packlab/lifecycle", "config"),
                new PlatformEvent.LayerAdded("packlab/lifecycle", "process-types"),
                new PlatformEvent.ImageSaving("webapp", PlatformEvent.Store.ENGINE),
                new PlatformEvent.ImageSaved("webapp", id, PlatformEvent.Store.ENGINE),
                new PlatformEvent.ResourceCreated(Created.image(id, List.of("webapp"))),
                new PlatformEvent.ResourceCreated(Created.volume(cache))), out.events);
        assertEquals(List.of("===> ANALYZING", "Previous image with name \"webapp\" not found", "===> RESTORING",
                "===> DETECTING", "pass: examples/web@1.0.0", "examples/web 1.0.0", "===> BUILDING",
                "Running the build of examples/web 1.0.0", "===> EXPORTING", "Adding layer 'examples/web:server'",
                "Adding 1/1 app layer(s)", "Adding layer 'packlab/lifecycle:launcher'",
                "Adding layer 'packlab/lifecycle:config'", "Adding layer 'packlab/lifecycle:process-types'",
                "Saving webapp...", "*** Images (" + id.substring(0, 19) + "):", "      webapp",
                "Setting default process type 'web'"), out.lines);
        assertEquals(List.of("---> building"), out.output);
        assertEquals(1, stub.loads.size());
        assertEquals(List.of(cache), stub.volumes);
        assertTrue(memory.removed, "the build container is removed");
        assertEquals("hello", Files.readString(memory.path("/workspace/index.html")), "the app went to /workspace");
    }

    @Test
    void theSameInputsMakeTheSameImageAndARebuildReusesItsLayers() throws Exception {
        MemoryContainer memory = container(dir.resolve("root"));
        EngineStub stub = new EngineStub(memory).image("my-builder", builder()).image("run", Fixtures.run());
        String first = build(stub, new RecordingReporter());

        MemoryContainer again = container(dir.resolve("root2"));
        EngineStub second = new EngineStub(again).image("my-builder", builder()).image("run", Fixtures.run());
        String id = build(second, new RecordingReporter());
        assertEquals(first, id, "a build is reproducible");

        ImageDetails previous = new ImageDetails(first, second.lastConfig);
        MemoryContainer third = container(dir.resolve("root3"));
        EngineStub withPrevious = new EngineStub(third).image("my-builder", builder()).image("run", Fixtures.run())
                .image("webapp", previous);
        RecordingReporter out = new RecordingReporter();
        assertEquals(first, build(withPrevious, out));
        assertEquals(List.of(new PlatformEvent.LayersReused(5, 5)), out.events(PlatformEvent.LayersReused.class));
        assertEquals(List.of(), withPrevious.loads, "the very image the name holds: nothing to load");
        assertEquals(List.of(Created.volume("pack-cache-" + AppBuilder.sha256("webapp").substring(0, 12) + ".build")),
                out.created, "the image was there already: only the volume is recorded");
    }

    @Test
    void aBuilderWithoutTheCnbUserIsRefusedBeforeAnythingIsMade() {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        EngineStub stub = new EngineStub(memory).image("my-builder", Fixtures.image("sha256:b", List.of(),
                Map.of(Cnb.LABEL_BUILDER, "{}"), List.of())).image("run", Fixtures.run());
        PlatformException e = assertThrows(PlatformException.class, () -> build(stub, new RecordingReporter()));
        assertEquals("image my-builder missing required env var CNB_USER_ID; a build image must set CNB_USER_ID and"
                + " CNB_GROUP_ID.", e.getMessage());
        assertEquals(List.of(), stub.volumes);
    }

    /**
     * A builder whose buildpack has {@code clear-env} as given, an operator env and a user env file of its own; the
     * container does by hand what the prepare shell line does (copies them to the probe folder).
     */
    private Map<String, String> buildEnv(String name, boolean clearEnv) throws Exception {
        MemoryContainer memory = container(dir.resolve(name));
        memory.file("/cnb/buildpacks/examples_web/1.0.0/buildpack.toml", "api = \"0.10\"\n[buildpack]\nid ="
                + " \"examples/web\"\nversion = \"1.0.0\"\nclear-env = " + clearEnv + "\n");
        memory.file("/cnb/build-config/env/OPERATOR.override", "set");
        memory.file("/platform/env/FROM_BUILDER", "baked");
        MemoryContainer.Behaviour buildpack = memory.onExec;
        List<Map<String, String>> builds = new java.util.ArrayList<>();
        memory.onExec = (exec, lines) -> {
            String script = exec.script();
            if (script != null && script.contains(AppBuilder.PROBE)) {
                assertTrue(script.contains(" && touch '/tmp/packlab/plan-1.toml' && chown 1000:1001"
                        + " '/tmp/packlab/plan-1.toml'"), script);
                assertTrue(script.contains("cp '/cnb/buildpacks/examples_web/1.0.0/buildpack.toml'"
                        + " /tmp/packlab/probe/buildpacks/0.toml"), script);
                org.apache.commons.io.FileUtils.copyDirectory(memory.path("/platform/env").toFile(),
                        memory.path(AppBuilder.PROBE + "/user/env").toFile());
                org.apache.commons.io.FileUtils.copyDirectory(memory.path(Cnb.BUILD_CONFIG_ENV_DIR).toFile(),
                        memory.path(AppBuilder.PROBE + "/operator/env").toFile());
                Files.createDirectories(memory.path(AppBuilder.PROBE + "/buildpacks"));
                Files.copy(memory.path("/cnb/buildpacks/examples_web/1.0.0/buildpack.toml"),
                        memory.path(AppBuilder.PROBE + "/buildpacks/0.toml"));
            }
            if (exec.command().get(0).endsWith("/bin/build")) {
                builds.add(exec.env());
            }
            return buildpack.run(exec, lines);
        };
        Path app = Files.createDirectories(dir.resolve(name + "-app"));
        Files.writeString(app.resolve("index.html"), "hello");
        EngineStub stub = new EngineStub(memory).image("my-builder", builder()).image("run", Fixtures.run());
        new AppBuilder(stub.engine(), new RecordingReporter(), Map.of()).launcher(() -> new byte[] {1})
                .build(new Requests.Build("webapp", "my-builder", List.of(), Map.of("FROM_USER", "given"), app,
                        Optional.empty(), false, Optional.empty()), Files.createTempDirectory(dir, "temp"),
                        Cancellation.none());
        assertEquals(AppBuilder.PROBE, memory.copiedOut.get(0), "the container is read once before detect");
        assertTrue(memory.copiedOut.stream().noneMatch(p -> p.endsWith("buildpack.toml") || p.startsWith("/platform")
                || p.startsWith("/cnb/build-config")), memory.copiedOut.toString());
        assertEquals(1, builds.size());
        return builds.get(0);
    }

    @Test
    void thePlatformEnvAndTheClearEnvOfTheBuildersBuildpacksAreReadInOneCopyOut() throws Exception {
        Map<String, String> kept = buildEnv("kept", false);
        assertEquals("given", kept.get("FROM_USER"), kept.toString());
        assertEquals("baked", kept.get("FROM_BUILDER"), kept.toString());
        assertEquals("set", kept.get("OPERATOR"), kept.toString());
        Map<String, String> cleared = buildEnv("cleared", true);
        assertEquals(null, cleared.get("FROM_USER"), "clear-env, read from the probed buildpack.toml: " + cleared);
        assertEquals(null, cleared.get("FROM_BUILDER"), cleared.toString());
        assertEquals("set", cleared.get("OPERATOR"), "operator env reaches every buildpack: " + cleared);
    }
}
