package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.packlab.engine.Cancellation;
import io.packlab.engine.Created;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code buildpack package} and {@code builder create} on a stub engine: the events they emit, in order. */
class DistributionEventsTest {

    @TempDir
    Path dir;

    private Path buildpack(String id) throws Exception {
        Path bp = Files.createDirectories(dir.resolve(id.replace('/', '_')));
        Files.writeString(bp.resolve("buildpack.toml"), "api = \"0.10\"\n[buildpack]\nid = \"" + id + "\"\nversion ="
                + " \"1.0.0\"\n[[targets]]\nos = \"linux\"\narch = \"amd64\"\n");
        Files.createDirectories(bp.resolve("bin"));
        for (String f : List.of("detect", "build")) {
            Path p = Files.writeString(bp.resolve("bin/" + f), "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bp;
    }

    private BuiltinPlatform platform(EngineStub stub, RecordingReporter out) {
        return new BuiltinPlatform(stub.engine(), out, Map.of(), "test");
    }

    @Test
    void packageEmitsTheImageItCreatedAndRecordsIt() throws Exception {
        buildpack("examples/web");
        Path config = Files.writeString(dir.resolve("package.toml"), "[buildpack]\nuri = \"examples_web\"\n");
        EngineStub stub = new EngineStub(new MemoryContainer(dir.resolve("root")));
        RecordingReporter out = new RecordingReporter();
        String summary = platform(stub, out).run(new Requests.PackageBuildpack("my-bp", config), Cancellation.none());

        String id = summary.substring(summary.indexOf('(') + 1, summary.length() - 1);
        assertEquals(List.of(new PlatformEvent.ImageCreated("package", "my-bp"),
                new PlatformEvent.ResourceCreated(Created.image(id, List.of("my-bp")))), out.events);
        assertEquals("Successfully created package my-bp", out.lines.get(out.lines.size() - 1));
        assertEquals(1, stub.loads.size());
    }

    @Test
    void builderCreateEmitsEachBuildpackAddedThenTheBuilder() throws Exception {
        buildpack("examples/web");
        buildpack("examples/api");
        Path config = Files.writeString(dir.resolve("builder.toml"), "[[buildpacks]]\nuri = \"examples_web\"\n"
                + "[[buildpacks]]\nuri = \"examples_api\"\n[[order]]\n[[order.group]]\nid = \"examples/web\"\n"
                + "[[order.group]]\nid = \"examples/api\"\n[build]\nimage = \"build\"\n[[run.images]]\nimage ="
                + " \"run\"\n");
        EngineStub stub = new EngineStub(new MemoryContainer(dir.resolve("root"))).image("build", Fixtures.builder())
                .image("run", Fixtures.run());
        RecordingReporter out = new RecordingReporter();
        new Distribution(stub.engine(), out, Map.of(), "test").launcher(() -> "launcher".getBytes(
                StandardCharsets.UTF_8)).createBuilder(new Requests.CreateBuilder("my-builder", config),
                        Files.createDirectories(dir.resolve("temp")));

        assertEquals(List.of(new PlatformEvent.BuildpackAdded("examples/web", "1.0.0", "0.10"),
                new PlatformEvent.BuildpackAdded("examples/api", "1.0.0", "0.10"),
                new PlatformEvent.ImageCreated("builder image", "my-builder")), out.events);
        assertEquals(1, stub.loads.size());
        assertEquals("Tip: Run pack build <image-name> --builder my-builder to use this builder",
                out.lines.get(out.lines.size() - 1));
    }
}
