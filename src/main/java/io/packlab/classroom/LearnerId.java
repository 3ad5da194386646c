package io.packlab.classroom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The learner's opaque id for the classroom: 128 random bits (22 characters of [A-Za-z0-9_-]), kept in
 * the work folder's {@code .packlab/classroom-learner}, so that a restarted packlab is the same learner.
 */
public final class LearnerId {

    /** The file under the work folder that keeps the id. */
    public static final String FILE = ".packlab/classroom-learner";

    private static final String FORM = "[A-Za-z0-9_-]{16,64}";

    private LearnerId() {
    }

    /**
     * The id kept in {@code workdir}, made and kept on first use. When the folder cannot be written the id
     * lives as long as this process (the classroom then sees a new learner after a restart; nothing fails).
     */
    public static String of(Path workdir) {
        Path file = workdir.resolve(FILE);
        java.util.Optional<String> kept = read(file);
        if (kept.isPresent()) {
            return kept.get();
        }
        byte[] bits = new byte[16];
        new SecureRandom().nextBytes(bits);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".classroom-learner", ".tmp");
            try {
                Files.writeString(temp, id + "\n", StandardCharsets.UTF_8);
                if (Files.exists(file)) {
                    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // not an id: replaced
                } else {
                    Files.move(temp, file); // never over another packlab's: the first one kept wins
                }
            } catch (FileAlreadyExistsException e) {
                return read(file).orElse(id);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | SecurityException e) {
            // a read-only work folder: this process's id only
        }
        return id;
    }

    private static java.util.Optional<String> read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.matches(FORM) ? java.util.Optional.of(text) : java.util.Optional.empty();
        } catch (IOException | SecurityException e) {
            return java.util.Optional.empty();
        }
    }
}
