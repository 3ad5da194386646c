package io.packlab.cnb.descriptor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What a local buildpack {@code uri} points to, checked right after parsing: a folder with
 * buildpack.toml, or a file that is a tar (plain or gzip-compressed) or a {@code .cnb}.
 */
final class UriTargets {

    private UriTargets() {
    }

    /** What is wrong with {@code target} as a buildpack (words after "which points to TARGET, "), or empty. */
    static Optional<String> problem(Path target) {
        if (Files.isDirectory(target)) {
            return Files.exists(target.resolve("buildpack.toml")) ? Optional.empty()
                    : Optional.of("a folder without buildpack.toml");
        }
        if (!Files.isRegularFile(target)) {
            return Optional.of("neither a folder nor a file");
        }
        String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".cnb")) {
            return Optional.empty();
        }
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(target)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return Optional.of("a file that cannot be read (" + e.getMessage() + ")");
        }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return Optional.empty(); // gzip: the tar inside is read when the buildpack is used
        }
        if (n == 512 && isTarHeader(head)) {
            return Optional.empty();
        }
        return Optional.of("a file that is not a tar archive (" + describe(head, n) + ")");
    }

    /** A tar header: its checksum (bytes 148-155, octal) is the sum of the header with that field as blanks. */
    private static boolean isTarHeader(byte[] h) {
        String field = new String(h, 148, 8, StandardCharsets.US_ASCII).replace('\0', ' ').strip();
        if (!field.matches("[0-7]{1,8}")) {
            return false;
        }
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        }
        return sum == Long.parseLong(field, 8);
    }

    private static String describe(byte[] head, int n) {
        if (n == 0) {
            return "it is empty";
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return "it is a zip archive";
        }
        String text = new String(head, 0, n, StandardCharsets.UTF_8);
        long control = text.chars().filter(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0xFFFD).count();
        if (control == 0) {
            String first = text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
            return "it is text" + (first.isEmpty() ? "" : ", starting `" + (first.length() > 40 ? first.substring(0, 40)
                    + "…" : first) + "`");
        }
        return "it is neither a tar nor a gzip-compressed tar";
    }
}
