package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import io.packlab.engine.ImageDetails;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

class RestorerTest {

    @TempDir
    Path dir;

    private static ImageDetails previous(String lifecycle, String build) {
        return Fixtures.image("sha256:prev", List.of(), Map.of(Cnb.LABEL_LIFECYCLE, lifecycle, Cnb.LABEL_BUILD, build),
                List.of("sha256:r1"));
    }

    @Test
    void launchLayersGetTheirTomlBackWithFlagsResetAndTheStoreComesBack() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        memory.onExec = (exec, lines) -> {
            lines.accept("Restoring cached layer 'examples_node:deps'");
            lines.accept("noise");
            return 0;
        };
        RecordingReporter out = new RecordingReporter();
        BuildContainer c = new BuildContainer(memory, new CnbUser(1000, 1001), out, Cancellation.none());
        ImageDetails prev = previous("{\"buildpacks\": [{\"key\": \"examples/node\", \"version\": \"1\", \"layers\": {"
                + "\"node\": {\"sha\": \"sha256:n\", \"data\": {\"version\": \"20\"}, \"launch\": true}, \"tools\": {\"sha\":"
                + " \"sha256:t\", \"launch\": true, \"build\": true}, \"deps\": {\"sha\": \"sha256:d\", \"launch\": true, \"cache\": true}}, \"store\": {"
                + "\"metadata\": {\"runs\": 2}}}]}", "{\"buildpacks\": [{\"id\": \"examples/node\", \"api\": \"0.10\"}]}");
        new Restorer(c, out).restore(Optional.of(prev), false, dir);

        assertEquals(List.of("Restoring cached layer 'examples_node:deps'",
                "Restoring metadata for \"examples/node:node\" from app image"), out.lines);
        TomlParseResult node = Toml.parse(memory.path("/tmp/packlab/restored/layers/examples_node/node.toml"));
        assertEquals("20", node.getString("metadata.version"));
        assertFalse(node.contains("types.launch"), "the flags are reset (Buildpack API 0.6 and later)");
        assertFalse(Files.exists(memory.path("/tmp/packlab/restored/layers/examples_node/deps.toml")), "a cache layer comes from the volume");
        assertFalse(Files.exists(memory.path("/tmp/packlab/restored/layers/examples_node/tools.toml")), "a build layer is built again");
        assertEquals(2L, Toml.parse(memory.path("/tmp/packlab/restored/layers/examples_node/store.toml")).getLong("metadata.runs"));
        assertTrue(memory.scripts().get(0).contains("chown -R 1000:1001 \"$b\""), memory.scripts().get(0));
        assertTrue(memory.scripts().get(0).contains("cp -pR '/tmp/packlab/restored/layers'/. ."), "the staged TOMLs"
                + " are put in place by the restore's line (CacheVolumeTest runs it): " + memory.scripts().get(0));
    }

    @Test
    void restoredLayersAreNamedByTheirBuildpacksIdsWhereTheFolderNameIsOneIdsOnly() {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        RecordingReporter out = new RecordingReporter();
        Restorer r = new Restorer(new BuildContainer(memory, new CnbUser(1000, 1001), out, Cancellation.none()), out)
                .naming(List.of("examples/node", "a/b", "a_b", "examples/node"));
        assertEquals("Restoring cached layer 'examples/node:deps'", r.named("Restoring cached layer"
                + " 'examples_node:deps'"));
        assertEquals("Restoring cached layer 'a_b:x'", r.named("Restoring cached layer 'a_b:x'"), "a/b or a_b");
        assertEquals("Restoring cached layer 'other:x'", r.named("Restoring cached layer 'other:x'"));
        assertEquals("Moving the build cache of an earlier packlab", r.named("Moving the build cache of an earlier"
                + " packlab"));
    }

    @Test
    void clearCacheEmptiesTheVolumeFirstAndNoPreviousImageRestoresNothingFromIt() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        RecordingReporter out = new RecordingReporter();
        BuildContainer c = new BuildContainer(memory, new CnbUser(1000, 1001), out, Cancellation.none());
        new Restorer(c, out).restore(Optional.empty(), true, dir);
        assertTrue(memory.scripts().get(0).contains("rm -f .packlab+cache &&"), memory.scripts().get(0));
        assertEquals(1, memory.scripts().size());
        assertEquals(0, memory.copiesIn);
        assertEquals(List.of("Clearing the cache (--clear-cache)"), out.lines);
    }

    @Test
    void metadataThatIsNotJsonIsAWarningAndNothingMore() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        RecordingReporter out = new RecordingReporter();
        BuildContainer c = new BuildContainer(memory, new CnbUser(1000, 1001), out, Cancellation.none());
        new Restorer(c, out).restore(Optional.of(previous("{not json", "{}")), false, dir);
        assertEquals(List.of("Warning: the previous image's lifecycle metadata is not JSON; nothing is restored from"
                + " it"), out.lines);
        assertEquals(0, memory.copiesIn);
    }

    @Test
    void metadataOfAnotherShapeIsAWarningNamingWhereAndNothingIsRestored() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        RecordingReporter out = new RecordingReporter();
        BuildContainer c = new BuildContainer(memory, new CnbUser(1000, 1001), out, Cancellation.none());
        new Restorer(c, out).restore(Optional.of(previous("{\"buildpacks\": [{\"key\": \"examples/node\", \"layers\":"
                + " {\"node\": {\"sha\": \"sha256:n\", \"launch\": \"yes\"}}}]}", "{}")), false, dir);
        assertEquals(List.of("Warning: the label io.buildpacks.lifecycle.metadata of image sha256:prev is not of the"
                + " lifecycle's shape (buildpacks[0].layers.node.launch is a string, not true or false); the image was"
                + " not made by pack or packlab, or was damaged. Nothing is restored from it."), out.lines);
        assertEquals(0, memory.copiesIn);
    }

    @Test
    void aBuildMetadataEntryWithAnUnreadableApiFallsBackToTheNewestRulesForThatBuildpackOnly() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        RecordingReporter out = new RecordingReporter();
        BuildContainer c = new BuildContainer(memory, new CnbUser(1000, 1001), out, Cancellation.none());
        new Restorer(c, out).restore(Optional.of(previous("{\"buildpacks\": [{\"key\": \"a/old\", \"version\": \"1\","
                + " \"layers\": {\"l\": {\"sha\": \"sha256:a\", \"data\": {\"k\": \"v\"}, \"launch\": true}}},"
                + " {\"key\": \"b/odd\", \"version\": \"1\", \"layers\": {\"l\": {\"sha\": \"sha256:b\", \"launch\":"
                + " true}}}]}", "{\"buildpacks\": [{\"id\": \"b/odd\", \"api\": \"x.y\"}, {\"id\": \"a/old\", \"api\":"
                + " \"0.5\"}]}")), false, dir);
        TomlParseResult old = Toml.parse(memory.path("/tmp/packlab/restored/layers/a_old/l.toml"));
        assertEquals(true, old.getBoolean("launch"), "Buildpack API 0.5: the flags at the top level, as recorded");
        assertEquals("v", old.getString("metadata.k"));
        assertFalse(Toml.parse(memory.path("/tmp/packlab/restored/layers/b_odd/l.toml")).contains("launch"), "the newest API's rules");
    }
}
