package io.packlab.cnb.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.engine.ImageDetails;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageConfigsTest {

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
        ObjectNode config = ImageConfigs.derive(base);
        assertEquals("1980-01-01T00:00:01Z", config.get("created").asText());
        assertEquals("2024-05-01T10:00:00Z", base.config().get("created").asText(), "the base is left as it was");
        assertEquals("1000:1000", config.at("/config/User").asText());
    }

    @Test
    void layersAreAppendedWithHistoryInStepWithTheLayers() throws Exception {
        ObjectNode consistent = ImageConfigs.derive(base("""
                ,"history":[{"created_by":"ADD rootfs"},{"created_by":"ENV x","empty_layer":true},{"created_by":"RUN y"}]"""));
        ObjectNode config = ImageConfigs.withLayers(consistent, List.of("sha256:cc", "sha256:dd"),
                List.of("Layer: 'deps'", "Application Layer"));
        assertEquals(List.of("sha256:aa", "sha256:bb", "sha256:cc", "sha256:dd"), ImageConfigs.diffIds(config));
        JsonNode history = config.get("history");
        assertEquals(5, history.size());
        assertEquals("ADD rootfs", history.get(0).get("created_by").asText());
        assertEquals("Application Layer", history.get(4).get("created_by").asText());
        assertEquals(ImageConfigs.CREATED, history.get(4).get("created").asText());
        assertEquals(2, ImageConfigs.diffIds(consistent).size(), "the argument is left as it was");

        ObjectNode missing = ImageConfigs.withLayer(ImageConfigs.derive(base("")), "sha256:cc", "Application Layer");
        assertEquals(3, missing.get("history").size(), "no base history: one plain entry per base layer, then ours");
        assertFalse(missing.get("history").get(0).has("created_by"));
        ObjectNode wrong = ImageConfigs.withLayer(ImageConfigs.derive(base(",\"history\":[{\"created_by\":\"one\"}]")),
                "sha256:cc", "Application Layer");
        assertEquals(3, wrong.get("history").size(), "a history that does not match the layers is replaced");
    }

    @Test
    void envLabelsEntrypointCmdWorkingDirAndUser() throws Exception {
        ObjectNode config = ImageConfigs.derive(base(""));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/cnb/process:/usr/bin");
        env.put("CNB_APP_DIR", "/workspace");
        config = ImageConfigs.withEnv(config, env);
        assertEquals(List.of("PATH=/cnb/process:/usr/bin", "LANG=C.UTF-8", "CNB_APP_DIR=/workspace"),
                JSON.convertValue(config.at("/config/Env"), List.class));
        assertEquals("/workspace", ImageConfigs.env(config, "CNB_APP_DIR"));

        config = ImageConfigs.withLabel(config, "io.packlab.lesson", "build");
        assertEquals("x", config.at("/config/Labels/io.buildpacks.stack.id").asText());
        assertEquals("build", config.at("/config/Labels/io.packlab.lesson").asText());

        config = ImageConfigs.withEntrypoint(config, List.of("/cnb/process/web"));
        config = ImageConfigs.withCmd(config, List.of());
        config = ImageConfigs.withWorkingDir(config, "/workspace");
        config = ImageConfigs.withUser(config, null);
        assertEquals("/cnb/process/web", config.at("/config/Entrypoint/0").asText());
        assertEquals(0, config.at("/config/Cmd").size());
        assertEquals("/workspace", config.at("/config/WorkingDir").asText());
        assertFalse(config.get("config").has("User"));
        assertNull(ImageConfigs.withEntrypoint(config, null).get("config").get("Entrypoint"));
    }

    @Test
    void theBytesHaveSortedKeysAndDoNotDependOnTheOrderOfChanges() throws Exception {
        ObjectNode a = ImageConfigs.withLabel(ImageConfigs.withLabel(ImageConfigs.derive(base("")), "b", "2"), "a", "1");
        ObjectNode b = ImageConfigs.withLabel(ImageConfigs.withLabel(ImageConfigs.derive(base("")), "a", "1"), "b", "2");
        String json = new String(ImageConfigs.toBytes(a), StandardCharsets.UTF_8);
        assertEquals(json, new String(ImageConfigs.toBytes(b), StandardCharsets.UTF_8));
        assertEquals("{\"architecture\":\"amd64\",\"config\":{\"Entrypoint\":[\"/bin/sh\"],\"Env\":[\"PATH=/usr/bin\","
                + "\"LANG=C.UTF-8\"],\"Labels\":{\"a\":\"1\",\"b\":\"2\",\"io.buildpacks.stack.id\":\"x\"},"
                + "\"User\":\"1000:1000\"},\"created\":\"1980-01-01T00:00:01Z\",\"os\":\"linux\","
                + "\"rootfs\":{\"diff_ids\":[\"sha256:aa\",\"sha256:bb\"],\"type\":\"layers\"}}", json);
    }
}
