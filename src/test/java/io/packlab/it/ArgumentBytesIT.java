package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arguments as the operating system hands them to the real launcher: bytes that are not UTF-8 (Java
 * cannot send those through ProcessBuilder, so {@code sh} and {@code printf} make them), UTF-8 in a
 * locale that cannot represent it, and a 100 kB argument. Each is exit code 2 with one paragraph;
 * no folder of another name appears. No engine is needed.
 */
class ArgumentBytesIT {

    private static final Map<String, String> NO_ENGINE = Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock");

    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    /** Runs {@code sh -c SCRIPT} with the launcher as $0 and {@code env} added; {@code printf} makes raw bytes. */
    private static Result sh(Map<String, String> env, String script) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script, Launcher.HOME.resolve("packlab").toString())
                .directory(Launcher.HOME.toFile());
        pb.environment().putAll(NO_ENGINE);
        pb.environment().putAll(env);
        pb.environment().put("NO_COLOR", "1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[] err;
        byte[] out;
        try (var e = p.getErrorStream(); var o = p.getInputStream()) {
            java.util.concurrent.CompletableFuture<byte[]> errs = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return e.readAllBytes();
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            });
            out = o.readAllBytes();
            err = errs.join();
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("packlab did not finish: " + script);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void oneParagraph(Result r) {
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }

    @Test
    void aWorkdirWhoseBytesAreNotUtf8IsRefusedAndNoOtherFolderIsMade() throws Exception {
        List<String> before = namesIn(tmp);
        Result r = sh(Map.of("LC_ALL", "C.UTF-8"), "exec \"$0\" --no-color --workdir \"$(printf '" + tmp
                + "/w\\377\\376')\" status");
        assertEquals(2, r.code(), r.out() + r.err());
        oneParagraph(r);
        assertTrue(r.err().startsWith("error: argument 3 (`" + tmp + "/w??`, ? where the bytes could not be read) is not"
                + " valid UTF-8, so packlab cannot know which name you meant"), r.err());
        assertEquals(before, namesIn(tmp), "no folder was made, under any name");
    }

    @Test
    void utf8ThatTheLocaleCannotRepresentIsRefusedWithTheLocaleNamed() throws Exception {
        List<String> before = namesIn(tmp);
        Result r = sh(Map.of("LC_ALL", "C", "LANG", "C"), "exec \"$0\" --no-color --workdir \"$(printf '" + tmp
                + "/caf\\303\\251')\" status");
        assertEquals(2, r.code(), r.out() + r.err());
        oneParagraph(r);
        assertTrue(r.err().contains("cannot be represented in this system's encoding (ANSI_X3.4-1968)"), r.err());
        assertTrue(r.err().contains("run packlab in a UTF-8 locale (for example LANG=C.UTF-8)"), r.err());
        assertEquals(before, namesIn(tmp));

        Result utf8 = sh(Map.of("LC_ALL", "C.UTF-8"), "exec \"$0\" --no-color --workdir \"$(printf '" + tmp
                + "/caf\\303\\251')\" status");
        assertEquals(0, utf8.code(), "the same name in a UTF-8 locale is used as given: " + utf8.err());
        assertTrue(Files.isDirectory(tmp.resolve("café")), namesIn(tmp).toString());
    }

    @Test
    void aHundredKilobyteArgumentIsNotEchoedBack() throws Exception {
        Result r = sh(Map.of(), "exec \"$0\" --no-color show \"$(head -c 100000 /dev/zero | tr '\\0' a)\"");
        assertEquals(2, r.code(), r.err().length() + " characters");
        oneParagraph(r);
        assertTrue(r.err().length() < 400, () -> r.err().length() + " characters: " + r.err().substring(0, 300));
        assertTrue(r.err().contains("`" + "a".repeat(60) + "… (100000 characters)`"), r.err());
    }
}
