package io.packlab.report;

import io.packlab.error.IoReasons;
import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The file a report goes to. {@link #open} checks, before anything runs, that packlab can write there
 * (refused with a paragraph, exit 2); {@link #write} writes the whole report to a temporary file in
 * the same folder, forces it to disk and moves it over the file, so a reader (or a CI server picking
 * it up after a kill) finds the previous report or the new one, never half of one. It may be written
 * several times in a run (when a signal comes, then when the run has unwound): the last write wins.
 */
public final class ReportFile {

    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path file;
    private final String given;

    private ReportFile(Path file, String given) {
        this.file = file;
        this.given = given;
    }

    /** The report file {@code path} (relative to {@code folder}), checked to be writable; exit 2 if it is not. */
    public static ReportFile open(Path folder, Path path) {
        String given = path.toString();
        Path abs = folder.resolve(path).toAbsolutePath().normalize();
        if (Files.isSymbolicLink(abs)) {
            try {
                abs = abs.toRealPath(); // the report goes where the link points, the link stays
            } catch (IOException dangling) {
                // a link to nothing: it is replaced by the report
            }
        }
        if (Files.isDirectory(abs)) {
            throw refused(given, "it is a folder; name a file in it, for example --report " + abs.resolve("packlab-report.xml"));
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            throw refused(given, "it exists and is not a regular file (a device, a pipe or a socket), which a report"
                    + " would replace; name a file, for example --report packlab-report.xml");
        }
        Path parent = abs.getParent();
        if (!Files.isDirectory(parent)) {
            throw refused(given, "its folder " + parent + (Files.exists(parent) ? " is not a folder" : " does not exist")
                    + "; create the folder first (mkdir -p " + parent + ") or name a file in an existing folder");
        }
        try {
            Files.delete(Files.createTempFile(parent, tempPrefix(abs), ".tmp"));
        } catch (IOException e) {
            throw refused(given, "packlab cannot write in its folder " + parent + " (" + IoReasons.of(e, parent)
                    + "); name a file in a folder you can write, for example --report /tmp/packlab-report.xml");
        }
        return new ReportFile(abs, given);
    }

    private static PacklabException refused(String given, String why) {
        return PacklabException.usage("cannot write the report to `" + io.packlab.error.Texts.word(given) + "`: " + why
                + ". Nothing was run.");
    }

    private static String tempPrefix(Path abs) {
        return "." + abs.getFileName() + ".packlab-" + ProcessHandle.current().pid() + "-";
    }

    /** Where the report goes (absolute, a link followed). */
    public Path path() {
        return file;
    }

    /**
     * Writes the report that {@code xml} makes (asked for while the file is held, so that of two writers
     * the later one writes the later state) atomically over the file. Exit 2 when it cannot be written.
     */
    public synchronized void write(Supplier<String> xml) {
        Path tmp = null;
        try {
            byte[] bytes = xml.get().getBytes(StandardCharsets.UTF_8);
            tmp = Files.createTempFile(file.getParent(), tempPrefix(file), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            permissions(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw PacklabException.usage("could not write the report to `" + io.packlab.error.Texts.word(given) + "` ("
                    + IoReasons.of(e, file) + "); " + (Files.exists(file) ? "the file holds the report written before."
                            : "there is no report."));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a hidden temporary file stays next to the report; it names this process
                }
            }
        }
    }

    /** A temporary file is readable by its owner only; a report, like any file, by everyone (or as the one it replaces). */
    private void permissions(Path tmp) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, Files.exists(file) ? Files.getPosixFilePermissions(file) : READABLE);
        } catch (UnsupportedOperationException notPosix) {
            // the file system's defaults
        }
    }
}
