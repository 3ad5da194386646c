package io.packlab.classroom;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Whether this work folder's last contact with a classroom got an answer: {@code .packlab/classroom-reached}
 * holds the join URL that last accepted a push (or answered doctor), and is removed when a push to it fails.
 * Only a classroom remembered so is waited for at quit before it has answered (see
 * {@link ClassroomPusher#close()}): a classroom never reached costs a short command nothing.
 */
public final class ReachMemory {

    public static final String FILE = ".packlab/classroom-reached";

    private final Path file;
    private final String url;

    private ReachMemory(Path file, String url) {
        this.file = file;
        this.url = url;
    }

    public static ReachMemory in(Path workdir, URI join) {
        return new ReachMemory(workdir.resolve(FILE), join.toString());
    }

    /** True when this classroom answered the last time one was tried from this work folder. */
    public boolean remembered() {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip().equals(url);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** This classroom answered; best effort (a folder that cannot be written remembers nothing). */
    public void reached() {
        if (remembered()) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".classroom-reached", ".tmp");
            try {
                Files.writeString(temp, url + "\n", StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | SecurityException e) {
            // nothing remembered: the next short command just does not wait for this classroom
        }
    }

    /** A push to it failed: not waited for again until it answers. */
    public void missed() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | SecurityException e) {
            // best effort
        }
    }
}
