package io.packlab.cnb.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerBuilderTest {

    @TempDir
    Path temp;

    private static LayerBuilder sample() {
        return new LayerBuilder()
                .file("/workspace/app.py", "print('hi')\n".getBytes(StandardCharsets.UTF_8), 1000, 1000, 0644)
                .directory("layers", 1000, 1000)
                .file("layers/example_python/deps/bin/run", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 1000,
                        1000, 0755)
                .symlink("cnb/process/web", "/cnb/lifecycle/launcher", 0, 0)
                .directory("cnb", 0, 0);
    }

    @Test
    void theSameEntriesGiveTheSameDigestPinnedHere() throws Exception {
        Layer first = sample().write(temp.resolve("one.tar"));
        Layer second = sample().write(temp.resolve("two.tar"));
        assertEquals(first.diffId(), second.diffId());
        assertEquals("sha256:311d2c161d8c3bf0625769f67978d0f758ac65208e37dc473042548d609b55e0", first.diffId(),
                "the digest of the sample layer is pinned: a change here changes every image packlab writes");
    }

    @Test
    void theDiffIdAndSizeAreThoseOfTheFileWritten() throws Exception {
        Layer layer = sample().write(temp.resolve("layer.tar"));
        byte[] bytes = Files.readAllBytes(layer.path());
        assertEquals(Tars.sha256(bytes), layer.diffId());
        assertEquals(bytes.length, layer.size());
    }

    @Test
    void entriesAreSortedWithEveryParentFolderAndNoLeadingSlash() throws Exception {
        Layer layer = sample().write(temp.resolve("layer.tar"));
        List<String> names = TarFiles.read(layer.path()).stream().map(r -> r.entry().getName()).toList();
        assertEquals(List.of("cnb/", "cnb/process/", "cnb/process/web", "layers/", "layers/example_python/",
                "layers/example_python/deps/", "layers/example_python/deps/bin/", "layers/example_python/deps/bin/run",
                "workspace/", "workspace/app.py"), names);
        assertEquals(names, sample().names());
    }

    @Test
    void ownersModesAndTimesAreFixed() throws Exception {
        Map<String, TarFiles.Read> entries = TarFiles.byName(TarFiles.read(sample().write(temp.resolve("l.tar")).path()));
        TarArchiveEntry cnb = entries.get("cnb/").entry();
        assertEquals(0, cnb.getLongUserId());
        assertEquals(0755, cnb.getMode() & 07777);
        TarArchiveEntry process = entries.get("cnb/process/").entry();
        assertEquals(0, process.getLongUserId(), "an implied parent takes the owner of the entry below it");
        TarArchiveEntry deps = entries.get("layers/example_python/deps/").entry();
        assertEquals(1000, deps.getLongUserId());
        assertEquals(1000, deps.getLongGroupId());
        assertEquals(0755, deps.getMode() & 07777);
        assertEquals(0755, entries.get("layers/example_python/deps/bin/run").entry().getMode() & 07777);
        assertEquals(0644, entries.get("workspace/app.py").entry().getMode() & 07777);
        TarArchiveEntry link = entries.get("cnb/process/web").entry();
        assertTrue(link.isSymbolicLink());
        assertEquals("/cnb/lifecycle/launcher", link.getLinkName());
        for (TarFiles.Read r : entries.values()) {
            assertEquals(Instant.parse("1980-01-01T00:00:01Z"), r.entry().getModTime().toInstant(), r.entry().getName());
            assertEquals("", r.entry().getUserName(), r.entry().getName());
            assertEquals("", r.entry().getGroupName(), r.entry().getName());
        }
        assertArrayEquals("print('hi')\n".getBytes(StandardCharsets.UTF_8), entries.get("workspace/app.py").content());
    }

    @Test
    void aTreeKeepsTheExecuteBitAndSymlinks() throws Exception {
        Path app = Files.createDirectories(temp.resolve("app/bin"));
        Files.writeString(app.resolve("start"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(app.resolve("start"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(temp.resolve("app/readme.txt"), "hello");
        Files.setPosixFilePermissions(temp.resolve("app/readme.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(temp.resolve("app/run"), Path.of("bin/start"));
        Files.createSymbolicLink(temp.resolve("app/python"), Path.of("/usr/bin/python3"));

        Layer layer = new LayerBuilder().directory("workspace", 1000, 1000).tree(temp.resolve("app"), "workspace", 1000, 1000)
                .write(temp.resolve("tree.tar"));
        Map<String, TarFiles.Read> entries = TarFiles.byName(TarFiles.read(layer.path()));
        assertEquals(List.of("workspace/", "workspace/bin/", "workspace/bin/start", "workspace/python",
                "workspace/readme.txt", "workspace/run"), List.copyOf(entries.keySet()));
        assertEquals(0755, entries.get("workspace/bin/start").entry().getMode() & 07777);
        assertEquals(0644, entries.get("workspace/readme.txt").entry().getMode() & 07777);
        assertEquals(0755, entries.get("workspace/bin/").entry().getMode() & 07777);
        assertEquals("bin/start", entries.get("workspace/run").entry().getLinkName());
        assertEquals("/usr/bin/python3", entries.get("workspace/python").entry().getLinkName());
        assertEquals(1000, entries.get("workspace/bin/start").entry().getLongUserId());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), entries.get("workspace/readme.txt").content());
    }

    @Test
    void longAndNonAsciiNamesGoInPaxHeadersThatDoNotDependOnWhoRunsThis() throws Exception {
        String deep = "layers/example_python/deps/" + "very-long-folder-name/".repeat(6) + "module.py";
        String link = "../".repeat(3) + "target-of-a-long-link/".repeat(6) + "file";
        LayerBuilder builder = new LayerBuilder().file(deep, new byte[] {1, 2, 3}, 1000, 1000, 0644)
                .file("workspace/こんにちは.txt", new byte[] {4}, 1000, 1000, 0644)
                .symlink("layers/link", link, 1000, 1000);
        Layer first = builder.write(temp.resolve("a.tar"));
        String user = System.getProperty("user.name");
        Layer second;
        try {
            System.setProperty("user.name", "someone-else-entirely");
            second = builder.write(temp.resolve("b.tar"));
        } finally {
            System.setProperty("user.name", user);
        }
        assertEquals(first.diffId(), second.diffId(), "commons-compress puts user.name in its own PAX entries");

        Map<String, TarFiles.Read> entries = TarFiles.byName(TarFiles.read(first.path()));
        assertTrue(entries.containsKey(deep), entries.keySet().toString());
        assertArrayEquals(new byte[] {1, 2, 3}, entries.get(deep).content());
        assertTrue(entries.containsKey("workspace/こんにちは.txt"), entries.keySet().toString());
        assertEquals(link, entries.get("layers/link").entry().getLinkName());
        assertTrue(entries.keySet().stream().noneMatch(n -> n.startsWith("/")));
    }

    @Test
    void aPathThatClimbsOutIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LayerBuilder().file("workspace/../../etc/passwd", new byte[0], 0, 0, 0644));
        assertTrue(e.getMessage().contains("workspace/../../etc/passwd"), e.getMessage());
    }

    @Test
    void theLastEntryForAPathWins() throws Exception {
        Layer layer = new LayerBuilder().file("a.txt", new byte[] {1}, 0, 0, 0644).file("a.txt", new byte[] {2}, 5, 5, 0600)
                .write(temp.resolve("x.tar"));
        List<TarFiles.Read> entries = TarFiles.read(layer.path());
        assertEquals(1, entries.size());
        assertEquals(5, entries.get(0).entry().getLongUserId());
        assertArrayEquals(new byte[] {2}, entries.get(0).content());
    }
}
