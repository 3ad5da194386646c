package io.packlab.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One-shot HTTP GETs on the engine's Unix socket with the JDK alone, for the read-only calls that
 * checks and start-up make (version, inspect). Setting up docker-java's client and its HTTP stack
 * costs about a third of a second at start-up; a check that only inspects images never needs it.
 * HTTP/1.0 with one request per connection: the engine answers with a plain body and closes.
 */
final class UnixSocketHttp {

    /** A response: status and the whole body (the calls made here answer with small JSON documents). */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_BODY = 64 * 1024 * 1024;

    private final Path socket;

    UnixSocketHttp(Path socket) {
        this.socket = socket;
    }

    /**
     * GET {@code path}, given up after {@code limit} in all (connect, send, answer): the channel is
     * non-blocking and every wait is a select with the time that is left, so a socket that accepts
     * and never answers fails with {@link EngineWaits.NoAnswerException}.
     */
    Response get(String path, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, 0);
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                await(key, SelectionKey.OP_CONNECT, deadline, limit);
                while (!channel.finishConnect()) {
                    await(key, SelectionKey.OP_CONNECT, deadline, limit);
                }
            }
            String request = "GET " + path + " HTTP/1.0\r\nHost: docker\r\nUser-Agent: packlab\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    await(key, SelectionKey.OP_WRITE, deadline, limit);
                }
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream(8192);
            ByteBuffer chunk = ByteBuffer.allocate(16384);
            int n;
            while ((n = channel.read(chunk)) >= 0) {
                if (n == 0) {
                    await(key, SelectionKey.OP_READ, deadline, limit);
                    continue;
                }
                all.write(chunk.array(), 0, n);
                chunk.clear();
                if (all.size() > MAX_BODY) {
                    throw new IOException("the engine's answer is larger than " + MAX_BODY / (1024 * 1024) + " MiB");
                }
            }
            return parse(all.toByteArray(), path);
        }
    }

    private static void await(SelectionKey key, int op, long deadline, Duration limit) throws IOException {
        key.interestOps(op);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new EngineWaits.NoAnswerException("nothing came back within " + EngineWaits.say(limit));
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("interrupted while waiting for the engine");
            }
            key.selector().selectedKeys().clear();
            if (key.selector().select(left) > 0) {
                return;
            }
        }
    }

    /** Status line, headers, blank line, body; chunked bodies are decoded in case an engine sends them. */
    static Response parse(byte[] all, String path) throws IOException {
        int headerEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headerEnd < 0) {
            throw new IOException("the engine's answer to " + path + " ended before its headers did");
        }
        String head = new String(all, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) {
            throw new IOException("the engine's answer to " + path + " is not HTTP: " + lines[0]);
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new IOException("the engine's answer to " + path + " has no status: " + lines[0]);
        }
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].toLowerCase(java.util.Locale.ROOT);
            if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(all, headerEnd + 4, all.length);
        return new Response(code, chunked ? dechunk(body, path) : body);
    }

    private static byte[] dechunk(byte[] body, String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int i = 0;
        while (true) {
            int eol = indexOf(body, i, "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (eol < 0) {
                throw new IOException("the engine's chunked answer to " + path + " is cut short");
            }
            String size = new String(body, i, eol - i, StandardCharsets.US_ASCII).split(";")[0].strip();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                return out.toByteArray();
            }
            if (eol + 2 + n > body.length) {
                throw new IOException("the engine's chunked answer to " + path + " is cut short");
            }
            out.write(body, eol + 2, n);
            i = eol + 2 + n + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        return indexOf(data, 0, pattern);
    }

    private static int indexOf(byte[] data, int from, byte[] pattern) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
