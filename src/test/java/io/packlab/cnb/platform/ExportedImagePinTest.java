package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ImageDetails;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image a fixed build makes, pinned: its ID, its config bytes, its lifecycle and build labels, and the files a
 * rebuild restores from it. The values were computed by the exporter as it was before the metadata and image config
 * moved to their typed models; a change here changes the image ID of every app a learner builds.
 */
class ExportedImagePinTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The launcher version in the pinned config (it follows the launcher's source, which other work changes). */
    private static final String LAUNCHER_VERSION = "@LAUNCHER_VERSION@";

    @TempDir
    Path dir;

    private static ImageDetails builder() {
        return Fixtures.image("sha256:builder", List.of("PATH=/usr/bin:/bin", "CNB_USER_ID=1000", "CNB_GROUP_ID=1001"),
                Map.of(Cnb.LABEL_BUILDER, "{\"stack\": {\"runImage\": {\"image\": \"run\"}}}",
                        Cnb.LABEL_BUILDPACK_LAYERS, "{\"examples/runtime\": {\"2.1.0\": {\"api\": \"0.9\", \"homepage\":"
                                + " \"https://example.org/runtime\"}}, \"examples/web\": {\"1.0.0\": {\"api\": \"0.10\"}}}",
                        Cnb.LABEL_BUILDPACK_ORDER, "[{\"group\": [{\"id\": \"examples/runtime\", \"version\": \"2.1.0\"},"
                                + " {\"id\": \"examples/web\", \"version\": \"1.0.0\"}]}]"),
                List.of("sha256:b1"));
    }

    /**
     * Two buildpacks: a runtime (launch layer with nested metadata, a launch+cache layer, a launch+build layer, a
     * store.toml, a worker process with args and a working dir, a label) and a web one (the default process).
     * {@code restored} gets the TOML files the restorer put in place before the runtime's build ran.
     */
    private MemoryContainer container(Path root, Map<String, String> restored) throws Exception {
        MemoryContainer memory = new MemoryContainer(root);
        memory.file("/cnb/buildpacks/examples_runtime/2.1.0/buildpack.toml", "api = \"0.9\"\n[buildpack]\nid ="
                + " \"examples/runtime\"\nversion = \"2.1.0\"\n");
        memory.file("/cnb/buildpacks/examples_web/1.0.0/buildpack.toml", "api = \"0.10\"\n[buildpack]\nid ="
                + " \"examples/web\"\nversion = \"1.0.0\"\n");
        memory.onExec = (exec, lines) -> {
            String cmd = exec.command().get(0);
            Path staged = memory.path(Restorer.STAGED + "/layers");
            if (exec.script() != null && exec.script().contains(Restorer.STAGED) && Files.isDirectory(staged)) {
                // what the restore's line does (CacheVolumeTest runs it): the staged TOMLs into /layers
                try (var walk = Files.walk(staged)) {
                    for (Path f : walk.filter(Files::isRegularFile).toList()) {
                        memory.file("/layers/" + staged.relativize(f), Files.readString(f));
                    }
                }
            }
            if (cmd.endsWith("examples_runtime/2.1.0/bin/build")) {
                Path bp = memory.path("/layers/examples_runtime");
                if (Files.isDirectory(bp)) {
                    try (var files = Files.list(bp)) {
                        for (Path f : files.filter(f -> f.toString().endsWith(".toml")).sorted().toList()) {
                            restored.put(f.getFileName().toString(), Files.readString(f));
                        }
                    }
                }
                memory.file("/layers/examples_runtime/node.toml", "[types]\nlaunch = true\n[metadata]\nversion ="
                        + " \"20.1\"\nflags = [\"a\", \"b\"]\ncount = 3\n[metadata.nested]\nok = true\n");
                memory.file("/layers/examples_runtime/node/bin/node", "#!/bin/sh\n");
                memory.file("/layers/examples_runtime/deps.toml", "[types]\nlaunch = true\ncache = true\n");
                memory.file("/layers/examples_runtime/deps/lib/x.so", "x");
                memory.file("/layers/examples_runtime/tools.toml", "[types]\nlaunch = true\nbuild = true\n[metadata]\n"
                        + "t = \"1\"\n");
                memory.file("/layers/examples_runtime/tools/bin/t", "t");
                memory.file("/layers/examples_runtime/store.toml", "[metadata]\nruns = 2\nlast = \"x\"\n");
                memory.file("/layers/examples_runtime/launch.toml", "[[processes]]\ntype = \"worker\"\ncommand ="
                        + " [\"node\", \"worker.js\"]\nargs = [\"--fast\"]\nworking-dir = \"/workspace/jobs\"\n"
                        + "[[labels]]\nkey = \"io.example.runtime\"\nvalue = \"20.1\"\n");
            } else if (cmd.endsWith("examples_web/1.0.0/bin/build")) {
                memory.file("/layers/examples_web/server.toml", "[types]\nlaunch = true\n[metadata]\nv = \"1\"\n");
                memory.file("/layers/examples_web/server/bin/serve", "#!/bin/sh\n");
                memory.file("/layers/examples_web/launch.toml", "[[processes]]\ntype = \"web\"\ncommand = [\"serve\"]\n"
                        + "args = [\"8080\"]\ndefault = true\n");
            }
            return 0;
        };
        return memory;
    }

    private String build(EngineStub stub) throws Exception {
        Path app = dir.resolve("app");
        Files.createDirectories(app.resolve("jobs"));
        Files.writeString(app.resolve("index.html"), "hello");
        Files.writeString(app.resolve("jobs/worker.js"), "work()");
        Path temp = Files.createTempDirectory(dir, "temp");
        return new AppBuilder(stub.engine(), new RecordingReporter(), Map.of("io.packlab.lesson", "pin"))
                .launcher(() -> "launcher".getBytes(StandardCharsets.UTF_8))
                .build(new Requests.Build("webapp", "my-builder", List.of(), Map.of(), app, Optional.empty(), false,
                        Optional.empty()), temp, Cancellation.none());
    }

    /** The config entry of the archive the stub engine loaded last, as its bytes. */
    private static byte[] configBytes(EngineStub stub) throws Exception {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(stub.lastArchive))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null;) {
                if (e.getName().endsWith(".json") && !e.getName().equals("manifest.json")) {
                    return tar.readAllBytes();
                }
            }
        }
        throw new AssertionError("no config in the archive");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String resource(String name) throws Exception {
        try (var in = ExportedImagePinTest.class.getResourceAsStream("/cnb/platform/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void aFixedBuildMakesThePinnedImageAndARebuildRestoresThePinnedFiles() throws Exception {
        MemoryContainer memory = container(dir.resolve("root"), new LinkedHashMap<>());
        EngineStub stub = new EngineStub(memory).image("my-builder", builder()).image("run", Fixtures.run());
        String id = build(stub);
        byte[] config = configBytes(stub);
        String text = new String(config, StandardCharsets.UTF_8);
        JsonNode json = JSON.readTree(config);
        JsonNode labels = json.path("config").path("Labels");

        String pinned = resource("pinned-image-config.json").replace(LAUNCHER_VERSION, LifecycleImage.version());
        JsonNode expected = JSON.readTree(pinned);
        for (String label : List.of(Cnb.LABEL_LIFECYCLE, Cnb.LABEL_BUILD, Cnb.LABEL_PROJECT)) {
            assertEquals(expected.path("config").path("Labels").path(label).asText(), labels.path(label).asText(),
                    label);
        }
        assertEquals(expected.path("config").path("Labels"), labels, "all labels");
        for (String key : List.of("Env", "Entrypoint", "Cmd", "WorkingDir", "User")) {
            assertEquals(expected.path("config").get(key), json.path("config").get(key), key);
        }
        assertEquals(pinned, text, "the config bytes");
        assertEquals("sha256:" + sha256(config), id, "the image ID is the config's digest");
        // With the launcher of this commit (0.1.0+packlab.b82069615d79) the ID was
        // sha256:d382b01b8c62fb3743177d753828cff59cb246cf155ac4d2183610e05ca55141.

        Map<String, String> restored = new LinkedHashMap<>();
        MemoryContainer again = container(dir.resolve("root2"), restored);
        EngineStub withPrevious = new EngineStub(again).image("my-builder", builder()).image("run", Fixtures.run())
                .image("webapp", new ImageDetails(id, stub.lastConfig));
        String rebuilt = build(withPrevious);
        assertEquals(Map.of("node.toml", """
                [metadata]
                version = "20.1"
                flags = ["a", "b"]
                count = 3
                nested = { ok = true }
                """, "store.toml", """
                [metadata]
                runs = 2
                last = "x"
                """), restored, "a launch layer's metadata and the store come back; the cache and build layers do not");
        assertEquals(id, rebuilt);
    }
}
