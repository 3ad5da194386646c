package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

class CacheWriterTest {

    @TempDir
    Path dir;

    @Test
    void cacheLayersGoIntoANewGenerationThatTheLinkThenNames() throws Exception {
        Path layers = dir.resolve("layers");
        Files.createDirectories(layers.resolve("examples_node/deps"));
        Files.writeString(layers.resolve("examples_node/deps.toml"), "[types]\ncache = true\nlaunch = true\n"
                + "[metadata]\nsum = \"abc\"\n");
        Files.createDirectories(layers.resolve("examples_node/node"));
        Files.writeString(layers.resolve("examples_node/node.toml"), "[types]\nlaunch = true\n");
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        RecordingReporter out = new RecordingReporter();
        BuildContainer c = new BuildContainer(memory, new CnbUser(1000, 1001), out, Cancellation.none());
        new CacheWriter(c, out).save(List.of(Fixtures.bp("examples/node", "0.10")), layers, Map.of());

        assertEquals(List.of(new PlatformEvent.CacheLayerAdded("examples/node", "deps")), out.events);
        assertEquals(1, memory.scripts().size());
        List<String> script = memory.scripts().get(0).lines().toList();
        assertEquals(List.of("mkdir -p \"$N/examples_node\" && cp -al examples_node/deps \"$N/examples_node/\" && cp"
                + " /tmp/packlab/cache-toml/examples_node/deps.toml \"$N/examples_node/deps.toml\""),
                script.stream().filter(l -> l.contains("cp -al")).toList(), "only the cache layer, linked, not copied");
        assertTrue(script.indexOf(script.stream().filter(l -> l.contains("cp -al")).findFirst().orElseThrow())
                < script.indexOf(script.stream().filter(l -> l.contains("mv -T")).findFirst().orElseThrow()),
                "committed after it is filled");
        var toml = Toml.parse(memory.path("/tmp/packlab/cache-toml/examples_node/deps.toml"));
        assertEquals("abc", toml.getString("metadata.sum"));
        assertFalse(toml.contains("types.launch"), "kept as the next build gets it back: flags reset");
    }
}
