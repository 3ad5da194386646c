package io.packlab.cnb.image;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A tree read as a tar stream (the engine's archive of a container folder) written, without a copy of the tree on
 * disk, as exactly the bytes {@link LayerBuilder} writes when the same tree is extracted with {@link TarExtractor} and
 * added with {@link LayerBuilder#tree}: entries sorted by tar name with every parent, all owned by one user, folders
 * 0755, files 0755 when owner-executable else 0644, symlinks as they are, hard links as files with their content,
 * sockets, pipes and devices left out (as the extractor decides), the fixed mtime and PAX names.
 *
 * <p>The source may come in any order. A first read streams each entry straight through while the order allows it;
 * when an entry arrives that sorts before one already written, the rest of that read only lists the names, and a
 * second read writes in the right order, keeping in a temp file only the content of files that arrive before their
 * turn (in the engine's walk order: a folder {@code x} read before its sibling {@code x-1.0}). Either way the names
 * (not the content) of the tree stay in memory, as {@link LayerBuilder} keeps them; the listing of the last full read
 * is kept, so that the next read goes straight to the right order and fails if the tree changed meanwhile.
 */
public final class LayerStream {

    /** Opens the source tar stream, once per read. */
    public interface Source {
        InputStream open() throws IOException;
    }

    /** A file's size and content; the reader closes the stream. */
    public record Content(long size, InputStream in) {
    }

    /** Where a read writes the layer: opened anew (emptied) when a read has to start again. */
    public interface Sink {
        OutputStream open() throws IOException;

        /** Nowhere: only the diff ID and size are wanted. */
        static Sink nowhere() {
            return OutputStream::nullOutputStream;
        }

        /** Into {@code out}, which stays open; a read that must start again cannot, and fails instead. */
        static Sink into(OutputStream out) {
            boolean[] opened = {false};
            return () -> {
                if (opened[0]) {
                    throw new IOException("the layer cannot be written twice into the same stream");
                }
                opened[0] = true;
                return Tars.unclosable(out);
            };
        }
    }

    /** A written layer: its diff ID and size in bytes. */
    public record Result(String diffId, long size) {
    }

    private enum Kind { DIRECTORY, FILE, SYMLINK, HARDLINK }

    /** One entry of the source as the extraction would keep it; {@code path} already under the prefix. */
    private record Item(String path, Kind kind, int mode, String link, String sourceName) {
        String tarName() {
            return kind == Kind.DIRECTORY ? path + "/" : path;
        }
    }

    /** Thrown inside a first read when the source's order cannot be followed. */
    private static final class OutOfOrder extends Exception {
        OutOfOrder() {
            super(null, null, false, false);
        }
    }

    private final String prefix;
    private final List<String> folders;
    private final int uid;
    private final int gid;
    private final Path spillDir;
    private List<Item> listing;
    private long spilled;

    /**
     * Source names go under {@code prefix} ({@code layers/example_python}); {@code folders} are written as explicit
     * folders ({@code layers}, {@code layers/example_python}); everything is owned by {@code uid:gid}; content that
     * must wait (and the content of files that hard links name) is kept in a temp file in {@code spillDir}.
     */
    public LayerStream(String prefix, List<String> folders, int uid, int gid, Path spillDir) {
        this.prefix = LayerBuilder.clean(prefix);
        this.folders = folders.stream().map(LayerBuilder::clean).toList();
        this.uid = uid;
        this.gid = gid;
        this.spillDir = spillDir;
    }

    /**
     * Reads the source (twice when its order cannot be followed, then the second time in the right order) and writes
     * the layer to {@code sink}; after a full read, later calls read once, in the right order, whatever the source's.
     */
    public Result write(Source source, Sink sink) throws IOException {
        if (listing == null) {
            List<Item> seen = new ArrayList<>();
            try (InputStream in = source.open(); OutputStream out = sink.open()) {
                Result r = firstRead(in, out, seen);
                listing = seen;
                return r;
            } catch (OutOfOrder e) {
                listing = seen;
            }
        }
        try (InputStream in = source.open(); OutputStream out = sink.open()) {
            return ordered(in, out);
        }
    }

    /** Bytes of file content kept in a temp file to wait for their turn, over all reads so far. */
    public long spilledBytes() {
        return spilled;
    }

    // ---------------------------------------------------------------- first read: straight through while sorted

    private Result firstRead(InputStream source, OutputStream sink, List<Item> seen) throws IOException, OutOfOrder {
        Writer w = new Writer(sink);
        TarArchiveInputStream in = new TarArchiveInputStream(source, "UTF-8");
        Set<String> written = new HashSet<>(); // tar names: folders with their trailing slash
        String last = "";
        for (String folder : folders) {
            last = w.folder(folder, last, written);
        }
        TarArchiveEntry entry;
        boolean inOrder = true;
        while ((entry = in.getNextEntry()) != null) {
            Item item = item(entry);
            if (item == null) {
                continue;
            }
            seen.add(item);
            if (!inOrder) {
                continue; // only the names from here on: the second read writes
            }
            try {
                for (int slash = item.path().indexOf('/'); slash > 0; slash = item.path().indexOf('/', slash + 1)) {
                    last = w.folder(item.path().substring(0, slash), last, written);
                }
                if (item.kind() == Kind.DIRECTORY) {
                    last = w.folder(item.path(), last, written);
                } else {
                    if (written.contains(item.path()) || written.contains(item.path() + "/")
                            || item.tarName().compareTo(last) <= 0) {
                        throw new OutOfOrder();
                    }
                    if (item.kind() == Kind.HARDLINK) {
                        // Its content is its file's, which this read has passed. Reading it again from the source
                        // while this read is open would wait for ever: the engine holds the container until an
                        // archive it streams has been read to its end. The ordered read keeps link targets' content.
                        throw new OutOfOrder();
                    }
                    w.item(item, item.kind() == Kind.FILE ? new Content(entry.getSize(), in) : null, seen);
                    written.add(item.tarName());
                    last = item.tarName();
                }
            } catch (OutOfOrder e) {
                inOrder = false;
            }
        }
        if (!inOrder) {
            throw new OutOfOrder();
        }
        return w.finish();
    }

    // ---------------------------------------------------------------- ordered read: the listing says the order

    private Result ordered(InputStream source, OutputStream sink) throws IOException {
        Map<String, Integer> winner = new LinkedHashMap<>();
        for (int i = 0; i < listing.size(); i++) {
            winner.remove(listing.get(i).path()); // the last entry of a name wins, as the extraction leaves it
            winner.put(listing.get(i).path(), i);
        }
        Map<String, Item> all = new LinkedHashMap<>();
        for (String folder : folders) {
            all.put(folder, new Item(folder, Kind.DIRECTORY, 0755, null, null));
        }
        winner.values().forEach(i -> all.put(listing.get(i).path(), listing.get(i)));
        for (Item item : new ArrayList<>(all.values())) {
            String path = item.path();
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                all.putIfAbsent(path.substring(0, slash), new Item(path.substring(0, slash), Kind.DIRECTORY, 0755,
                        null, null));
            }
        }
        List<Item> plan = new ArrayList<>(all.values());
        plan.sort((a, b) -> a.tarName().compareTo(b.tarName()));
        Map<Integer, Integer> place = new HashMap<>();
        Map<String, Integer> planned = new HashMap<>();
        for (int p = 0; p < plan.size(); p++) {
            planned.put(plan.get(p).path(), p);
        }
        winner.forEach((path, i) -> place.put(i, planned.get(path)));

        Writer w = new Writer(sink);
        long[][] waiting = new long[plan.size()][]; // offset and size of a file's content in the spill file
        // the files hard links name: their content is kept in the spill file for the links, read once
        Map<String, Item> targetOf = new HashMap<>();
        for (Item item : plan) {
            if (item.kind() == Kind.HARDLINK) {
                targetOf.put(item.path(), linkTarget(item, listing));
            }
        }
        Set<String> targets = new HashSet<>();
        targetOf.values().forEach(t -> targets.add(t.path()));
        Map<String, long[]> linked = new HashMap<>();
        Path spill = null;
        FileChannel channel = null;
        try {
            TarArchiveInputStream in = new TarArchiveInputStream(source, "UTF-8");
            int next = 0;
            int index = 0;
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Item item = item(entry);
                if (item == null) {
                    continue;
                }
                if (index >= listing.size() || !same(item, listing.get(index))) {
                    throw changed(item.path());
                }
                Integer p = place.get(index++);
                if (p == null || item.kind() != Kind.FILE) {
                    continue; // an entry a later one of the same name replaces; other kinds need no content
                }
                next = drain(w, plan, next, waiting, channel, targetOf, linked);
                boolean target = targets.contains(item.path()); // kept for its links even when its turn is now
                if (p == next && !target) {
                    w.item(plan.get(p), new Content(entry.getSize(), in), listing);
                    next = drain(w, plan, next + 1, waiting, channel, targetOf, linked);
                } else {
                    if (channel == null) {
                        java.nio.file.Files.createDirectories(spillDir);
                        spill = java.nio.file.Files.createTempFile(spillDir, "layer-wait", ".bin");
                        channel = FileChannel.open(spill, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    }
                    long offset = channel.size();
                    channel.position(offset);
                    long copied = in.transferTo(Channels.newOutputStream(channel));
                    waiting[p] = new long[] {offset, copied};
                    if (target) {
                        linked.put(item.path(), waiting[p]);
                    }
                    spilled += copied;
                    next = drain(w, plan, next, waiting, channel, targetOf, linked);
                }
            }
            if (index != listing.size()) {
                throw changed(listing.get(index).path());
            }
            next = drain(w, plan, next, waiting, channel, targetOf, linked);
            if (next != plan.size()) {
                throw changed(plan.get(next).path());
            }
            return w.finish();
        } finally {
            if (channel != null) {
                channel.close();
            }
            if (spill != null) {
                java.nio.file.Files.deleteIfExists(spill);
            }
        }
    }

    /** Writes the planned entries from {@code next} on that can go now; returns the first that cannot. */
    private int drain(Writer w, List<Item> plan, int next, long[][] waiting, FileChannel channel,
            Map<String, Item> targetOf, Map<String, long[]> linked) throws IOException {
        while (next < plan.size()) {
            Item item = plan.get(next);
            if (item.kind() == Kind.HARDLINK) {
                Item target = targetOf.get(item.path());
                long[] at = linked.get(target.path());
                if (at == null) {
                    return next; // its file has not come yet
                }
                channel.position(at[0]);
                w.file(item.tarName(), target.mode(), new Content(at[1], new Bounded(Channels.newInputStream(channel),
                        at[1])));
            } else if (item.kind() == Kind.FILE) {
                if (waiting[next] == null) {
                    return next; // not here yet, or here now and written by the caller
                }
                long[] at = waiting[next];
                channel.position(at[0]);
                w.item(item, new Content(at[1], new Bounded(Channels.newInputStream(channel), at[1])), listing);
                waiting[next] = null;
            } else {
                w.item(item, null, listing);
            }
            next++;
        }
        return next;
    }

    private static boolean same(Item a, Item b) {
        return a.path().equals(b.path()) && a.kind() == b.kind() && a.mode() == b.mode()
                && java.util.Objects.equals(a.link(), b.link());
    }

    private static IOException changed(String path) {
        return new IOException("the folder changed while it was read for a layer (at " + path + "); a layer is read"
                + " from a build that has ended, so nothing may write to it meanwhile");
    }

    private String under(String relative) {
        return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }

    /** The entry as the extraction keeps it, or null when it keeps nothing. */
    private Item item(TarArchiveEntry entry) throws IOException {
        String name = entry.getName();
        if (name.startsWith("/")) {
            throw new IOException("the tar entry `" + name + "` has an absolute name");
        }
        List<String> kept = new ArrayList<>();
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new IOException("the tar entry `" + name + "` has a `..` segment");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                kept.add(segment);
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        String relative = String.join("/", kept);
        String path = under(relative);
        // the same questions in the same order as TarExtractor, so that the same entries are kept
        if (entry.isDirectory()) {
            return new Item(path, Kind.DIRECTORY, 0755, null, relative);
        } else if (entry.isSymbolicLink()) {
            return new Item(path, Kind.SYMLINK, 0777, entry.getLinkName(), relative);
        } else if (entry.isLink()) {
            return new Item(path, Kind.HARDLINK, 0, LayerBuilder.clean(entry.getLinkName()), relative);
        } else if (TarExtractor.regularFile(entry)) {
            return new Item(path, Kind.FILE, (entry.getMode() & 0100) != 0 ? 0755 : 0644, null, relative);
        }
        return null;
    }

    /** The tar being written, its digest and size. */
    private final class Writer {
        private final MessageDigest digest = Tars.sha256();
        private final Counting counting;
        private final TarArchiveOutputStream tar;

        Writer(OutputStream sink) {
            counting = new Counting(new DigestOutputStream(new BufferedOutputStream(Tars.unclosable(sink), 64 * 1024),
                    digest));
            tar = Tars.open(counting);
        }

        /** Writes the folder unless written; returns the new last name; out of order if it sorts too early. */
        String folder(String path, String last, Set<String> written) throws IOException, OutOfOrder {
            Item dir = new Item(path, Kind.DIRECTORY, 0755, null, null);
            if (written.contains(dir.tarName())) {
                return last;
            }
            if (written.contains(path) || dir.tarName().compareTo(last) <= 0) {
                throw new OutOfOrder();
            }
            item(dir, null, null);
            written.add(dir.tarName());
            return dir.tarName();
        }

        /** Writes one entry; a file's content comes from {@code content}, a hard link's is read by its target. */
        void item(Item item, Content content, List<Item> known) throws IOException {
            switch (item.kind()) {
                case DIRECTORY -> {
                    Tars.put(tar, Tars.entry(item.tarName(), TarConstants.LF_DIR, uid, gid, 0755));
                    tar.closeArchiveEntry();
                }
                case SYMLINK -> {
                    TarArchiveEntry e = Tars.entry(item.tarName(), TarConstants.LF_SYMLINK, uid, gid, 0777);
                    e.setLinkName(item.link());
                    Tars.put(tar, e);
                    tar.closeArchiveEntry();
                }
                case FILE -> file(item.tarName(), item.mode(), content);
                // never here: the ordered read writes a hard link with its target's content, from its spill file
                case HARDLINK -> throw new IllegalStateException("hard link " + item.path() + " written as an item");
            }
        }

        private void file(String name, int mode, Content content) throws IOException {
            TarArchiveEntry e = Tars.entry(name, TarConstants.LF_NORMAL, uid, gid, mode);
            e.setSize(content.size());
            Tars.put(tar, e);
            long copied = new Bounded(content.in(), content.size()).transferTo(tar);
            if (copied != content.size()) {
                throw new IOException(name + " ended after " + copied + " of its " + content.size() + " bytes");
            }
            tar.closeArchiveEntry();
        }

        Result finish() throws IOException {
            tar.finish();
            counting.flush();
            return new Result("sha256:" + HexFormat.of().formatHex(digest.digest()), counting.count);
        }
    }

    /** The regular file a hard link names (following links to links), as the extraction would have made it. */
    private Item linkTarget(Item link, List<Item> known) throws IOException {
        Item at = link;
        for (int hops = 0; at.kind() == Kind.HARDLINK && hops < 64; hops++) {
            String target = under(at.link());
            Item found = null;
            for (Item k : known) {
                if (k.path().equals(target)) {
                    found = k; // the last of the name: the one the extraction leaves
                }
            }
            if (found == null || (found.kind() != Kind.FILE && found.kind() != Kind.HARDLINK)) {
                throw new IOException("the tar entry `" + link.sourceName() + "` is a hard link to " + link.link()
                        + ", which is not a file of the tree");
            }
            at = found;
        }
        if (at.kind() != Kind.FILE) {
            throw new IOException("the tar entry `" + link.sourceName() + "` is a hard link that leads nowhere");
        }
        return at;
    }

    /** At most {@code size} bytes of a stream, never closing it. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
