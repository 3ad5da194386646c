package io.packlab.cnb.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Collects the entries of one image layer and writes them as a reproducible tar: entries sorted by
 * path, every parent folder present, mtime 1980-01-01T00:00:01Z, no user or group names, PAX names
 * when long, and the diff ID computed while writing. The same calls give the same bytes.
 *
 * <p>Paths are relative to the image root ({@code layers/example_python/deps}); a leading {@code /}
 * is dropped, {@code ..} is refused. A path given twice keeps the last entry. A parent folder that is
 * not given explicitly is written with mode 0755 and the owner of the first entry that needed it, so
 * give {@code /}-level folders (owned by root) explicitly when the entries below belong to someone else.
 */
public final class LayerBuilder {

    private enum Kind { DIRECTORY, BYTES, HOST_FILE, SYMLINK }

    private record Entry(String path, Kind kind, int uid, int gid, int mode, byte[] bytes, Path source,
            String link) {

        String tarName() {
            return kind == Kind.DIRECTORY ? path + "/" : path;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** A folder with mode 0755. */
    public LayerBuilder directory(String path, int uid, int gid) {
        return directory(path, uid, gid, 0755);
    }

    public LayerBuilder directory(String path, int uid, int gid, int mode) {
        return add(new Entry(clean(path), Kind.DIRECTORY, uid, gid, mode & 07777, null, null, null));
    }

    public LayerBuilder file(String path, byte[] content, int uid, int gid, int mode) {
        return add(new Entry(clean(path), Kind.BYTES, uid, gid, mode & 07777, content.clone(), null, null));
    }

    /** A file whose content is read from {@code hostFile} when the layer is written. */
    public LayerBuilder file(String path, Path hostFile, int uid, int gid, int mode) {
        return add(new Entry(clean(path), Kind.HOST_FILE, uid, gid, mode & 07777, null, hostFile, null));
    }

    /** A symbolic link to {@code target}, kept as given (relative or absolute). */
    public LayerBuilder symlink(String path, String target, int uid, int gid) {
        if (target == null || target.isEmpty()) {
            throw new IllegalArgumentException("the symlink " + path + " needs a target");
        }
        return add(new Entry(clean(path), Kind.SYMLINK, uid, gid, 0777, null, null, target));
    }

    /**
     * A host folder and everything in it, under {@code target} (the folder itself becomes
     * {@code target}), all owned by {@code uid:gid}: folders 0755, files 0755 when executable on the
     * host (owner execute bit) else 0644, symlinks as symlinks (never followed). Sockets, pipes and
     * devices are left out.
     */
    public LayerBuilder tree(Path hostDir, String target, int uid, int gid) throws IOException {
        return tree(hostDir, target, uid, gid, PathFilter.ALL);
    }

    /**
     * {@link #tree(Path, String, int, int)} with only the paths {@code filter} takes; a file taken in
     * a folder that is not gets that folder as an implied parent.
     */
    public LayerBuilder tree(Path hostDir, String target, int uid, int gid, PathFilter filter) throws IOException {
        if (!Files.isDirectory(hostDir)) {
            throw new IOException("cannot add " + hostDir + " to a layer: it is not a folder");
        }
        String root = clean(target.isEmpty() || target.equals("/") ? "." : target);
        Files.walkFileTree(hostDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String relative = slashes(hostDir.relativize(dir));
                if (!relative.isEmpty() && !filter.takes(relative, true)) {
                    return filter.looksInside(relative) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                }
                String path = under(root, hostDir.relativize(dir));
                if (!path.isEmpty()) {
                    directory(path, uid, gid, 0755);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!filter.takes(slashes(hostDir.relativize(file)), false)) {
                    return FileVisitResult.CONTINUE;
                }
                String path = under(root, hostDir.relativize(file));
                if (attrs.isSymbolicLink()) {
                    symlink(path, Files.readSymbolicLink(file).toString(), uid, gid);
                } else if (attrs.isRegularFile()) {
                    file(path, file, uid, gid, executable(file) ? 0755 : 0644);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return this;
    }

    /** Writes the tar to {@code tarFile} (replacing it) and returns it with its diff ID. */
    public Layer write(Path tarFile) throws IOException {
        MessageDigest digest = Tars.sha256();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tarFile), 64 * 1024);
                DigestOutputStream digesting = new DigestOutputStream(file, digest);
                TarArchiveOutputStream tar = Tars.open(digesting)) {
            for (Entry entry : sorted()) {
                writeEntry(tar, entry);
            }
            tar.finish();
        }
        return new Layer(tarFile, "sha256:" + HexFormat.of().formatHex(digest.digest()), Files.size(tarFile));
    }

    /** The tar entry names in the order {@link #write} writes them (with the implied parents). */
    public List<String> names() {
        return sorted().stream().map(Entry::tarName).toList();
    }

    private List<Entry> sorted() {
        Map<String, Entry> all = new LinkedHashMap<>(entries);
        for (Entry entry : entries.values()) {
            String path = entry.path();
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                String parent = path.substring(0, slash);
                all.putIfAbsent(parent, new Entry(parent, Kind.DIRECTORY, entry.uid(), entry.gid(), 0755, null, null,
                        null));
            }
        }
        List<Entry> list = new ArrayList<>(all.values());
        list.sort((a, b) -> a.tarName().compareTo(b.tarName()));
        return list;
    }

    private static void writeEntry(TarArchiveOutputStream tar, Entry entry) throws IOException {
        switch (entry.kind()) {
            case DIRECTORY -> {
                Tars.put(tar, Tars.entry(entry.tarName(), TarConstants.LF_DIR, entry.uid(), entry.gid(), entry.mode()));
                tar.closeArchiveEntry();
            }
            case SYMLINK -> {
                TarArchiveEntry e = Tars.entry(entry.tarName(), TarConstants.LF_SYMLINK, entry.uid(), entry.gid(),
                        entry.mode());
                e.setLinkName(entry.link());
                Tars.put(tar, e);
                tar.closeArchiveEntry();
            }
            case BYTES -> {
                TarArchiveEntry e = Tars.entry(entry.tarName(), TarConstants.LF_NORMAL, entry.uid(), entry.gid(),
                        entry.mode());
                e.setSize(entry.bytes().length);
                Tars.put(tar, e);
                tar.write(entry.bytes());
                tar.closeArchiveEntry();
            }
            case HOST_FILE -> {
                long size = Files.size(entry.source());
                TarArchiveEntry e = Tars.entry(entry.tarName(), TarConstants.LF_NORMAL, entry.uid(), entry.gid(),
                        entry.mode());
                e.setSize(size);
                Tars.put(tar, e);
                try (InputStream in = Files.newInputStream(entry.source())) {
                    long copied = in.transferTo(tar);
                    if (copied != size) {
                        throw new IOException(entry.source() + " changed while it was written to a layer (" + size
                                + " bytes, then " + copied + ")");
                    }
                }
                tar.closeArchiveEntry();
            }
        }
    }

    private LayerBuilder add(Entry entry) {
        if (entry.path().isEmpty()) {
            throw new IllegalArgumentException("a layer entry needs a path below the image root");
        }
        entries.remove(entry.path()); // the last one given wins, in its own place
        entries.put(entry.path(), entry);
        return this;
    }

    /** The path as a tar name: no leading or trailing {@code /}, no {@code .} or empty segments, no {@code ..}. */
    static String clean(String path) {
        List<String> kept = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("a layer entry may not climb out of the image root: " + path);
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                kept.add(segment);
            }
        }
        return String.join("/", kept);
    }

    private static String under(String root, Path relative) {
        String rel = relative.toString();
        if (rel.isEmpty()) {
            return root;
        }
        return root.isEmpty() ? clean(rel) : root + "/" + clean(rel);
    }

    private static String slashes(Path relative) {
        return relative.toString().replace(java.io.File.separatorChar, '/');
    }

    private static boolean executable(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            return permissions.contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(file);
        }
    }
}
