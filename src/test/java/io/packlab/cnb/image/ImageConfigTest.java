package io.packlab.cnb.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.engine.ImageDetails;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ImageDetails base(String history) throws Exception {
        return new ImageDetails("sha256:base", (ObjectNode) JSON.readTree("""
                {"os":"linux","architecture":"amd64","created":"2024-05-01T10:00:00Z",
                 "config":{"User":"1000:1000","Env":["PATH=/usr/bin","LANG=C.UTF-8"],"Entrypoint":["/bin/sh"],
                           "Labels":{"io.buildpacks.stack.id":"x"}},
                 "rootfs":{"type":"layers","diff_ids":["sha256:aa","sha256:bb"]}%s}""".formatted(history)));
    }

    @Test
    void deriveCopiesTheBaseWithAFixedCreationTime() throws Exception {
        ImageDetails base = base("");
        ImageConfig config = ImageConfig.derive(base);
        assertEquals("1980-01-01T00:00:01Z", config.json().get("created").asText());
        assertEquals("2024-05-01T10:00:00Z", base.config().get("created").asText(), "the base is left as it was");
        assertEquals("1000:1000", config.user());
        assertEquals(List.of("sha256:aa", "sha256:bb"), config.diffIds());
        assertEquals(List.of("PATH=/usr/bin", "LANG=C.UTF-8"), config.env());
        assertEquals("x", config.label("io.buildpacks.stack.id").orElseThrow());

        ImageConfig derived = ImageConfig.derive(base, List.of("sha256:aa", "sha256:bb", "sha256:cc"), List.of(
                JSON.readTree("{\"created_by\":\"kept\"}")), List.of("Application Layer"));
        assertEquals("{\"architecture\":\"amd64\",\"config\":{\"Entrypoint\":[\"/bin/sh\"],\"Env\":[\"PATH=/usr/bin\","
                + "\"LANG=C.UTF-8\"],\"Labels\":{\"io.buildpacks.stack.id\":\"x\"},\"User\":\"1000:1000\"},\"created\":"
                + "\"1980-01-01T00:00:01Z\",\"history\":[{\"created_by\":\"kept\"},{\"created\":\"1980-01-01T00:00:01Z\","
                + "\"created_by\":\"Application Layer\"}],\"os\":\"linux\",\"rootfs\":{\"diff_ids\":[\"sha256:aa\","
                + "\"sha256:bb\",\"sha256:cc\"],\"type\":\"layers\"}}",
                new String(derived.toBytes(), StandardCharsets.UTF_8), "the base's config, exactly these layers and history");
    }

    @Test
    void layersAreAppendedWithHistoryInStepWithTheLayers() throws Exception {
        ImageConfig consistent = ImageConfig.derive(base("""
                ,"history":[{"created_by":"ADD rootfs"},{"created_by":"ENV x","empty_layer":true},{"created_by":"RUN y"}]"""));
        ImageConfig config = consistent.withLayers(List.of("sha256:cc", "sha256:dd"),
                List.of("Layer: 'deps'", "Application Layer"));
        assertEquals(List.of("sha256:aa", "sha256:bb", "sha256:cc", "sha256:dd"), config.diffIds());
        JsonNode history = config.json().get("history");
        assertEquals(5, history.size());
        assertEquals("ADD rootfs", history.get(0).get("created_by").asText());
        assertEquals("Application Layer", history.get(4).get("created_by").asText());
        assertEquals(ImageConfig.CREATED, history.get(4).get("created").asText());
        assertEquals(2, consistent.diffIds().size(), "the value is left as it was");

        ImageConfig missing = ImageConfig.derive(base("")).withLayer("sha256:cc", "Application Layer");
        assertEquals(3, missing.history().size(), "no base history: one plain entry per base layer, then ours");
        assertFalse(missing.history().get(0).has("created_by"));
        ImageConfig wrong = ImageConfig.derive(base(",\"history\":[{\"created_by\":\"one\"}]"))
                .withLayer("sha256:cc", "Application Layer");
        assertEquals(3, wrong.history().size(), "a history that does not match the layers is replaced");
    }

    @Test
    void envLabelsEntrypointCmdWorkingDirAndUser() throws Exception {
        ImageConfig config = ImageConfig.derive(base(""));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/cnb/process:/usr/bin");
        env.put("CNB_APP_DIR", "/workspace");
        config = config.withEnv(env);
        assertEquals(List.of("PATH=/cnb/process:/usr/bin", "LANG=C.UTF-8", "CNB_APP_DIR=/workspace"), config.env());
        assertEquals("/workspace", config.envValue("CNB_APP_DIR").orElseThrow());
        assertEquals(List.of("A=1"), config.withEnv(List.of("A=1")).env(), "a list replaces the whole Env");

        config = config.withLabel("io.packlab.lesson", "build");
        assertEquals(Map.of("io.buildpacks.stack.id", "x", "io.packlab.lesson", "build"), config.labels());
        assertEquals(Map.of("only", "1"), config.withOnlyLabels(Map.of("only", "1")).labels());

        config = config.withEntrypoint(List.of("/cnb/process/web")).withCmd(List.of()).withWorkingDir("/workspace")
                .withUser(null);
        assertEquals(List.of("/cnb/process/web"), config.entrypoint());
        assertEquals(List.of(), config.cmd());
        assertEquals("/workspace", config.workingDir());
        assertEquals("", config.user());
        assertFalse(config.json().get("config").has("User"));
        ImageConfig none = config.withCmd(null);
        assertNull(none.cmd());
        assertTrue(none.json().at("/config/Cmd").isNull(), "no command is JSON null, as the engine reports it");
    }

    @Test
    void theBytesHaveSortedKeysAndDoNotDependOnTheOrderOfChanges() throws Exception {
        ImageConfig a = ImageConfig.derive(base("")).withLabel("b", "2").withLabel("a", "1");
        ImageConfig b = ImageConfig.derive(base("")).withLabel("a", "1").withLabel("b", "2");
        String json = new String(a.toBytes(), StandardCharsets.UTF_8);
        assertEquals(json, new String(b.toBytes(), StandardCharsets.UTF_8));
        assertEquals(a, b);
        assertEquals("{\"architecture\":\"amd64\",\"config\":{\"Entrypoint\":[\"/bin/sh\"],\"Env\":[\"PATH=/usr/bin\","
                + "\"LANG=C.UTF-8\"],\"Labels\":{\"a\":\"1\",\"b\":\"2\",\"io.buildpacks.stack.id\":\"x\"},"
                + "\"User\":\"1000:1000\"},\"created\":\"1980-01-01T00:00:01Z\",\"history\":[],"
                + "\"os\":\"linux\",\"rootfs\":{\"diff_ids\":[\"sha256:aa\",\"sha256:bb\"],\"type\":\"layers\"}}", json);
    }

    @Test
    void aRegistryRebaseKeepsTheKeysInTheOrderTheyWereRead() throws Exception {
        ImageConfig app = ImageConfig.of((ObjectNode) JSON.readTree("""
                {"rootfs":{"type":"layers","diff_ids":["sha256:r1","sha256:a1"]},"os":"linux","variant":"v8",\
                "config":{"Labels":{"z":"1","io.buildpacks.base.id":"old"},"User":"cnb"},"architecture":"arm64",\
                "history":[{"created_by":"run"},{"created_by":"app"}]}"""));
        ImageConfig run = ImageConfig.of((ObjectNode) JSON.readTree("""
                {"architecture":"amd64","os":"linux","rootfs":{"diff_ids":["sha256:r2"]},"history":[{"created_by":"new"}]}"""));
        ImageConfig rebased = app.withPlatformOf(run).withLayersAndHistory(List.of("sha256:r2", "sha256:a1"),
                List.of(run.history().get(0), app.layerHistory().get(1))).withOnlyLabels(Map.of("z", "1"));
        assertEquals("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:r2\",\"sha256:a1\"]},\"os\":\"linux\","
                + "\"config\":{\"User\":\"cnb\",\"Labels\":{\"z\":\"1\"}},\"architecture\":\"amd64\",\"history\":"
                + "[{\"created_by\":\"new\"},{\"created_by\":\"app\"}]}",
                new String(rebased.toBytesInOrder(), StandardCharsets.UTF_8), "no variant on the new base: none");
        assertEquals("linux", ImageConfig.scratch("linux", "arm64").os());
        assertEquals(List.of("sha256:x"), ImageConfig.scratch("linux", "arm64").withLayer("sha256:x", "bp").diffIds());
    }
}
