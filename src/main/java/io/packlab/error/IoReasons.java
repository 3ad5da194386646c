package io.packlab.error;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Why a file operation failed, in words: the JDK's {@link FileSystemException} messages are often
 * the path alone ({@code /proc/x}), which tells the learner nothing they did not type.
 */
public final class IoReasons {

    private IoReasons() {
    }

    /** The reason of {@code e}, naming the path it concerns when that is not {@code about}. */
    public static String of(IOException e, Path about) {
        String path = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : null;
        String reason = reason(e, path);
        if (path == null || about != null && Path.of(path).equals(about)) {
            return reason;
        }
        return Texts.word(path) + ": " + reason;
    }

    /** The reason of {@code e} alone, without the path. */
    public static String reason(IOException e) {
        return reason(e, e instanceof FileSystemException f ? f.getFile() : null);
    }

    /** The path {@code e} concerns, when it names one. */
    public static java.util.Optional<Path> path(IOException e) {
        return e instanceof FileSystemException f && f.getFile() != null ? java.util.Optional.of(Path.of(f.getFile()))
                : java.util.Optional.empty();
    }

    private static String reason(IOException e, String path) {
        String os = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        String lower = os == null ? "" : os.toLowerCase(Locale.ROOT);
        if (lower.contains("read-only file system")) {
            return "the file system there is read-only";
        }
        if (lower.contains("no space left")) {
            return "the disk is full (no space left on the device)";
        }
        if (e instanceof FileAlreadyExistsException && path != null) {
            Path p = Path.of(path);
            if (Files.isRegularFile(p)) {
                return "it is a file, not a folder";
            }
            if (Files.isSymbolicLink(p) && !Files.exists(p)) {
                return "it is a symbolic link to something that does not exist";
            }
            return "something that is not a folder has that name";
        }
        if (lower.contains("is a directory")) {
            return "it is a folder, not a file";
        }
        if (e instanceof NotDirectoryException || lower.contains("not a directory")) {
            return "a part of the path is a file, not a folder";
        }
        if (e instanceof AccessDeniedException || lower.contains("permission denied")) {
            return "permission denied (this user may not write there)";
        }
        if (e instanceof FileSystemLoopException || lower.contains("too many levels of symbolic links")) {
            return "it is a symbolic link that loops (it points, directly or not, to itself)";
        }
        if (e instanceof NoSuchFileException && path != null) {
            Path p = Path.of(path);
            Path parent = p.toAbsolutePath().getParent();
            if (Files.isSymbolicLink(p)) {
                return "it is a symbolic link to something that does not exist";
            }
            if (parent != null && Files.isDirectory(parent) && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return "it cannot be created there (" + Texts.word(parent.toString()) + " does not let folders be made"
                        + " in it)";
            }
            return "no such file or folder";
        }
        if (os == null || os.isBlank() || os.equals(path)) {
            return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toLowerCase(Locale.ROOT);
        }
        return Texts.shorten(os);
    }
}
