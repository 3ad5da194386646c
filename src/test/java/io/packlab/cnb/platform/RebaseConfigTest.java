package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.metadata.LifecycleMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rebase's rewriting of config, metadata and manifest, on JSON alone. */
class RebaseConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String META = """
            {"app":[{"sha":"sha256:a2"}],"buildpacks":[],"runImage":{"topLayer":"sha256:r2","reference":"sha256:oldrun",\
            "image":"reg:5000/run:old"},"stack":{"runImage":{"image":"reg:5000/run:old"}}}""";

    private static final String PINNED_META = "{\"app\":[{\"sha\":\"sha256:a2\"}],\"x\":1,\"buildpacks\":[],\"runImage\":{\"topLayer\":\"sha256:r2\",\"reference\":\"sha256:oldrun\",\"image\":\"reg:5000/run:old\",\"mirrors\":[\"m/run\"]},\"stack\":{\"runImage\":{\"image\":\"reg:5000/run:old\"}}}";
    private static final String PINNED_APP = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:r1\",\"sha256:r2\",\"sha256:a1\",\"sha256:a2\"]},\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"1980-01-01T00:00:01Z\",\"config\":{\"User\":\"65532:65532\",\"Labels\":{\"io.buildpacks.stack.id\":\"s\",\"io.buildpacks.stack.old\":\"x\",\"keep\":\"me\"},\"Env\":[\"PATH=/bin\",\"CNB_PLATFORM_API=0.12\"]},\"history\":[{\"created_by\":\"run 1\"},{\"created_by\":\"run env\",\"empty_layer\":true},{\"created_by\":\"run 2\"},{\"created_by\":\"Layer: 'deps'\"},{\"created_by\":\"Application Layer\"}],\"x-unknown\":{\"kept\":true}}";
    private static final String PINNED_RUN = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"variant\":\"v8\",\"config\":{\"User\":\"1000\",\"Labels\":{\"io.buildpacks.stack.id\":\"s\",\"io.buildpacks.stack.new\":\"y\",\"patched\":\"yes\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:n1\",\"sha256:n2\",\"sha256:n3\"]},\"history\":[{\"created_by\":\"n1\"},{\"created_by\":\"label\",\"empty_layer\":true},{\"created_by\":\"n2\"},{\"created_by\":\"n3\"}]}";

    private static ObjectNode app() throws Exception {
        ObjectNode app = (ObjectNode) JSON.readTree("""
                {"architecture":"amd64","os":"linux","created":"1980-01-01T00:00:01Z",
                 "config":{"User":"65532:65532","Env":["PATH=/bin","CNB_PLATFORM_API=0.12"],
                   "Entrypoint":["python","app.py"],"Labels":{"io.buildpacks.stack.id":"s","io.buildpacks.stack.old":"x",
                   "io.buildpacks.base.distro.name":"debian","keep":"me"}},
                 "rootfs":{"type":"layers","diff_ids":["sha256:r1","sha256:r2","sha256:a1","sha256:a2"]},
                 "history":[{"created_by":"run 1"},{"created_by":"run env","empty_layer":true},{"created_by":"run 2"},
                   {"created_by":"Layer: 'deps'"},{"created_by":"Application Layer"}],
                 "x-unknown":{"kept":true}}""");
        ((ObjectNode) app.get("config").get("Labels")).put("io.buildpacks.lifecycle.metadata", META);
        return app;
    }

    private static ObjectNode run() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"architecture":"amd64","os":"linux","variant":"v8",
                 "config":{"User":"1000","Env":["PATH=/usr/bin"],"Labels":{"io.buildpacks.stack.id":"s",
                   "io.buildpacks.stack.new":"y","io.buildpacks.base.distro.name":"debian","patched":"yes"}},
                 "rootfs":{"type":"layers","diff_ids":["sha256:n1","sha256:n2","sha256:n3"]},
                 "history":[{"created_by":"n1"},{"created_by":"n2"},{"created_by":"label","empty_layer":true},
                   {"created_by":"n3"}]}""");
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(field == null ? n.asText() : n.path(field).asText()));
        return out;
    }

    @Test
    void theConfigTakesTheRunImagesLayersAndKeepsTheAppsUpperLayers() throws Exception {
        ObjectNode app = app();
        LifecycleMetadata meta = LifecycleMetadata.parse(META);
        int runLayers = RebaseConfig.runLayers(texts(app.at("/rootfs/diff_ids"), null), meta, "app");
        assertEquals(2, runLayers);
        LifecycleMetadata newMeta = RebaseConfig.metadata(meta, "sha256:n3", "reg:5000/run@sha256:abc",
                Optional.of("reg:5000/run:new"));
        ObjectNode out = RebaseConfig.config(ImageConfig.of(app), ImageConfig.of(run()), runLayers, newMeta,
                Map.of("io.packlab.lesson", "t")).json();

        assertEquals(List.of("sha256:n1", "sha256:n2", "sha256:n3", "sha256:a1", "sha256:a2"),
                texts(out.at("/rootfs/diff_ids"), null));
        assertEquals(List.of("n1", "n2", "label", "n3", "Layer: 'deps'", "Application Layer"),
                texts(out.get("history"), "created_by"), "run history, then the app's history of its upper layers");
        assertEquals("v8", out.path("variant").asText(), "os/arch/variant of the run image");
        assertEquals("65532:65532", out.at("/config/User").asText(), "the app's config is kept");
        assertEquals(List.of("PATH=/bin", "CNB_PLATFORM_API=0.12"), texts(out.at("/config/Env"), null));
        assertTrue(out.at("/x-unknown/kept").asBoolean(), "unknown fields are kept");

        JsonNode labels = out.at("/config/Labels");
        assertEquals("me", labels.path("keep").asText());
        assertEquals("y", labels.path("io.buildpacks.stack.new").asText(), "stack labels from the new run image");
        assertFalse(labels.has("io.buildpacks.stack.old"), "the old run image's stack labels go");
        assertFalse(labels.has("patched"), "other run image labels do not come");
        assertEquals("t", labels.path("io.packlab.lesson").asText());
        JsonNode lifecycle = JSON.readTree(labels.path("io.buildpacks.lifecycle.metadata").asText());
        assertEquals("sha256:n3", lifecycle.at("/runImage/topLayer").asText());
        assertEquals("reg:5000/run@sha256:abc", lifecycle.at("/runImage/reference").asText());
        assertEquals("reg:5000/run:new", lifecycle.at("/runImage/image").asText());
        assertEquals("reg:5000/run:new", lifecycle.at("/stack/runImage/image").asText());
        assertEquals("sha256:a2", lifecycle.at("/app/0/sha").asText(), "the rest of the metadata is kept");

        assertEquals(List.of("sha256:r1", "sha256:r2", "sha256:a1", "sha256:a2"), texts(app.at("/rootfs/diff_ids"),
                null), "the input is not changed");
    }

    /**
     * The registry path writes the config in the app's key order: the bytes (so the digest) must be
     * those of the JSON-tree code before ImageConfig and LifecycleMetadata (rebase-config-before.txt
     * was written by that code on these inputs, with and without --force onto another name).
     */
    @Test
    void theConfigBytesAreThoseOfTheCodeBeforeTheTypedModels() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Optional<String> renamed : List.of(Optional.<String>empty(), Optional.of("other/run"))) {
            ObjectNode app = (ObjectNode) JSON.readTree(PINNED_APP);
            ((ObjectNode) app.get("config").get("Labels")).put("io.buildpacks.lifecycle.metadata", PINNED_META);
            LifecycleMetadata newMeta = RebaseConfig.metadata(LifecycleMetadata.parse(PINNED_META), "sha256:n3",
                    "reg/run@sha256:abc", renamed);
            ImageConfig out = RebaseConfig.config(ImageConfig.of(app), ImageConfig.of((ObjectNode) JSON.readTree(
                    PINNED_RUN)), 2, newMeta, Map.of("io.packlab.lesson", "t"));
            sb.append(new String(out.toBytesInOrder(), java.nio.charset.StandardCharsets.UTF_8)).append('\n');
        }
        assertEquals(java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/test/resources/cnb/platform/rebase-config-before.txt")), sb.toString());
    }

    @Test
    void theManifestTakesTheRunImagesDescriptorsAndTheAppsUpperDescriptors() throws Exception {
        JsonNode app = JSON.readTree("""
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":10,"digest":"sha256:c0"},
                 "layers":[
                  {"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":1,"digest":"sha256:R1"},
                  {"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":2,"digest":"sha256:R2"},
                  {"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":3,"digest":"sha256:A1"},
                  {"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":999,"digest":"sha256:A2"}]}""");
        JsonNode run = JSON.readTree("""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":5,"digest":"sha256:rc"},
                 "layers":[
                  {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":4,"digest":"sha256:N1"},
                  {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":5,"digest":"sha256:N2"},
                  {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":6,"digest":"sha256:N3",
                   "annotations":{"a":"b"}}]}""");
        ObjectNode out = RebaseConfig.manifest(app, "application/vnd.docker.distribution.manifest.v2+json", run, 2,
                "sha256:newconfig", 1234);
        assertEquals(List.of("sha256:N1", "sha256:N2", "sha256:N3", "sha256:A1", "sha256:A2"),
                texts(out.get("layers"), "digest"));
        assertEquals(List.of("4", "5", "6", "3", "999"), texts(out.get("layers"), "size"));
        assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", out.at("/layers/0/mediaType").asText(),
                "OCI layer types in a Docker manifest are named the Docker way");
        assertEquals("b", out.at("/layers/2/annotations/a").asText());
        assertEquals("sha256:newconfig", out.at("/config/digest").asText());
        assertEquals(1234, out.at("/config/size").asLong());
        assertEquals("application/vnd.docker.container.image.v1+json", out.at("/config/mediaType").asText());
        assertEquals("application/vnd.docker.distribution.manifest.v2+json", out.path("mediaType").asText());
        assertEquals(2, out.path("schemaVersion").asInt());
        assertEquals("sha256:R1", app.at("/layers/0/digest").asText(), "the input is not changed");
    }

    @Test
    void layerMediaTypesAreTranslatedBetweenDockerAndOci() {
        assertEquals("application/vnd.oci.image.layer.v1.tar+gzip",
                RebaseConfig.layerType("application/vnd.docker.image.rootfs.diff.tar.gzip", true));
        assertEquals("application/vnd.oci.image.layer.v1.tar",
                RebaseConfig.layerType("application/vnd.docker.image.rootfs.diff.tar", true));
        assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip",
                RebaseConfig.layerType("application/vnd.oci.image.layer.v1.tar+gzip", false));
        assertEquals("application/vnd.oci.image.layer.v1.tar+zstd",
                RebaseConfig.layerType("application/vnd.oci.image.layer.v1.tar+zstd", false), "no Docker name: kept");
        assertEquals("application/vnd.oci.image.layer.v1.tar+gzip",
                RebaseConfig.layerType("application/vnd.oci.image.layer.v1.tar+gzip", true));
    }

    @Test
    void aTopLayerThatIsNotAmongTheLayersIsAnError() throws Exception {
        PlatformException e = assertThrows(PlatformException.class, () -> RebaseConfig.runLayers(
                List.of("sha256:r1", "sha256:a1"), LifecycleMetadata.parse(META), "reg/app"));
        assertTrue(e.getMessage().startsWith("could not find base layer in image reg/app"), e.getMessage());
        assertTrue(e.getMessage().contains("sha256:r2"), e.getMessage());
        PlatformException none = assertThrows(PlatformException.class, () -> RebaseConfig.runLayers(
                List.of("sha256:r1"), LifecycleMetadata.parse("{}"), "reg/app"));
        assertTrue(none.getMessage().contains("(none)"), none.getMessage());
    }

    @Test
    void theRunImageComesFromTheOptionThenTheMetadataThenTheStack() throws Exception {
        LifecycleMetadata meta = LifecycleMetadata.parse(META);
        assertEquals("x/run:new", RebaseConfig.runImage(Optional.of("x/run:new"), meta, "app"));
        assertEquals("reg:5000/run:old", RebaseConfig.runImage(Optional.empty(), meta, "app"));
        assertEquals("s/run", RebaseConfig.runImage(Optional.empty(),
                LifecycleMetadata.parse("{\"stack\":{\"runImage\":{\"image\":\"s/run\"}}}"), "app"));
        PlatformException e = assertThrows(PlatformException.class, () -> RebaseConfig.runImage(Optional.empty(),
                LifecycleMetadata.parse("{}"), "reg/app"));
        assertTrue(e.getMessage().startsWith("run image must be specified"), e.getMessage());
    }
}
