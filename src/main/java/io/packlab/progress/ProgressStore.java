package io.packlab.progress;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.packlab.error.IoReasons;
import io.packlab.error.PacklabException;
import io.packlab.error.Texts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
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
    /** Set when an unreadable file could not be backed up: why {@link #save} must not write over it. */
    private String unsaved;

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
        JsonNode tree;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
            tree = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            return afresh(where(e.getLocation()) + plainSyntax(e));
        } catch (IOException e) {
            return afresh(file + ": " + IoReasons.reason(e));
        }
        int version = tree == null ? -1 : tree.path("version").asInt(-1);
        if (version > Progress.VERSION) {
            Optional<Path> backup = backup();
            if (backup.isEmpty()) {
                warnings.accept("The progress file " + file + " was written by a newer packlab (format " + version
                        + "). " + unsaved + " Progress starts afresh for this run only.");
                return Progress.start();
            }
            warnings.accept("The progress file " + file + " was written by a newer packlab (format " + version
                    + "); it is kept as " + backup.get() + " and progress starts afresh here. Use the newer packlab"
                    + " to keep it.");
            return Progress.start();
        }
        if (tree == null || tree.isMissingNode()) {
            return afresh(file + ":1:1: the file is empty (perhaps cut short by a crash or a full disk)");
        }
        if (!tree.isObject()) {
            return afresh(file + ":1:1: it is not a JSON object (`{ ... }`), as packlab writes it");
        }
        if (version < 1) {
            return afresh(file + ":1:1: it has no format version (`\"version\": 1`)");
        }
        try {
            return JSON.readerFor(Progress.class).readValue(bytes);
        } catch (JsonProcessingException e) {
            return afresh(where(e.getLocation()) + plainContent(e, tree));
        } catch (IOException | IllegalArgumentException e) {
            return afresh(file + ": " + Texts.shorten(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Keeps the unreadable file as a backup and starts afresh, saying where, what was wrong and where
     * the backup is. When no backup can be made, the file is left alone and never written over.
     */
    private Progress afresh(String problem) {
        Optional<Path> backup = backup();
        if (backup.isPresent()) {
            warnings.accept("The progress file could not be read: " + problem + ". It is kept as " + backup.get()
                    + ", and progress starts afresh (a lesson counts as done again once its checks pass). Your images"
                    + " are untouched: `check` finds what earlier lessons made.");
        } else {
            warnings.accept("The progress file could not be read: " + problem + ". " + unsaved
                    + " Progress starts afresh for this run only.");
        }
        return Progress.start();
    }

    /** {@code file:line:column: } of a Jackson location, or the file alone when it has none. */
    private String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return file + ": ";
        }
        return file + ":" + at.getLineNr() + ":" + Math.max(1, at.getColumnNr()) + ": ";
    }

    /** A JSON syntax error in words, without Jackson's internals. */
    private static String plainSyntax(JsonProcessingException e) {
        if (e instanceof JsonEOFException) {
            return "the file ends in the middle of the JSON (it was cut short, perhaps by a crash or a full disk)";
        }
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("Invalid UTF-8") || m.contains("Invalid UTF-32") || m.contains("Illegal character")) {
            return "it is not UTF-8 text (it holds bytes that are not characters)";
        }
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("^Unrecognized token '(.*)': was expecting")
                .matcher(m);
        if (token.find()) {
            return "`" + Texts.word(token.group(1)) + "` is not a JSON value (a text needs double quotes)";
        }
        return "this is not valid JSON: " + Texts.shorten(clean(m));
    }

    /** A value of the wrong kind, in words: which field, what it should be, what it is. */
    private static String plainContent(JsonProcessingException e, JsonNode tree) {
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            JsonNode node = tree;
            for (JsonMappingException.Reference r : mismatch.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                    node = node == null ? null : node.get(r.getFieldName());
                } else {
                    path.append('[').append(r.getIndex()).append(']');
                    node = node == null ? null : node.get(r.getIndex());
                }
            }
            return "`" + Texts.word(path.toString()) + "` should be " + kind(mismatch.getTargetType()) + ", but it is "
                    + kind(node);
        }
        return "a value is not what packlab writes there: " + Texts.shorten(clean(String.valueOf(e.getOriginalMessage())));
    }

    private static String kind(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object (`{ ... }`)";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list (`[ ... ]`)";
        }
        if (type == String.class) {
            return "a text in double quotes";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return "another kind of value";
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            case STRING -> "a text";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "something else";
        };
    }

    /** Jackson's message without the source location and character codes it adds. */
    private static String clean(String message) {
        String m = message.lines().findFirst().orElse(message);
        m = m.replaceAll("\\s*\\((?:start marker at )?\\[Source:[^\\]]*\\][^)]*\\)", "");
        m = m.replaceAll("\\s*at \\[Source:[^\\]]*\\]", "");
        m = m.replaceAll(" \\(code \\d+\\)", "");
        return m.strip();
    }

    public void save(Progress progress) {
        if (unsaved != null) {
            throw PacklabException.usage(unsaved + " Move it away (or fix it), then try again.");
        }
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
            throw PacklabException.usage("cannot write the progress file " + file + ": " + IoReasons.of(e, file)
                    + ". The progress recorded before is unchanged. Use --workdir with a folder you can write, or free"
                    + " or fix this one.");
        }
    }

    /**
     * A copy of the file beside it, {@code progress.json.bak-<time>}; when a backup with the same bytes
     * is already there (the same unreadable file seen again), that one. Never overwrites a backup. Empty
     * when no copy can be made; then {@link #save} refuses to write over the file.
     */
    private Optional<Path> backup() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String prefix = file.getFileName() + ".bak-";
            try (var siblings = Files.list(file.getParent())) {
                for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList()) {
                    if (Files.isRegularFile(p) && Files.size(p) == bytes.length
                            && java.util.Arrays.equals(Files.readAllBytes(p), bytes)) {
                        return Optional.of(p);
                    }
                }
            }
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            for (int n = 1;; n++) {
                Path backup = file.resolveSibling(prefix + stamp + (n == 1 ? "" : "-" + n));
                try {
                    Files.write(backup, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    return Optional.of(backup);
                } catch (FileAlreadyExistsException e) {
                    // another backup of the same second: take the next name
                }
            }
        } catch (IOException e) {
            unsaved = "The unreadable progress file " + file + " cannot be backed up (" + IoReasons.reason(e)
                    + "), so packlab leaves it as it is and does not write over it.";
            return Optional.empty();
        }
    }
}
