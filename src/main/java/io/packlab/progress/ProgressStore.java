package io.packlab.progress;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads and writes {@code progress.json}. Writes go to a temporary file in the same folder, are
 * forced to disk, then moved over the old file, so a crash leaves the old or the new state, never a
 * half-written one. A file that cannot be read is kept as a backup and progress starts afresh.
 */
public final class ProgressStore {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private final Consumer<String> warnings;

    public ProgressStore(Path file, Consumer<String> warnings) {
        this.file = file;
        this.warnings = warnings;
    }

    public Path file() {
        return file;
    }

    public Progress load() {
        if (!Files.exists(file)) {
            return Progress.start();
        }
        try {
            JsonNode tree = JSON.readTree(file.toFile());
            int version = tree.path("version").asInt(-1);
            if (version > Progress.VERSION) {
                Path backup = backup();
                warnings.accept("The progress file " + file + " was written by a newer packlab (format " + version
                        + "); it is kept as " + backup + " and progress starts afresh here. Use the newer packlab"
                        + " to keep it.");
                return Progress.start();
            }
            if (version < 1 || !tree.isObject()) {
                throw new IOException("no format version");
            }
            return JSON.treeToValue(tree, Progress.class);
        } catch (IOException | IllegalArgumentException e) {
            Path backup = backup();
            warnings.accept("The progress file " + file + " could not be read (" + firstLine(e.getMessage())
                    + "); it is kept as " + backup + " and progress starts afresh. Your images are untouched:"
                    + " `check` finds what earlier lessons made.");
            return Progress.start();
        }
    }

    public void save(Progress progress) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".progress-", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                    JSON.writeValue(out, progress);
                }
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the progress file " + file, e);
        }
    }

    private Path backup() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path backup = file.resolveSibling(file.getFileName() + ".bak-" + stamp);
        try {
            Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a backup of the progress file " + file, e);
        }
        return backup;
    }

    private static String firstLine(String message) {
        return Optional.ofNullable(message).map(m -> m.lines().findFirst().orElse(m)).orElse("unreadable");
    }
}
