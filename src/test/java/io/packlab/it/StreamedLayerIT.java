package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.cnb.image.TarExtractor;
import io.packlab.cnb.platform.BuiltinPlatform;
import io.packlab.cnb.platform.Requests;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launch layers streamed from the build container into the engine on a real engine: a layer whose tree the engine's
 * archive gives out of the layer's order (a folder {@code flask} and its sibling {@code flask-2.0.dist-info}), with a
 * hard link, a symlink, an empty folder, an executable and a long name, becomes the layer {@link LayerBuilder} makes
 * of the same tree; both ways of learning its diff ID (hash first, spill) give the same image; an unchanged rebuild
 * sends no layer. Uses its own image names (packlab-it-streamed*).
 */
class StreamedLayerIT {

    private static final String LABEL = "packlab-it-streamed";
    private static final String BUILD = "packlab-it-streamed-stack:build";
    private static final String RUN = "packlab-it-streamed-stack:run";
    private static final String BUILDER = "packlab-it-streamed-builder:latest";
    private static final String APP = "packlab-it-streamed-app:latest";
    private static final String BP = "packlab-test/odd-layer";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static DockerEngine engine;
    private static BuiltinPlatform platform;
    private static final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private static Set<String> before;

    @BeforeAll
    static void stackAndBuilder() throws Exception {
        engine = DockerSupport.engine();
        platform = DockerSupport.recordingPlatform(engine, lines, LABEL);
        DockerSupport.buildLabelled(engine, Launcher.HOME.resolve("stacks/distroless-python/build"), BUILD,
                "packlab-base/debian:bookworm-slim", LABEL);
        DockerSupport.buildLabelled(engine, Launcher.HOME.resolve("stacks/distroless-python/run"), RUN,
                "packlab-base/distroless-python3:debian12", LABEL);
        before = DockerSupport.leftovers(engine);
        Path bp = Files.createDirectories(work.resolve("odd-layer/bin"));
        Files.writeString(work.resolve("odd-layer/buildpack.toml"), """
                api = "0.10"

                [buildpack]
                id = "%s"
                version = "0.0.1"

                [[targets]]
                os = "linux"
                """.formatted(BP));
        script(bp.resolve("detect"), "#!/bin/sh\nexit 0\n");
        script(bp.resolve("build"), """
                #!/bin/sh
                set -eu
                deps="$CNB_LAYERS_DIR/deps"
                mkdir -p "$deps/flask" "$deps/flask-2.0.dist-info" "$deps/bin" "$deps/empty/inner"
                echo 'from .app import Flask' > "$deps/flask/__init__.py"
                printf 'class Flask: pass\\n' > "$deps/flask/app.py"
                chmod 700 "$deps/flask/app.py"
                echo 'Name: flask' > "$deps/flask-2.0.dist-info/METADATA"
                chmod 600 "$deps/flask-2.0.dist-info/METADATA"
                echo flask > "$deps/flask.pth"
                printf '#!/bin/sh\\necho tool\\n' > "$deps/bin/tool"
                chmod 755 "$deps/bin/tool"
                ln "$deps/bin/tool" "$deps/bin/tool-again"
                ln -s /usr/bin/python3 "$deps/bin/python"
                long="$deps/$(printf 'long-folder-name-%.0s' 1 2 3 4 5 6)"
                mkdir -p "$long"
                echo long > "$long/$(printf 'and-a-long-file-%.0s' 1 2 3 4 5).txt"
                head -c 3000000 /dev/zero | tr '\\0' 'x' > "$deps/flask/big.txt"
                printf '[types]\\nlaunch = true\\n' > "$CNB_LAYERS_DIR/deps.toml"
                printf '[[processes]]\\ntype = "web"\\ncommand = ["/bin/true"]\\ndefault = true\\n' \\
                  > "$CNB_LAYERS_DIR/launch.toml"
                """);
        Files.createDirectories(work.resolve("app"));
        Files.writeString(work.resolve("app/README.txt"), "an app\n");
        Files.writeString(work.resolve("builder.toml"), """
                [[buildpacks]]
                uri = "%s"

                [[order]]
                  [[order.group]]
                  id = "%s"

                [build]
                image = "%s"

                [[run.images]]
                image = "%s"
                """.formatted(work.resolve("odd-layer"), BP, BUILD, RUN));
        platform.run(new Requests.CreateBuilder(BUILDER, work.resolve("builder.toml")), Cancellation.none());
    }

    private static void script(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void cleanUp() {
        if (engine == null) {
            return;
        }
        try {
            System.clearProperty("packlab.export");
            List<String> filter = Engine.labelFilter(Engine.LESSON_LABEL, LABEL);
            engine.listContainers(filter).forEach(c -> engine.removeContainer(c.id()));
            engine.listImages(filter).stream().filter(i -> !i.repoTags().contains(BUILD) && !i.repoTags().contains(RUN))
                    .forEach(i -> engine.removeImage(i.id(), true));
            engine.listVolumes(filter).forEach(engine::removeVolume);
            assertEquals(before, DockerSupport.leftovers(engine), "no container, volume or dangling image left");
            engine.listImages(filter).forEach(i -> engine.removeImage(i.id(), true));
        } finally {
            engine.close();
        }
    }

    private static String build(String mode) throws Exception {
        System.setProperty("packlab.export", mode);
        try {
            lines.clear();
            return platform.run(new Requests.Build(APP, BUILDER, List.of(), Map.of(), work.resolve("app"),
                    Optional.empty(), false, Optional.empty()), Cancellation.none());
        } finally {
            System.clearProperty("packlab.export");
        }
    }

    @Test
    void theStreamedLayerIsLayerBuildersAndAnUnchangedRebuildSendsNoLayer() throws Exception {
        String first = build("hash-first");
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("Reusing ")), lines.toString());
        assertTrue(lines.contains("Adding layer '" + BP + ":deps'"), lines.toString());

        JsonNode meta = JSON.readTree(engine.inspectImage(APP).orElseThrow().labels()
                .get("io.buildpacks.lifecycle.metadata"));
        String diffId = meta.at("/buildpacks/0/layers/deps/sha").asText();
        assertTrue(diffId.startsWith("sha256:"), meta.toString());

        // the tree the image holds, made into a layer as packlab made it before: the same diff ID
        String layersDir = "/layers/packlab-test_odd-layer";
        String container = engine.createContainer(new ContainerSpec(APP, null, null, Map.of(), Map.of(
                Engine.LESSON_LABEL, LABEL), null, null, null, Map.of(), Map.of()));
        Path host = work.resolve("copied");
        try (InputStream tar = engine.copyFromContainer(container, layersDir + "/deps").orElseThrow()) {
            byte[] bytes = tar.readAllBytes();
            TarExtractor.extract(new java.io.ByteArrayInputStream(bytes), host, TarExtractor.AbsoluteLinks.KEEP);
            List<String> links = new ArrayList<>();
            try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(bytes))) {
                for (TarArchiveEntry e; (e = in.getNextEntry()) != null;) {
                    if (e.isLink()) {
                        links.add(e.getName());
                    }
                }
            }
            assertEquals(List.of(), links, "the hard link is a file of its own in the layer");
        } finally {
            engine.removeContainer(container);
        }
        assertEquals("#!/bin/sh\necho tool\n", Files.readString(host.resolve("deps/bin/tool-again")));
        LayerBuilder lb = new LayerBuilder();
        lb.directory("layers", 1000, 1000, 0755);
        lb.directory(layersDir.substring(1), 1000, 1000, 0755);
        lb.tree(host.resolve("deps"), layersDir.substring(1) + "/deps", 1000, 1000);
        List<String> names = lb.names();
        assertTrue(names.indexOf(layersDir.substring(1) + "/deps/flask-2.0.dist-info/")
                < names.indexOf(layersDir.substring(1) + "/deps/flask/"), names.toString());
        assertEquals(lb.write(work.resolve("expected.tar")).diffId(), diffId);

        String spilled = build("spill");
        assertEquals(first, spilled, "spill makes the same image as hash-first");
        String reused = lines.stream().filter(l -> l.startsWith("Reusing ")).findFirst().orElseThrow(
                () -> new AssertionError(lines.toString()));
        String again = build("hash-first");
        assertEquals(first, again);
        assertTrue(lines.contains(reused), "an unchanged rebuild sends no layer: " + lines);
        String[] counts = reused.replace("Reusing ", "").split(" ");
        assertEquals(counts[0], counts[2], "all new layers reused: " + reused);
    }
}
