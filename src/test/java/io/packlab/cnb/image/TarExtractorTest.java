package io.packlab.cnb.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarExtractorTest {

    @TempDir
    Path temp;

    private Path dest;
    private Path outside;

    @BeforeEach
    void folders() throws IOException {
        dest = Files.createDirectories(temp.resolve("sandbox/dest"));
        outside = Files.createDirectories(temp.resolve("outside"));
    }

    private static TarArchiveEntry file(String name) {
        return new TarArchiveEntry(name, true); // keeps the name as given, even absolute
    }

    private static TarArchiveEntry link(String name, byte type, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(target);
        return e;
    }

    private PacklabException refused(byte[] tar) {
        return assertThrows(PacklabException.class, () -> TarExtractor.extract(TarFiles.stream(tar), dest));
    }

    /** Everything below {@code temp}, so a test sees any file written where it should not be. */
    private List<String> everything() throws IOException {
        try (Stream<Path> all = Files.walk(temp)) {
            return all.map(p -> temp.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aDotDotSegmentIsRefused() throws Exception {
        byte[] tar = TarFiles.hostile(List.of(file("ok.txt"), file("a/../../x")), Arrays.asList(new byte[] {1}, new byte[] {2}));
        PacklabException e = refused(tar);
        assertEquals(PacklabException.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("`a/../../x`"), e.getMessage());
        assertTrue(e.getMessage().contains("`..` segment"), e.getMessage());
        assertFalse(Files.exists(temp.resolve("sandbox/x")));
        assertEquals(List.of("", "outside", "sandbox", "sandbox/dest", "sandbox/dest/ok.txt"), everything());
    }

    @Test
    void anAbsoluteNameIsRefused() throws Exception {
        PacklabException e = refused(TarFiles.hostile(List.of(file("/etc/passwd")), Arrays.asList(new byte[] {1})));
        assertTrue(e.getMessage().contains("`/etc/passwd`"), e.getMessage());
        assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
        assertEquals(List.of("", "outside", "sandbox", "sandbox/dest"), everything());
    }

    @Test
    void aSymlinkOutIsRefused() throws Exception {
        PacklabException e = refused(TarFiles.hostile(List.of(link("escape", TarConstants.LF_SYMLINK, "../../outside")),
                Arrays.asList((byte[]) null)));
        assertTrue(e.getMessage().contains("`escape`"), e.getMessage());
        assertTrue(e.getMessage().contains("resolves outside"), e.getMessage());
        assertEquals(List.of("", "outside", "sandbox", "sandbox/dest"), everything());
    }

    @Test
    void aHardLinkOutIsRefused() throws Exception {
        Files.writeString(outside.resolve("secret"), "s");
        PacklabException e = refused(TarFiles.hostile(
                List.of(link("copy", TarConstants.LF_LINK, "../../outside/secret")), Arrays.asList((byte[]) null)));
        assertTrue(e.getMessage().contains("`copy`"), e.getMessage());
        assertTrue(e.getMessage().contains("hard link target"), e.getMessage());
        PacklabException absolute = refused(TarFiles.hostile(
                List.of(link("copy", TarConstants.LF_LINK, outside.resolve("secret").toString())),
                Arrays.asList((byte[]) null)));
        assertTrue(absolute.getMessage().contains("absolute path"), absolute.getMessage());
        assertEquals(List.of("", "outside", "outside/secret", "sandbox", "sandbox/dest"), everything());
    }

    @Test
    void anAbsoluteSymlinkIsRefusedByDefaultAndNeverWrittenThroughWhenKept() throws Exception {
        byte[] tar = TarFiles.hostile(List.of(link("out", TarConstants.LF_SYMLINK, outside.toString()), file("out/evil")),
                Arrays.asList(null, new byte[] {1}));
        PacklabException e = refused(tar);
        assertTrue(e.getMessage().contains("absolute path " + outside), e.getMessage());

        PacklabException through = assertThrows(PacklabException.class,
                () -> TarExtractor.extract(TarFiles.stream(tar), dest, TarExtractor.AbsoluteLinks.KEEP));
        assertTrue(through.getMessage().contains("`out/evil`"), through.getMessage());
        assertTrue(through.getMessage().contains("passes through the symlink out"), through.getMessage());
        assertFalse(Files.exists(outside.resolve("evil")));
        assertEquals(List.of("", "outside", "sandbox", "sandbox/dest", "sandbox/dest/out"), everything());
    }

    @Test
    void aLayerRoundTripsWithModesSymlinksAndHardLinks() throws Exception {
        Path built = new LayerBuilder()
                .file("deps/bin/run", "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8), 1000, 1000, 0755)
                .file("deps/readme", "r".getBytes(StandardCharsets.UTF_8), 1000, 1000, 0644)
                .symlink("deps/bin/start", "run", 1000, 1000)
                .symlink("deps/python", "/usr/bin/python3", 1000, 1000)
                .write(temp.resolve("layer.tar")).path();
        try (InputStream in = Files.newInputStream(built)) {
            TarExtractor.extract(in, dest, TarExtractor.AbsoluteLinks.KEEP);
        }
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve("deps/bin/run"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve("deps/readme"))));
        assertTrue(Files.isSymbolicLink(dest.resolve("deps/bin/start")));
        assertEquals(Path.of("run"), Files.readSymbolicLink(dest.resolve("deps/bin/start")));
        assertEquals(Path.of("/usr/bin/python3"), Files.readSymbolicLink(dest.resolve("deps/python")));
        assertEquals("#!/bin/sh\necho hi\n", Files.readString(dest.resolve("deps/bin/start")));

        byte[] hard = TarFiles.hostile(List.of(file("a.txt"), link("b.txt", TarConstants.LF_LINK, "a.txt")),
                Arrays.asList("same".getBytes(StandardCharsets.UTF_8), null));
        TarExtractor.extract(TarFiles.stream(hard), dest);
        assertEquals("same", Files.readString(dest.resolve("b.txt")));
        assertTrue(Files.isRegularFile(dest.resolve("b.txt"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aLaterEntryReplacesAFileOrALinkButNeverWritesThroughIt() throws Exception {
        Files.writeString(outside.resolve("target"), "untouched");
        byte[] tar = TarFiles.hostile(List.of(link("f", TarConstants.LF_SYMLINK, "g"), file("f")),
                Arrays.asList(null, "new".getBytes(StandardCharsets.UTF_8)));
        TarExtractor.extract(TarFiles.stream(tar), dest);
        assertFalse(Files.isSymbolicLink(dest.resolve("f")));
        assertEquals("new", Files.readString(dest.resolve("f")));
        assertEquals("untouched", Files.readString(outside.resolve("target")));
    }
}
