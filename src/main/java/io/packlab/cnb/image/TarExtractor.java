package io.packlab.cnb.image;

import io.packlab.error.PacklabException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a tar stream (such as {@code copyFromContainer} gives) into a folder, safely: entries with
 * {@code ..} segments or absolute names, links whose target lies outside the folder, and entries
 * whose folder leads outside through a symlink are refused with a {@link PacklabException} naming the
 * entry and why. Nothing is ever written outside the folder. File modes (the execute bit) and
 * symlinks are kept; ownership is not (files belong to whoever runs packlab). Content streams from
 * the tar to the file, never whole in memory. Sockets, pipes and devices are skipped.
 */
public final class TarExtractor {

    /** What to do with a symlink whose target is an absolute path. */
    public enum AbsoluteLinks {
        /** Refuse it: on this host the target lies outside the folder. */
        REJECT,
        /**
         * Keep it as it is: the target means a path in the container's file system (a virtualenv's
         * {@code bin/python -> /usr/bin/python3}), and the extractor never follows links to write.
         */
        KEEP
    }

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private TarExtractor() {
    }

    /** Extracts into {@code dest} (made if missing), refusing symlinks with absolute targets. */
    public static void extract(InputStream tar, Path dest) throws IOException {
        extract(tar, dest, AbsoluteLinks.REJECT);
    }

    /** Extracts into {@code dest} (made if missing); the stream is read to the tar's end, not closed. */
    public static void extract(InputStream tar, Path dest, AbsoluteLinks absoluteLinks) throws IOException {
        extract(tar, dest, absoluteLinks, name -> true);
    }

    /**
     * Like {@link #extract(InputStream, Path, AbsoluteLinks)}, with only the entries whose cleaned names
     * ({@code a/b}: no {@code ./}, no trailing {@code /}) {@code keep} takes; the others are read past.
     */
    public static void extract(InputStream tar, Path dest, AbsoluteLinks absoluteLinks,
            java.util.function.Predicate<String> keep) throws IOException {
        Files.createDirectories(dest);
        Path root = dest.toRealPath();
        Map<Path, Integer> folderModes = new LinkedHashMap<>();
        TarArchiveInputStream in = new TarArchiveInputStream(tar, "UTF-8");
        TarArchiveEntry entry;
        while ((entry = in.getNextEntry()) != null) {
            String name = entry.getName();
            List<String> segments = segments(name, name, "its name");
            if (segments.isEmpty()) {
                continue; // "." or "./": dest itself
            }
            if (!keep.test(String.join("/", segments))) {
                continue;
            }
            Path folder = folder(root, segments.subList(0, segments.size() - 1), name);
            Path target = folder.resolve(segments.get(segments.size() - 1));
            if (entry.isDirectory()) {
                if (!Files.isDirectory(target, NOFOLLOW)) {
                    Files.deleteIfExists(target);
                    Files.createDirectory(target);
                }
                folderModes.put(target, entry.getMode());
            } else if (entry.isSymbolicLink()) {
                String link = entry.getLinkName();
                if (link.startsWith("/")) {
                    if (absoluteLinks == AbsoluteLinks.REJECT) {
                        throw unsafe(name, "it is a symlink to the absolute path " + link + ", outside " + root);
                    }
                } else if (!folder.resolve(link).normalize().startsWith(root)) {
                    throw unsafe(name, "it is a symlink to " + link + ", which resolves outside " + root);
                }
                replaceable(target, name);
                Files.createSymbolicLink(target, Path.of(link));
            } else if (entry.isLink()) {
                String link = entry.getLinkName();
                List<String> linked = segments(link, name, "its hard link target " + link);
                if (!linked.isEmpty() && !keep.test(String.join("/", linked))) {
                    continue; // its content was read past: the link goes with it
                }
                Path existing = root.resolve(String.join("/", linked));
                if (linked.isEmpty() || !Files.isRegularFile(existing, NOFOLLOW)
                        || !existing.getParent().toRealPath().startsWith(root)) {
                    throw unsafe(name, "it is a hard link to " + link + ", which is not a file extracted into " + root);
                }
                replaceable(target, name);
                Files.createLink(target, existing);
            } else if (regularFile(entry)) {
                replaceable(target, name);
                Files.copy(in, target); // a new file: never opens an existing path or follows a link
                permissions(target, entry.getMode());
            }
        }
        List<Path> folders = new ArrayList<>(folderModes.keySet());
        for (int i = folders.size() - 1; i >= 0; i--) { // deepest last made, first closed
            permissions(folders.get(i), folderModes.get(folders.get(i)));
        }
    }

    /**
     * Whether the entry is a regular file; commons-compress's {@code isFile} also says so of pipes and devices (any
     * type that is not a folder), which would come out as empty files.
     */
    static boolean regularFile(TarArchiveEntry entry) {
        return entry.isFile() && !entry.isFIFO() && !entry.isCharacterDevice() && !entry.isBlockDevice();
    }

    /** The name's segments without {@code .} and empty ones; refuses absolute names and {@code ..}. */
    private static List<String> segments(String path, String entry, String what) {
        if (path.startsWith("/")) {
            throw unsafe(entry, what + " is an absolute path");
        }
        List<String> kept = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw unsafe(entry, what + " has a `..` segment, which would climb out of the folder");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                kept.add(segment);
            }
        }
        return kept;
    }

    /**
     * The entry's folder, made as needed one step at a time so that no step goes through a symlink
     * that leads outside {@code root} (a folder is never made before its path is known to be inside).
     */
    private static Path folder(Path root, List<String> segments, String entry) throws IOException {
        Path current = root;
        for (String segment : segments) {
            Path next = current.resolve(segment);
            if (Files.isSymbolicLink(next)) {
                Path real;
                try {
                    real = next.toRealPath();
                } catch (IOException e) {
                    throw unsafe(entry, "its folder passes through the dangling symlink " + root.relativize(next));
                }
                if (!real.startsWith(root) || !Files.isDirectory(real)) {
                    throw unsafe(entry, "its folder passes through the symlink " + root.relativize(next)
                            + ", which leads outside " + root);
                }
                next = real;
            } else if (Files.exists(next, NOFOLLOW)) {
                if (!Files.isDirectory(next, NOFOLLOW)) {
                    throw unsafe(entry, root.relativize(next) + " is a file, not a folder");
                }
            } else {
                Files.createDirectory(next);
            }
            current = next;
        }
        return current;
    }

    /** Removes what a later entry replaces (a file or a link, never what a link points to). */
    private static void replaceable(Path target, String entry) throws IOException {
        if (Files.isDirectory(target, NOFOLLOW)) {
            throw unsafe(entry, "it would replace the folder " + target.getFileName());
        }
        Files.deleteIfExists(target);
    }

    private static void permissions(Path path, int mode) throws IOException {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        try {
            Files.setPosixFilePermissions(path, set);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: modes cannot be kept here
        }
    }

    private static PacklabException unsafe(String entry, String why) {
        return new PacklabException(PacklabException.FAILED,
                "Refused to extract the tar entry `" + entry + "`: " + why + ". Nothing was written outside the folder.");
    }
}
