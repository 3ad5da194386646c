package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.cnb.metadata.LifecycleMetadata;
import io.packlab.engine.Cancellation;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExporterTest {

    @TempDir
    Path dir;

    private Path layers(String launchToml) throws Exception {
        Path bp = Files.createDirectories(dir.resolve("layers/examples_web"));
        Files.writeString(bp.resolve("server.toml"), "[types]\nlaunch = true\ncache = true\n[metadata]\nv = \"1\"\n");
        Files.createDirectories(bp.resolve("server"));
        Files.writeString(bp.resolve("server/run"), "x");
        Files.writeString(bp.resolve("empty.toml"), "[types]\nlaunch = true\n");
        Files.writeString(bp.resolve("launch.toml"), launchToml);
        Files.writeString(bp.resolve("store.toml"), "[metadata]\nruns = 1\n");
        Files.createDirectories(dir.resolve("workspace"));
        return dir.resolve("layers");
    }

    private Exporter.Image export(Optional<String> defaultProcess, String launchToml, RecordingReporter out,
            Cancellation cancel) throws Exception {
        Path temp = Files.createDirectories(dir.resolve("temp"));
        return new Exporter(out, new CnbUser(1000, 1001), Map.of("io.packlab.lesson", "t"), Optional.empty(), temp,
                cancel).from(new MemoryContainer(dir)::copyOut).export(new Exporter.Request("webapp", defaultProcess, new RunImage(Fixtures.run(), "run"),
                        List.of(Fixtures.bp("examples/web", "0.10")), layers(launchToml), dir.resolve("workspace")),
                "launcher".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theImageCarriesTheLaunchLayersTheLifecyclesLayersAndItsMetadata() throws Exception {
        RecordingReporter out = new RecordingReporter();
        Exporter.Image image = export(Optional.empty(), "[[processes]]\ntype = \"web\"\ncommand = [\"serve\"]\n"
                + "[[processes]]\ntype = \"worker\"\ncommand = [\"work\"]\n[[labels]]\nkey = \"team\"\nvalue ="
                + " \"blue\"\n", out, Cancellation.none());

        assertEquals(List.of("sha256:r1", "sha256:r2"), image.runDiffs());
        assertEquals(5, image.newLayers().size(), "server, app, launcher, config, process types");
        assertEquals("web", image.defaultProcess().orElseThrow().type(), "web is the default when none is marked");
        assertTrue(out.lines.contains("Warning: layer 'examples/web:empty' is marked launch but has no content; the"
                + " built-in platform cannot reuse it from the previous image, so it is left out"), out.lines.toString());
        JsonNode c = image.config().json().get("config");
        assertEquals("[\"/cnb/process/web\"]", c.get("Entrypoint").toString());
        assertEquals(Cnb.APP_DIR, c.get("WorkingDir").asText());
        assertTrue(c.get("Env").toString().contains("PATH=/cnb/process:/cnb/lifecycle:/usr/local/bin:/usr/bin:/bin"));
        JsonNode labels = c.get("Labels");
        assertEquals("blue", labels.get("team").asText());
        assertEquals("t", labels.get("io.packlab.lesson").asText());
        JsonNode lifecycle = Images.JSON.readTree(labels.get(Cnb.LABEL_LIFECYCLE).asText());
        JsonNode server = lifecycle.at("/buildpacks/0/layers/server");
        assertEquals(image.newLayers().get(0).diffId(), server.get("sha").asText());
        assertEquals("{\"sha\":\"" + server.get("sha").asText() + "\",\"data\":{\"v\":\"1\"},\"launch\":true,"
                + "\"cache\":true}", server.toString());
        assertEquals(1, lifecycle.at("/buildpacks/0/store/metadata/runs").asInt());
        assertEquals("sha256:r2", lifecycle.at("/runImage/topLayer").asText());
        assertEquals("sha256:run", lifecycle.at("/runImage/reference").asText());
        assertEquals(image.newLayers().get(4).diffId(), lifecycle.at("/process-types/sha").asText());
        JsonNode build = Images.JSON.readTree(labels.get(Cnb.LABEL_BUILD).asText());
        assertEquals("web", build.get("buildpack-default-process-type").asText());
        assertEquals(List.of("web", "worker"), List.of(build.at("/processes/0/type").asText(),
                build.at("/processes/1/type").asText()));
    }

    @Test
    void noProcessMeansTheLauncherIsTheEntrypointAndNoProcessTypesLayer() throws Exception {
        RecordingReporter out = new RecordingReporter();
        Exporter.Image image = export(Optional.empty(), "", out, Cancellation.none());
        assertEquals(4, image.newLayers().size());
        assertEquals(List.of(LifecycleImage.LAUNCHER), image.config().entrypoint());
        assertNull(LifecycleMetadata.of(image.config().labels(), "webapp").processTypes());
        assertTrue(out.lines.contains("Warning: no default process: `docker run` of the image lists its process types;"
                + " run one with `docker run --entrypoint <type> IMAGE`"), out.lines.toString());
    }

    @Test
    void aDefaultProcessNoBuildpackDeclaresIsExitCodeOne() {
        PlatformException e = assertThrows(PlatformException.class, () -> export(Optional.of("cli"),
                "[[processes]]\ntype = \"web\"\ncommand = [\"serve\"]\n", new RecordingReporter(), Cancellation.none()));
        assertEquals("the default process `cli` is not among the processes the buildpacks declare ([web]).",
                e.getMessage());
        assertEquals(1, e.exitCode());
    }

    @Test
    void aCancelStopsTheExportBeforeTheNextLayer() {
        Cancellation cancel = Cancellation.none();
        cancel.cancel();
        assertThrows(InterruptedIOException.class, () -> export(Optional.empty(), "", new RecordingReporter(), cancel));
    }

    @Test
    void theSharedChainIsCountedFromTheBottom() {
        assertEquals(2, ImageSaver.shared(List.of("a", "b", "c"), List.of("a", "b", "x", "c")));
        assertEquals(0, ImageSaver.shared(List.of("a"), List.of()));
        assertEquals(3, ImageSaver.shared(List.of("a", "b", "c"), List.of("a", "b", "c")));
    }
}
