package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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

/** {@code rebase} in the engine, on a stub engine: the events it emits, in order. */
class RebaseEventsTest {

    @TempDir
    Path dir;

    @Test
    void aRebaseEmitsSavingSavedAndTheImageItCreated() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        memory.file("/cnb/buildpacks/examples_web/1.0.0/buildpack.toml", "api = \"0.10\"\n");
        memory.onExec = (exec, lines) -> {
            if (exec.command().get(0).endsWith("/bin/build")) {
                memory.file("/layers/examples_web/launch.toml", "[[processes]]\ntype = \"web\"\ncommand = [\"s\"]\n");
            }
            return 0;
        };
        ImageDetails builder = Fixtures.image("sha256:builder", List.of("CNB_USER_ID=1000", "CNB_GROUP_ID=1001"),
                Map.of(Cnb.LABEL_BUILDER, "{\"stack\": {\"runImage\": {\"image\": \"run\"}}}",
                        Cnb.LABEL_BUILDPACK_LAYERS, "{\"examples/web\": {\"1.0.0\": {\"api\": \"0.10\"}}}",
                        Cnb.LABEL_BUILDPACK_ORDER, "[{\"group\": [{\"id\": \"examples/web\"}]}]"), List.of("sha256:b1"));
        EngineStub stub = new EngineStub(memory).image("my-builder", builder).image("run", Fixtures.run());
        Path app = Files.createDirectories(dir.resolve("app"));
        String built = new AppBuilder(stub.engine(), new RecordingReporter(), Map.of())
                .launcher(() -> "launcher".getBytes(StandardCharsets.UTF_8))
                .build(new Requests.Build("webapp", "my-builder", List.of(), Map.of(), app, Optional.empty(), false,
                        Optional.empty()), Files.createDirectories(dir.resolve("t1")), Cancellation.none());
        stub.image("webapp", new ImageDetails(built, stub.lastConfig));
        stub.image("run", Fixtures.image("sha256:run2", List.of("PATH=/usr/bin:/bin"), Map.of(
                "io.buildpacks.stack.id", "io.packlab.stack"), List.of("sha256:r1", "sha256:r3")));

        RecordingReporter out = new RecordingReporter();
        Rebaser.Result result = new BuiltinPlatform(stub.engine(), out, Map.of(), "test").rebase(
                new Requests.Rebase("webapp", Optional.empty(), false, List.of(), false));

        assertNotEquals(built, result.newId());
        assertEquals(List.of(new PlatformEvent.ImageSaving("webapp", PlatformEvent.Store.ENGINE),
                new PlatformEvent.ImageSaved("webapp", result.newId(), PlatformEvent.Store.ENGINE),
                new PlatformEvent.ResourceCreated(Created.image(result.newId(), List.of("webapp")))), out.events);
        assertEquals(List.of("Rebasing webapp on run image run", "Saving webapp...", "*** Images ("
                + result.newId().substring(0, 19) + "):", "      webapp", "Rebased webapp: run image layers 2 -> 2,"
                + " 4 app layer(s) kept as they were"), out.lines);
    }
}
