package io.packlab.cnb.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed layer is byte for byte what the host path made of the same tree: the engine's archive extracted with
 * {@link TarExtractor} and added with {@link LayerBuilder#tree} under {@code /layers/<id>} (owned by the CNB user).
 */
class LayerStreamTest {

    private static final int UID = 1000;
    private static final int GID = 1001;

    @TempDir
    Path dir;

    /** One entry of a source tar as the engine sends it: header fields as in the container, and the content. */
    private record Source(TarArchiveEntry entry, byte[] content) {
    }

    /** A python-like layer: siblings that sort before a folder, long and non-ASCII names, links, empty folders. */
    private Path tree() throws IOException {
        Path layer = dir.resolve("container/layers/example_python/deps");
        write(layer.resolve("flask/__init__.py"), "from .app import Flask\n", "rw-r--r--");
        write(layer.resolve("flask/app.py"), "class Flask: pass\n", "rwxr-x---");
        write(layer.resolve("flask-2.0.dist-info/METADATA"), "Name: flask\n", "rw-------");
        write(layer.resolve("flask.pth"), "flask\n", "rw-r--r--");
        write(layer.resolve("flask+extra/x"), "x", "rw-r--r--");
        write(layer.resolve("flaskz/y"), "y", "rw-r--r--");
        write(layer.resolve("bin/tool"), "#!/bin/sh\necho tool\n", "rwxr-xr-x");
        Files.createLink(layer.resolve("bin/tool-again"), layer.resolve("bin/tool"));
        Files.createLink(layer.resolve("flask/copy-of-tool"), layer.resolve("bin/tool"));
        Files.createSymbolicLink(layer.resolve("bin/python"), Path.of("/usr/bin/python3"));
        Files.createSymbolicLink(layer.resolve("flask/here"), Path.of("../flask.pth"));
        Files.createDirectories(layer.resolve("empty"));
        Files.createDirectories(layer.resolve("a/b/c"));
        String longName = "a-very-long-folder-name-".repeat(5) + "/" + "and-a-long-file-name-".repeat(4) + ".txt";
        write(layer.resolve("lib/" + longName), "long", "rw-r--r--");
        write(layer.resolve("lib/日本語.txt"), "こんにちは", "rw-r--r--");
        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        Files.write(layer.resolve("flask/big.bin"), big);
        return layer;
    }

    private static void write(Path file, String content, String mode) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    /** The tree as the engine's archive gives it: walk order (names sorted per folder), hard links as link entries. */
    private static List<Source> walk(Path layer) throws IOException {
        List<Source> out = new ArrayList<>();
        Map<Object, String> inodes = new HashMap<>();
        walk(layer, layer.getFileName().toString(), out, inodes);
        TarArchiveEntry fifo = new TarArchiveEntry(layer.getFileName() + "/pipe", TarConstants.LF_FIFO);
        out.add(new Source(fifo, new byte[0]));
        TarArchiveEntry device = new TarArchiveEntry(layer.getFileName() + "/null", TarConstants.LF_CHR);
        out.add(new Source(device, new byte[0]));
        return out;
    }

    private static void walk(Path p, String name, List<Source> out, Map<Object, String> inodes) throws IOException {
        int mode = Integer.parseInt(Files.getAttribute(p, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .toString()) & 07777;
        if (Files.isSymbolicLink(p)) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
            out.add(new Source(stamp(e, mode), new byte[0]));
        } else if (Files.isDirectory(p)) {
            out.add(new Source(stamp(new TarArchiveEntry(name + "/", TarConstants.LF_DIR), mode), new byte[0]));
            List<Path> children;
            try (Stream<Path> list = Files.list(p)) {
                children = list.sorted((a, b) -> compareBytes(a.getFileName().toString(),
                        b.getFileName().toString())).toList();
            }
            for (Path c : children) {
                walk(c, name + "/" + c.getFileName(), out, inodes);
            }
        } else {
            Object inode = Files.getAttribute(p, "unix:ino");
            String first = inodes.putIfAbsent(inode, name);
            if (first != null) {
                TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
                e.setLinkName(first);
                out.add(new Source(stamp(e, mode), new byte[0]));
            } else {
                byte[] content = Files.readAllBytes(p);
                TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                e.setSize(content.length);
                out.add(new Source(stamp(e, mode), content));
            }
        }
    }

    /** The owner and time the container had: nothing the layer keeps. */
    private static TarArchiveEntry stamp(TarArchiveEntry e, int mode) {
        e.setMode(mode);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("root");
        e.setModTime(new Date(1_700_000_000_000L));
        return e;
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] tar(List<Source> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Source s : entries) {
                tar.putArchiveEntry(s.entry());
                tar.write(s.content());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** What packlab made before: the archive extracted on the host, the folder added with LayerBuilder.tree. */
    private byte[] hostPath(byte[] source) throws IOException {
        Path host = dir.resolve("host-" + System.nanoTime());
        TarExtractor.extract(new ByteArrayInputStream(source), host, TarExtractor.AbsoluteLinks.KEEP);
        LayerBuilder lb = new LayerBuilder();
        lb.directory("layers", UID, GID, 0755);
        lb.directory("layers/example_python", UID, GID, 0755);
        lb.tree(host.resolve("deps"), "layers/example_python/deps", UID, GID);
        return Files.readAllBytes(lb.write(dir.resolve("reference-" + System.nanoTime() + ".tar")).path());
    }

    private LayerStream stream(Path layer) {
        return new LayerStream("layers/example_python", List.of("layers", "layers/example_python"), UID, GID,
                dir.resolve("spill"));
    }

    /**
     * The source, its reads counted; opening it while a read of it is still open fails the test: the engine holds a
     * container while it streams an archive of it, so such a nested read would wait for ever.
     */
    private static LayerStream.Source counting(byte[] tar, AtomicInteger reads) {
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (!open.compareAndSet(false, true)) {
                throw new AssertionError("the source was opened again while a read of it was open");
            }
            reads.incrementAndGet();
            return new java.io.FilterInputStream(new ByteArrayInputStream(tar)) {
                @Override
                public void close() throws IOException {
                    open.set(false);
                    super.close();
                }
            };
        };
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void theEnginesWalkOrderGivesExactlyTheBytesOfTheHostPath() throws Exception {
        Path layer = tree();
        byte[] source = tar(walk(layer));
        byte[] expected = hostPath(source);
        List<String> names = TarFiles.read(new ByteArrayInputStream(expected)).stream()
                .map(r -> r.entry().getName()).toList();
        assertTrue(names.stream().noneMatch(n -> n.endsWith("/pipe") || n.endsWith("/null")), "no pipe, no device");
        assertTrue(names.indexOf("layers/example_python/deps/flask-2.0.dist-info/")
                < names.indexOf("layers/example_python/deps/flask/"), "the case this is about: " + names);

        LayerStream stream = stream(layer);
        AtomicInteger reads = new AtomicInteger();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerStream.Result r = stream.write(counting(source, reads), () -> {
            out.reset();
            return out;
        });

        assertArrayEquals(expected, out.toByteArray());
        assertEquals(sha256(expected), r.diffId());
        assertEquals(expected.length, r.size());
        assertEquals(2, reads.get(), "flask/ comes before flask-2.0.dist-info/ in the walk: a second, ordered read");
        assertTrue(stream.spilledBytes() >= 300_000 && stream.spilledBytes() < 301_000,
                "only the files of flask/ waited: " + stream.spilledBytes());
        assertTrue(Files.list(dir.resolve("spill")).findAny().isEmpty(), "the spill file is deleted");
    }

    @Test
    void anyOrderOfTheSourceGivesTheSameBytes() throws Exception {
        Path layer = tree();
        List<Source> entries = walk(layer);
        byte[] expected = hostPath(tar(entries));
        for (long seed = 1; seed <= 6; seed++) {
            List<Source> shuffled = new ArrayList<>(entries);
            Collections.shuffle(shuffled, new Random(seed));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LayerStream.Result r = stream(layer).write(counting(tar(shuffled), new AtomicInteger()), () -> {
                out.reset();
                return out;
            });
            assertArrayEquals(expected, out.toByteArray(), "order of seed " + seed);
            assertEquals(sha256(expected), r.diffId());
        }
        List<Source> reversed = new ArrayList<>(entries);
        Collections.reverse(reversed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream(layer).write(counting(tar(reversed), new AtomicInteger()), () -> {
            out.reset();
            return out;
        });
        assertArrayEquals(expected, out.toByteArray(), "reversed");
    }

    @Test
    void aTreeInSortedOrderIsReadOnceAndNothingWaits() throws Exception {
        Path layer = dir.resolve("container/layers/example_python/deps");
        write(layer.resolve("bin/run"), "#!/bin/sh\n", "rwxr-xr-x");
        byte[] data = new byte[2 * 1024 * 1024];
        new Random(3).nextBytes(data);
        Files.createDirectories(layer.resolve("blob"));
        Files.write(layer.resolve("blob/data"), data);
        Files.createDirectories(layer.resolve("empty"));
        byte[] source = tar(walk(layer));
        byte[] expected = hostPath(source);

        LayerStream stream = stream(layer);
        AtomicInteger reads = new AtomicInteger();
        LayerStream.Result hashed = stream.write(counting(source, reads), LayerStream.Sink.nowhere());
        assertEquals(1, reads.get());
        assertEquals(0, stream.spilledBytes());
        assertEquals(sha256(expected), hashed.diffId());
        assertEquals(expected.length, hashed.size());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerStream.Result sent = stream.write(counting(source, reads), LayerStream.Sink.into(out));
        assertEquals(2, reads.get(), "the second write reads once, in the order it learnt");
        assertArrayEquals(expected, out.toByteArray());
        assertEquals(hashed, sent);
    }

    @Test
    void aTreeThatChangesBetweenReadsIsAnError() throws Exception {
        Path layer = tree();
        List<Source> entries = walk(layer);
        LayerStream stream = stream(layer);
        stream.write(counting(tar(entries), new AtomicInteger()), LayerStream.Sink.nowhere());
        List<Source> fewer = new ArrayList<>(entries);
        fewer.remove(fewer.size() - 3);
        IOException e = assertThrows(IOException.class, () -> stream.write(counting(tar(fewer), new AtomicInteger()),
                LayerStream.Sink.nowhere()));
        assertTrue(e.getMessage().contains("changed while it was read"), e.getMessage());
    }

    @Test
    void aHardLinkToNothingInTheTreeIsAnError() throws Exception {
        Path layer = dir.resolve("container/layers/example_python/deps");
        Files.createDirectories(layer);
        TarArchiveEntry top = new TarArchiveEntry("deps/", TarConstants.LF_DIR);
        TarArchiveEntry link = new TarArchiveEntry("deps/x", TarConstants.LF_LINK);
        link.setLinkName("deps/missing");
        byte[] source = tar(List.of(new Source(top, new byte[0]), new Source(link, new byte[0])));
        IOException e = assertThrows(IOException.class, () -> stream(layer).write(counting(source,
                new AtomicInteger()), LayerStream.Sink.nowhere()));
        assertTrue(e.getMessage().contains("hard link to deps/missing"), e.getMessage());
    }
}
