package io.packlab.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A folder made read-only for a test, in a way that also stops root (CI runs tests as root, and
 * {@code chmod} does not stop root): as root, a read-only bind mount of the folder on itself
 * ({@code mount --bind}, then {@code remount,bind,ro}); as another user, the write bits are taken
 * away. Where root may not mount (a container without the capability), the test is skipped on a
 * laptop and fails with {@code CI=true}. {@link #close()} makes the folder writable again.
 */
public final class ReadOnlyFolder implements AutoCloseable {

    private final Path dir;
    private final boolean mounted;

    private ReadOnlyFolder(Path dir, boolean mounted) {
        this.dir = dir;
        this.mounted = mounted;
    }

    public static ReadOnlyFolder of(Path dir) throws IOException, InterruptedException {
        Path abs = dir.toAbsolutePath().normalize();
        boolean root = "root".equals(System.getProperty("user.name"));
        ReadOnlyFolder folder;
        if (root) {
            String why = run("mount", "--bind", abs.toString(), abs.toString());
            if (why == null) {
                why = run("mount", "-o", "remount,bind,ro", abs.toString());
                if (why != null) {
                    run("umount", abs.toString());
                }
            }
            if (why != null) {
                String message = "cannot make a read-only folder as root (mount: " + why + ")";
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail(message);
                }
                Assumptions.abort(message);
            }
            folder = new ReadOnlyFolder(abs, true);
        } else {
            try (var walk = Files.walk(abs)) {
                for (Path p : walk.toList()) {
                    p.toFile().setWritable(false, false);
                }
            }
            folder = new ReadOnlyFolder(abs, false);
        }
        try {
            Files.createTempFile(abs, "probe", ".tmp");
            folder.close();
            Assertions.fail(abs + " is still writable: the test would prove nothing");
        } catch (IOException expected) {
            // read-only, as wanted
        }
        return folder;
    }

    public Path path() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        if (mounted) {
            try {
                String why = run("umount", dir.toString());
                if (why != null) {
                    throw new IOException("cannot unmount the read-only " + dir + ": " + why);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while unmounting " + dir, e);
            }
        } else {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.toList()) {
                    p.toFile().setWritable(true, true);
                }
            }
        }
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "did not finish";
        }
        return p.exitValue() == 0 ? null : out.isEmpty() ? "exit code " + p.exitValue() : out;
    }
}
