package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import io.packlab.engine.ImageDetails;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

/**
 * The cache volume's restore and cache step, run by a real {@code sh} on a host folder that stands for the container's
 * {@code /layers} (no engine): what comes back, what is swept, and what a kill between any two lines of the cache step
 * leaves for the next build.
 */
class CacheVolumeTest {

    @TempDir
    Path dir;

    private MemoryContainer memory;
    private RecordingReporter out;
    private BuildContainer container;
    private CacheVolume volume;

    /** A container whose shell lines run in the host's sh, its /tmp/packlab under the test's root. */
    private void start() throws IOException {
        memory = new MemoryContainer(dir.resolve("root"));
        Files.createDirectories(memory.path("/layers"));
        memory.onExec = (exec, lines) -> sh(exec.script().replace(BuildContainer.WORK,
                memory.path(BuildContainer.WORK).toString()), lines);
        out = new RecordingReporter();
        Path root = memory.path("/");
        container = new BuildContainer(memory, new CnbUser((Integer) Files.getAttribute(root, "unix:uid"),
                (Integer) Files.getAttribute(root, "unix:gid")), out, Cancellation.none());
        volume = new CacheVolume(memory.path("/layers").toString());
    }

    private static int sh(String script, java.util.function.Consumer<String> lines) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            r.lines().forEach(lines);
        }
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private void restore(boolean clear) throws Exception {
        out.lines.clear();
        new Restorer(container, out, volume).restore(Optional.empty(), clear, dir);
    }

    /** A layer as a buildpack leaves it: its folder with one file, and its TOML. */
    private void layer(String bp, String name, String content, String types) throws IOException {
        memory.file("/layers/" + bp + "/" + name + "/file", content);
        memory.file("/layers/" + bp + "/" + name + ".toml", "[types]\n" + types + "\n[metadata]\nv = \"" + content
                + "\"\n");
    }

    /** The host copy of /layers that the cache step reads (TOMLs only). */
    private Path hostCopy() throws IOException {
        Path host = dir.resolve("host-" + System.nanoTime()).resolve("layers");
        try (var walk = Files.walk(memory.path("/layers"))) {
            for (Path p : walk.toList()) {
                String rel = memory.path("/layers").relativize(p).toString();
                if (p.toString().endsWith(".toml") && !rel.startsWith(".")) {
                    Files.createDirectories(host.resolve(rel).getParent());
                    Files.copy(p, host.resolve(rel));
                }
            }
        }
        return host;
    }

    private List<String> cacheScript() throws Exception {
        List<GroupMember> group = List.of(Fixtures.bp("ex/a", "0.10"));
        new CacheWriter(container, out, volume).save(group, hostCopy(), Map.of());
        return memory.scripts().get(memory.scripts().size() - 1).lines().toList();
    }

    /** What /layers holds, visible names only: file path -> content ("<dir>" for folders). */
    private Map<String, String> visible() throws IOException {
        Map<String, String> seen = new TreeMap<>();
        Path layers = memory.path("/layers");
        try (var walk = Files.walk(layers)) {
            for (Path p : walk.toList()) {
                String rel = layers.relativize(p).toString();
                if (rel.isEmpty() || rel.startsWith(".")) {
                    continue;
                }
                seen.put(rel, Files.isDirectory(p) ? "<dir>" : Files.readString(p).strip());
            }
        }
        return seen;
    }

    private List<String> hidden() throws IOException {
        try (var list = Files.list(memory.path("/layers"))) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void aNewVolumeGetsAnEmptyCommittedCacheAndWhatTheBuilderImageLeftIsSwept() throws Exception {
        start();
        memory.file("/layers/from-image/x", "x");
        restore(false);
        assertEquals(Map.of(), visible());
        assertEquals(List.of(".packlab+cache", ".packlab+cache.1"), hidden());
        assertEquals(".packlab+cache.1", Files.readSymbolicLink(memory.path("/layers/.packlab+cache")).toString());
        assertEquals(List.of(), out.lines);
    }

    @Test
    void onlyCacheLayersComeBackMovedWithTheirFlagsResetAndTheRestIsSwept() throws Exception {
        start();
        restore(false);
        layer("ex_a", "deps", "deps v1", "cache = true\nlaunch = true");
        layer("ex_a", "tools", "tools v1", "build = true");
        layer("ex_a", "web", "web v1", "launch = true");
        memory.file("/layers/ex_a/store.toml", "[metadata]\nk = 1\n");
        cacheScript();
        Object inode = Files.getAttribute(memory.path("/layers/ex_a/deps/file"), "unix:ino");
        assertEquals(inode, Files.getAttribute(memory.path("/layers/.packlab+cache.2/ex_a/deps/file"), "unix:ino"),
                "the cache step links the layer's files, it does not copy them");
        assertEquals("deps v1", Files.readString(memory.path("/layers/ex_a/deps/file")), "the exporter still reads it");
        assertEquals(List.of(".packlab+cache", ".packlab+cache.2"), hidden(), "the earlier generation is gone");

        restore(false);
        assertEquals(List.of("Restoring cached layer 'ex_a:deps'"), out.lines);
        assertEquals(Map.of("ex_a", "<dir>", "ex_a/deps", "<dir>", "ex_a/deps/file", "deps v1", "ex_a/deps.toml",
                "[metadata]\nv = \"deps v1\""), visible());
        assertEquals(inode, Files.getAttribute(memory.path("/layers/ex_a/deps/file"), "unix:ino"), "moved, not copied");
        assertFalse(Toml.parse(memory.path("/layers/ex_a/deps.toml")).contains("types.cache"));
        try (var left = Files.walk(memory.path("/layers/.packlab+cache.2"))) {
            assertEquals(0, left.filter(Files::isRegularFile).count(), "the restored layers are no longer in the"
                    + " committed cache");
        }
    }

    /** The fingerprints the last buildpack's staging line takes, run here by the host's sh. */
    private void fingerprintAfterBuild(CachedLayers cached) throws IOException {
        sh("cd '" + memory.path("/layers") + "' && {\n" + CachedLayers.fingerprints(cached.restored()) + "\n}",
                line -> assertTrue(cached.builtLine(line), line));
    }

    @Test
    void aCachedLaunchLayersRecordComesBackWithAFingerprintThatAnyChangeAlters() throws Exception {
        start();
        restore(false);
        layer("ex_a", "deps", "deps v1", "cache = true\nlaunch = true");
        layer("ex_a", "tools", "tools v1", "cache = true");
        CachedLayers.Record record = new CachedLayers.Record("ex_a/deps", "sha256:" + "ab".repeat(32), 2048, 1000, 1001);
        List<GroupMember> group = List.of(Fixtures.bp("ex/a", "0.10"));
        new CacheWriter(container, out, volume).save(group, hostCopy(), Map.of("ex_a/deps", record));

        out.lines.clear();
        CachedLayers cached = new Restorer(container, out, volume).restore(Optional.empty(), false, dir);
        assertEquals(List.of("Restoring cached layer 'ex_a:deps'", "Restoring cached layer 'ex_a:tools'"), out.lines,
                "the records and fingerprints are not shown");
        assertEquals(List.of("ex_a/deps"), cached.restored(), "only the exported layer has a record");
        fingerprintAfterBuild(cached);
        assertEquals(Optional.of(record), cached.unchanged("ex_a/deps", 1000, 1001), "left alone by the build");
        assertEquals(Optional.empty(), cached.unchanged("ex_a/deps", 1000, 1000), "exported with another owner");
        assertEquals(Optional.empty(), cached.unchanged("ex_a/tools", 1000, 1001), "no record");

        // kept by the next cache step, with the record the export gives again; then changed in place, the same size,
        // its modification time set back: only the change time tells
        memory.file("/layers/ex_a/deps.toml", "[types]\ncache = true\nlaunch = true\n");
        new CacheWriter(container, out, volume).save(group, hostCopy(), Map.of("ex_a/deps", record));
        cached = new Restorer(container, out, volume).restore(Optional.empty(), false, dir);
        assertEquals(List.of("ex_a/deps"), cached.restored());
        Path file = memory.path("/layers/ex_a/deps/file");
        Object inode = Files.getAttribute(file, "unix:ino");
        Thread.sleep(20);
        sh("touch -r '" + file + "' '" + dir.resolve("ref") + "' && printf 'deps v2' > '" + file + "' && touch -r '"
                + dir.resolve("ref") + "' '" + file + "'", l -> {
                });
        assertEquals(inode, Files.getAttribute(file, "unix:ino"));
        fingerprintAfterBuild(cached);
        assertEquals(Optional.empty(), cached.unchanged("ex_a/deps", 1000, 1001), "changed in place");

        // a new file also
        memory.file("/layers/ex_a/deps.toml", "[types]\ncache = true\nlaunch = true\n");
        new CacheWriter(container, out, volume).save(group, hostCopy(), Map.of("ex_a/deps", record));
        cached = new Restorer(container, out, volume).restore(Optional.empty(), false, dir);
        assertEquals(List.of("ex_a/deps"), cached.restored());
        memory.file("/layers/ex_a/deps/new", "");
        fingerprintAfterBuild(cached);
        assertEquals(Optional.empty(), cached.unchanged("ex_a/deps", 1000, 1001), "a file added");

        // --clear-cache: no record
        cached = new Restorer(container, out, volume).restore(Optional.empty(), true, dir);
        assertEquals(List.of(), cached.restored());
    }

    @Test
    void theTomlsOfThePreviousImagesLaunchLayersArePlacedBesideTheCachedLayersAndGivenToTheUser() throws Exception {
        start();
        restore(false);
        layer("ex_a", "deps", "deps v1", "cache = true");
        cacheScript();
        ImageDetails previous = Fixtures.image("sha256:prev", List.of(), Map.of(Cnb.LABEL_LIFECYCLE, "{\"buildpacks\":"
                + " [{\"key\": \"ex/a\", \"version\": \"1\", \"layers\": {\"web\": {\"sha\": \"sha256:w\", \"data\":"
                + " {\"v\": \"7\"}, \"launch\": true}}}]}"), List.of("sha256:r1"));
        out.lines.clear();
        new Restorer(container, out, volume).restore(Optional.of(previous), false, dir);
        assertEquals(List.of("Restoring cached layer 'ex_a:deps'", "Restoring metadata for \"ex/a:web\" from app"
                + " image"), out.lines);
        assertEquals("7", Toml.parse(memory.path("/layers/ex_a/web.toml")).getString("metadata.v"));
        assertEquals("deps v1", Files.readString(memory.path("/layers/ex_a/deps/file")));
        assertFalse(Files.exists(memory.path(Restorer.STAGED + "/layers")), "the staged TOMLs are gone");
    }

    @Test
    void aKillBetweenAnyTwoLinesOfTheCacheStepLeavesTheOldCacheOrTheNewOneWhole() throws Exception {
        List<String> script = null;
        for (int cut = 0; script == null || cut <= script.size(); cut++) {
            AppBuilder.deleteTree(dir.resolve("root"));
            start();
            restore(false);
            layer("ex_a", "deps", "deps v1", "cache = true");
            cacheScript();
            restore(false);
            // the second build: deps changed in place, a new cache layer, then the cache step cut after `cut` lines
            memory.file("/layers/ex_a/deps/file", "deps v2");
            memory.file("/layers/ex_a/deps.toml", "[types]\ncache = true\n[metadata]\nv = \"deps v2\"\n");
            layer("ex_a", "more", "more v2", "cache = true");
            List<GroupMember> group = List.of(Fixtures.bp("ex/a", "0.10"));
            memory.onExec = (exec, lines) -> 0; // stage the TOMLs, keep the script
            new CacheWriter(container, out, volume).save(group, hostCopy(), Map.of());
            script = memory.scripts().get(memory.scripts().size() - 1).lines().toList();
            int swap = script.indexOf(script.stream().filter(l -> l.contains("mv -T")).findFirst().orElseThrow());
            String prefix = String.join("\n", script.subList(0, cut))
                    .replace(BuildContainer.WORK, memory.path(BuildContainer.WORK).toString());
            sh(prefix.isEmpty() ? "true" : prefix, l -> {
            });
            memory.onExec = (exec, lines) -> sh(exec.script(), lines);
            restore(false);
            if (cut <= swap) {
                assertEquals(List.of(), out.lines, "cut after line " + cut + ": the cache the restore took is gone,"
                        + " nothing half-made comes back");
                assertEquals(Map.of(), visible(), "cut after line " + cut);
            } else {
                assertEquals(List.of("Restoring cached layer 'ex_a:deps'", "Restoring cached layer 'ex_a:more'"),
                        out.lines, "cut after line " + cut);
                assertEquals("deps v2", Files.readString(memory.path("/layers/ex_a/deps/file")));
                assertEquals("more v2", Files.readString(memory.path("/layers/ex_a/more/file")));
                assertTrue(Files.readString(memory.path("/layers/ex_a/deps.toml")).contains("deps v2"));
                assertEquals(List.of(".packlab+cache", ".packlab+cache.3"), hidden(), "cut after line " + cut);
            }
        }
        assertTrue(script.size() >= 6, script.toString());
    }

    @Test
    void aLayerFolderLeftWithoutItsTomlInTheCommittedCacheIsNotRestored() throws Exception {
        start();
        restore(false);
        layer("ex_a", "deps", "deps v1", "cache = true");
        layer("ex_a", "half", "half v1", "cache = true");
        cacheScript();
        // a restore killed between the two renames of a layer: the TOML went, the folder stayed
        Files.delete(memory.path("/layers/.packlab+cache.2/ex_a/half.toml"));
        restore(false);
        assertEquals(List.of("Restoring cached layer 'ex_a:deps'"), out.lines);
        assertFalse(Files.exists(memory.path("/layers/ex_a/half")));
    }

    @Test
    void aBuildKilledAfterTheRestoreLeavesNothingOfItsOwnToTheNext() throws Exception {
        start();
        restore(false);
        layer("ex_a", "deps", "deps v1", "cache = true");
        cacheScript();
        restore(false);
        memory.file("/layers/ex_a/deps/file", "half written");
        memory.file("/layers/.hidden-by-a-buildpack", "x");
        restore(false);
        assertEquals(List.of(), out.lines);
        assertEquals(Map.of(), visible());
        assertEquals(List.of(".packlab+cache", ".packlab+cache.2"), hidden());
    }

    @Test
    void clearCacheEmptiesTheCommittedCache() throws Exception {
        start();
        restore(false);
        layer("ex_a", "deps", "deps v1", "cache = true");
        cacheScript();
        restore(true);
        assertEquals(List.of("Clearing the cache (--clear-cache)"), out.lines);
        assertEquals(Map.of(), visible());
        assertEquals(List.of(".packlab+cache", ".packlab+cache.1"), hidden());
    }

    @Test
    void theCacheOfAnEarlierPacklabIsMovedOverOrDroppedWhenItsSaveWasCutShort() throws Exception {
        start();
        memory.file("/layers/layers/ex_a/deps/file", "old packlab");
        memory.file("/layers/layers/ex_a/deps.toml", "[metadata]\nv = \"old\"\n");
        restore(false);
        assertEquals(List.of("Moving the build cache of an earlier packlab (/cache/layers of the volume) to "
                + volume.layers() + "/.packlab+cache", "Restoring cached layer 'ex_a:deps'"), out.lines);
        assertEquals("old packlab", Files.readString(memory.path("/layers/ex_a/deps/file")));

        AppBuilder.deleteTree(dir.resolve("root"));
        start();
        memory.file("/layers/layers/ex_a/deps/file", "old packlab");
        memory.file("/layers/layers/ex_a/deps.toml", "[metadata]\nv = \"old\"\n");
        memory.file("/layers/layers.new/ex_a/deps.toml", "[metadata]\nv = \"newer\"\n");
        restore(false);
        assertEquals(List.of("Dropping the build cache of an earlier packlab: its last save was cut short"
                + " (/cache/layers.new of the volume)"), out.lines);
        assertEquals(Map.of(), visible());
    }

    @Test
    void aLayerWithTheHiddenNamesOfTheCacheCannotBeABuildpacksFolder() {
        assertFalse(CacheVolume.LINK.matches("[A-Za-z0-9._/-]+"), "a buildpack id or its escaped form cannot name it");
    }
}
