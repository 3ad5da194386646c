package io.packlab.term;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes a session as an asciicast v2 file (https://docs.asciinema.org/manual/asciicast/v2/): a
 * header line, then one {@code [seconds, "o"|"i", text]} line per output or input event, flushed as
 * it happens, so a crash keeps what was recorded. Replay with {@code asciinema play FILE}.
 */
public final class AsciicastRecorder implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Writer out;
    private final long start = System.nanoTime();

    private AsciicastRecorder(Writer out) {
        this.out = out;
    }

    /** Starts a recording in {@code file} (replaced if it exists) for a terminal of the given size. */
    public static AsciicastRecorder start(Path file, int width, int height, Map<String, String> env) {
        try {
            Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            AsciicastRecorder r = new AsciicastRecorder(w);
            ObjectNode header = JSON.createObjectNode();
            header.put("version", 2);
            header.put("width", width);
            header.put("height", height);
            header.put("timestamp", System.currentTimeMillis() / 1000);
            header.put("title", "packlab");
            ObjectNode e = header.putObject("env");
            e.put("TERM", env.getOrDefault("TERM", "xterm-256color"));
            e.put("SHELL", env.getOrDefault("SHELL", "/bin/bash"));
            r.line(JSON.writeValueAsString(header));
            return r;
        } catch (IOException e) {
            throw io.packlab.error.PacklabException.usage("cannot record the session to " + file + ": "
                    + io.packlab.error.IoReasons.of(e, file) + ". Give --record a file in a folder you can write.");
        }
    }

    /** Text the session printed. */
    public synchronized void output(String text) {
        event("o", text);
    }

    /** A line the learner typed. */
    public synchronized void input(String text) {
        event("i", text);
    }

    private void event(String kind, String text) {
        if (text.isEmpty()) {
            return;
        }
        ArrayNode e = JSON.createArrayNode();
        e.add(Math.round((System.nanoTime() - start) / 1_000_000.0) / 1000.0);
        e.add(kind);
        // terminals want CRLF; the recording is replayed on one
        e.add(text.replace("\r\n", "\n").replace("\n", "\r\n"));
        try {
            line(JSON.writeValueAsString(e));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void line(String json) throws IOException {
        out.write(json);
        out.write('\n');
        out.flush();
    }

    /** A writer that passes everything on and records it as output. */
    public Writer tee(Writer target) {
        return new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                target.write(cbuf, off, len);
                output(new String(cbuf, off, len));
            }

            @Override
            public void flush() throws IOException {
                target.flush();
            }

            @Override
            public void close() throws IOException {
                target.flush();
            }
        };
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
