package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.descriptor.BuildpackApi;
import io.packlab.cnb.metadata.LifecycleMetadata;
import io.packlab.error.PacklabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

class RestoredFilesTest {

    private static LifecycleMetadata.LayerMetadata layer(Boolean build, Boolean launch, Boolean cache) {
        return new LifecycleMetadata.LayerMetadata("sha256:l", null, build, launch, cache);
    }

    private static JsonNode json(String text) throws Exception {
        return Images.JSON.readTree(text);
    }

    @Test
    void aRestoredLayerTomlHasNoTypesFromBuildpackApi06() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("version", "3.12.1");
        metadata.put("weird key", "a \"quoted\"\nline\u0001");
        metadata.put("count", 3L);
        metadata.put("ratio", 0.5);
        metadata.put("nested", Map.of("list", List.of(1L, "two", Map.of("x", true))));
        String text = RestoredFiles.layerToml(metadata, true, true, true, new BuildpackApi(0, 9));
        TomlParseResult toml = Toml.parse(text);
        assertFalse(toml.hasErrors(), text + toml.errors());
        assertFalse(toml.contains("types"), "no [types]: every flag is false: " + text);
        assertFalse(toml.contains("launch") || toml.contains("build") || toml.contains("cache"), text);
        assertEquals("3.12.1", toml.getString("metadata.version"));
        assertEquals("a \"quoted\"\nline\u0001", toml.getTable("metadata").getString(List.of("weird key")));
        assertEquals(3L, toml.getLong("metadata.count"));
        assertEquals(0.5, toml.getDouble("metadata.ratio"));
        assertEquals("two", toml.getArray("metadata.nested.list").getString(1));
        assertEquals(true, toml.getArray("metadata.nested.list").getTable(2).getBoolean("x"));
    }

    @Test
    void beforeApi06TheFlagsStayAtTheTopLevelAsRecorded() {
        TomlParseResult toml = Toml.parse(RestoredFiles.layerToml(Map.of("a", "b"), true, false, true,
                new BuildpackApi(0, 5)));
        assertFalse(toml.hasErrors());
        assertEquals(true, toml.getBoolean("launch"));
        assertEquals(false, toml.getBoolean("build"));
        assertEquals(true, toml.getBoolean("cache"));
        assertEquals("b", toml.getString("metadata.a"));
    }

    @Test
    void onlyLaunchLayersThatAreNeitherUncachedBuildLayersNorCacheLayersComeFromTheImage() throws Exception {
        assertTrue(RestoredFiles.fromImage(layer(null, true, null)));
        assertFalse(RestoredFiles.fromImage(layer(true, true, null)), "rebuilt every time");
        assertFalse(RestoredFiles.fromImage(layer(null, true, true)), "from the cache instead");
        assertFalse(RestoredFiles.fromImage(layer(true, null, true)));
        assertFalse(RestoredFiles.fromImage(layer(false, false, false)));
    }

    @Test
    void storeTomlGoesIntoTheLabelAndComesBackTheSame(@TempDir Path layers) throws Exception {
        assertTrue(RestoredFiles.store(layers, "bp@1").isEmpty(), "no store.toml, no store");
        Files.writeString(layers.resolve("store.toml"), """
                [metadata]
                builds = 2
                last = "2024-01-01"
                [metadata.tools]
                names = ["a", "b"]
                """);
        ObjectNode store = RestoredFiles.store(layers, "bp@1").orElseThrow();
        assertEquals("{\"metadata\":{\"builds\":2,\"last\":\"2024-01-01\",\"tools\":{\"names\":[\"a\",\"b\"]}}}",
                store.toString(), "in the file's order, nested tables as objects");
        String back = RestoredFiles.storeToml(store).orElseThrow();
        TomlParseResult toml = Toml.parse(back);
        assertFalse(toml.hasErrors(), back);
        assertEquals(2L, toml.getLong("metadata.builds"));
        assertEquals("b", toml.getArray("metadata.tools.names").getString(1));
        assertTrue(RestoredFiles.storeToml(null).isEmpty());
        assertTrue(RestoredFiles.storeToml(json("{}")).isEmpty(), "a store without metadata is not restored");
    }

    @Test
    void aStoreTomlThatIsNotTomlFailsTheBuildNamingTheBuildpack(@TempDir Path layers) throws Exception {
        Files.writeString(layers.resolve("store.toml"), "[metadata\nx = 1\n");
        PacklabException e = assertThrows(PacklabException.class, () -> RestoredFiles.store(layers, "bp@1"));
        assertEquals(PacklabException.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("buildpack bp@1 wrote a store.toml that is not TOML"), e.getMessage());
    }
}
