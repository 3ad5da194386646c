package io.packlab.cnb.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.error.PacklabException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LifecycleMetadataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static String fixture(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/cnb/metadata", name), StandardCharsets.UTF_8);
    }

    private static Map<String, String> labels(String text) {
        return Map.of(LifecycleMetadata.LABEL, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lifecycle-0.21.json", "lifecycle-old.json", "packlab.json"})
    void aLabelIsWrittenBackAsItWasRead(String fixture) throws Exception {
        String text = fixture(fixture);
        assertEquals(text, LifecycleMetadata.of(labels(text), "app").toLabel());
    }

    @Test
    void theLifecyclesLabelIsReadIntoItsParts() throws Exception {
        LifecycleMetadata m = LifecycleMetadata.of(labels(fixture("lifecycle-0.21.json")), "app");
        assertEquals(List.of(new LifecycleMetadata.LayerRef("sha256:a1"), new LifecycleMetadata.LayerRef("sha256:a2")),
                m.app());
        assertNull(m.sbom());
        assertEquals("sha256:p1", m.processTypes().sha());
        assertEquals(new LifecycleMetadata.RunImage("sha256:r9", "index.docker.io/cnbs/sample-base-run@sha256:0123",
                "cnbs/sample-base-run:noble", List.of("mirror.example/run:noble")), m.runImage());
        assertEquals(new LifecycleMetadata.RunImageName("cnbs/sample-base-run:noble", List.of("mirror.example/run:noble")),
                m.stack().runImage());
        LifecycleMetadata.BuildpackEntry bp = m.buildpacks().get(0);
        assertEquals("samples/java-maven@0.0.2", bp.fullName());
        assertEquals(List.of("jdk", "maven-app"), List.copyOf(bp.layers().keySet()));
        LifecycleMetadata.LayerMetadata jdk = bp.layers().get("jdk");
        assertTrue(jdk.isLaunch() && jdk.isCache() && !jdk.isBuild());
        assertEquals("17.0.2", jdk.data().get("version").asText());
        assertNull(bp.layers().get("maven-app").data(), "JSON null is absent");
        assertEquals(3, bp.store().at("/metadata/runs").asInt());
        assertEquals(Map.of(), m.buildpacks().get(1).layers());
        assertEquals(Optional.of("sha256:r9"), m.runTopLayer());
    }

    @Test
    void anOldLabelIsReadToo() throws Exception {
        LifecycleMetadata m = LifecycleMetadata.parse(fixture("lifecycle-old.json"));
        assertEquals(List.of(new LifecycleMetadata.LayerRef("sha256:a1")), m.app(), "one app object is one app layer");
        assertNull(m.buildpacks());
        assertEquals(List.of(), m.buildpackEntries());
        assertNull(m.runImage().image());
        assertNull(m.stack().runImage().mirrors());
    }

    @Test
    void aRebaseChangesOnlyTheRunImageValuesAndKeepsTheOrderAndUnknownKeys() throws Exception {
        LifecycleMetadata m = LifecycleMetadata.parse(fixture("lifecycle-0.21.json"));
        String rebased = m.withRunImage(m.runImage().on("sha256:new", "sha256:newid")).toLabel();
        assertEquals(fixture("lifecycle-0.21.json").replace("\"topLayer\":\"sha256:r9\"", "\"topLayer\":\"sha256:new\"")
                .replace("\"reference\":\"index.docker.io/cnbs/sample-base-run@sha256:0123\"",
                        "\"reference\":\"sha256:newid\""), rebased);

        LifecycleMetadata old = LifecycleMetadata.parse(fixture("lifecycle-old.json"));
        LifecycleMetadata renamed = old.withRunImage(new LifecycleMetadata.RunImage("sha256:t", "sha256:i", "other/run",
                List.of())).withStack(new LifecycleMetadata.Stack(new LifecycleMetadata.RunImageName("other/run",
                        List.of())));
        assertEquals("{\"app\":{\"sha\":\"sha256:a1\"},\"buildpacks\":null,\"config\":{\"sha\":\"sha256:c1\"},"
                + "\"launcher\":{\"sha\":\"sha256:l1\"},\"process-types\":{\"sha\":\"\"},\"runImage\":{\"topLayer\":"
                + "\"sha256:t\",\"reference\":\"sha256:i\",\"image\":\"other/run\",\"mirrors\":[]},\"stack\":{\"runImage\":"
                + "{\"image\":\"other/run\",\"mirrors\":[]}},\"extensions\":[{\"key\":\"x\"}]}", renamed.toLabel());
    }

    @Test
    void theExportersValueIsWrittenInTheExportersOrder() throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("requirements", "abc");
        LifecycleMetadata m = LifecycleMetadata.exported("sha256:a1", "sha256:c1", "sha256:l1", "sha256:p1",
                List.of(new LifecycleMetadata.BuildpackEntry("examples/python", "0.1.0", Map.of("venv",
                        LifecycleMetadata.LayerMetadata.launchLayer("sha256:v1", JSON.valueToTree(data), false, true)),
                        JSON.readTree("{\"metadata\":{}}"))),
                new LifecycleMetadata.RunImage("sha256:r2", "sha256:runid", "distroless-python:run", null));
        assertEquals(fixture("packlab.json"), m.toLabel());
        assertEquals(m, LifecycleMetadata.parse(m.toLabel()), "what is written reads back as the same value");

        LifecycleMetadata none = LifecycleMetadata.exported("sha256:a", "sha256:c", "sha256:l", null, List.of(),
                new LifecycleMetadata.RunImage("sha256:r", "sha256:id", "run", null));
        assertEquals("{\"app\":[{\"sha\":\"sha256:a\"}],\"config\":{\"sha\":\"sha256:c\"},\"launcher\":{\"sha\":"
                + "\"sha256:l\"},\"buildpacks\":[],\"runImage\":{\"topLayer\":\"sha256:r\",\"reference\":\"sha256:id\","
                + "\"image\":\"run\"},\"stack\":{\"runImage\":{\"image\":\"run\",\"mirrors\":[]}}}", none.toLabel(),
                "no process types: no process-types key");
    }

    @Test
    void aMissingLabelIsPacksMessage() {
        PacklabException e = assertThrows(MetadataException.class, () -> LifecycleMetadata.of(Map.of(), "webapp"));
        assertEquals("could not find label 'io.buildpacks.lifecycle.metadata' on image webapp.", e.getMessage());
        assertEquals(1, e.exitCode());
    }

    @Test
    void aLabelThatIsNotJsonSaysSo() {
        MetadataException e = assertThrows(MetadataException.class, () -> LifecycleMetadata.of(labels("{oops"),
                "webapp"));
        assertTrue(e.getMessage().startsWith("the label io.buildpacks.lifecycle.metadata of image webapp is not valid"
                + " JSON (Unexpected character ('o'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("); the image was not made by pack or packlab, or was damaged."));
    }

    @Test
    void aLabelOfAnotherShapeNamesTheKeyAndWhatIsThere() {
        assertEquals("the label io.buildpacks.lifecycle.metadata of image webapp is not of the lifecycle's shape"
                + " (runImage.topLayer is a number, not a string); the image was not made by pack or packlab, or was"
                + " damaged.", assertThrows(MetadataException.class, () -> LifecycleMetadata.of(labels(
                        "{\"runImage\":{\"topLayer\":7}}"), "webapp")).getMessage());
        assertTrue(assertThrows(MetadataException.class, () -> LifecycleMetadata.of(labels(
                "{\"buildpacks\":[{\"key\":\"a\",\"layers\":{\"x\":{\"launch\":\"yes\"}}}]}"), "webapp")).getMessage()
                .contains("(buildpacks[0].layers.x.launch is a string, not true or false)"));
        assertTrue(assertThrows(MetadataException.class, () -> LifecycleMetadata.of(labels("[]"), "webapp"))
                .getMessage().contains("(the label is an array, not an object)"));
    }

    @Test
    void looksThatMustNotFailGiveNothingForAnUnreadableLabel() {
        assertEquals(Optional.empty(), LifecycleMetadata.runTopLayer(Map.of()));
        assertEquals(Optional.empty(), LifecycleMetadata.runTopLayer(labels("{oops")));
        assertEquals(Optional.empty(), LifecycleMetadata.runTopLayer(labels("{\"runImage\":{\"topLayer\":\"\"}}")));
        assertEquals(Optional.empty(), LifecycleMetadata.runTopLayer(labels("{\"runImage\":{\"topLayer\":1}}")));
        assertEquals(Optional.of("sha256:t"), LifecycleMetadata.runTopLayer(labels(
                "{\"runImage\":{\"topLayer\":\"sha256:t\"}}")));
    }
}
