package io.packlab.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A broken Docker engine on a real Unix socket, for tests of how packlab meets one: it accepts
 * connections and answers each request as its {@link Behaviour} says (or never). Never a stand-in
 * for a working engine: what works is tested on the real dockerd.
 */
public final class FakeSocketEngine implements AutoCloseable {

    /** An answer: status, content type and body; {@code endless}: the body starts, then nothing more comes. */
    public record Answer(int status, String type, String body, boolean endless) {
        /** Close the connection without a word. */
        public static final Answer HANG_UP = new Answer(-1, "", "");

        public Answer(int status, String type, String body) {
            this(status, type, body, false);
        }

        /** 200, a first chunk of a stream, then silence with the connection open. */
        public static Answer stalls(String type, String first) {
            return new Answer(200, type, first, true);
        }

        public static Answer json(String body) {
            return new Answer(200, "application/json", body);
        }
    }

    /** What the engine answers to {@code METHOD /path} (without any /v1.xx prefix); null: never answer. */
    @FunctionalInterface
    public interface Behaviour {
        Answer answer(String method, String path);
    }

    public static final String VERSION_141 = "{\"Version\":\"20.10.24\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\","
            + "\"Os\":\"linux\",\"Arch\":\"amd64\"}";

    /** Accepts every connection and never answers. */
    public static Behaviour silent() {
        return (m, p) -> null;
    }

    /** Answers /_ping and /version as a current engine does, everything else with {@code rest}. */
    public static Behaviour versionThen(Behaviour rest) {
        return (m, p) -> p.equals("/_ping") ? new Answer(200, "text/plain", "OK")
                : p.equals("/version") ? Answer.json(VERSION_141) : rest.answer(m, p);
    }

    /** Answers everything with HTTP 500 and the Engine API's error body {"message": message}. */
    public static Behaviour fails(String message) {
        return (m, p) -> new Answer(500, "application/json", "{\"message\":\"" + message + "\"}");
    }

    /** Answers everything with 200 and a body that is not JSON. */
    public static Behaviour garbage() {
        return (m, p) -> new Answer(200, "application/json", "<html><body>garbage \u0007 not json</body></html>");
    }

    /** Docker 1.13 (Engine API 1.26): pings and versions, and refuses the rest as too new for it. */
    public static Behaviour apiVersion126() {
        return (m, p) -> switch (p) {
            case "/_ping" -> new Answer(200, "text/plain", "OK");
            case "/version" -> Answer.json("{\"Version\":\"1.13.1\",\"ApiVersion\":\"1.26\",\"MinAPIVersion\":\"1.12\"}");
            default -> new Answer(404, "application/json", "{\"message\":\"page not found\"}");
        };
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Behaviour behaviour;
    private final Thread acceptor;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

    private FakeSocketEngine(Path socket, Behaviour behaviour) throws IOException {
        this.socket = socket;
        this.behaviour = behaviour;
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.acceptor = new Thread(this::accept, "fake-engine");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static FakeSocketEngine start(Path socket, Behaviour behaviour) throws IOException {
        return new FakeSocketEngine(socket, behaviour);
    }

    /** DOCKER_HOST for this engine. */
    public String host() {
        return "unix://" + socket;
    }

    public Map<String, String> env() {
        return Map.of("DOCKER_HOST", host());
    }

    /** The requests so far, as {@code METHOD /path}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                open.add(c);
                Thread t = new Thread(() -> serve(c), "fake-engine-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                one.clear();
                if (c.read(one) < 0) {
                    return;
                }
                head.write(one.array()[0]);
            }
            String line = head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            String[] parts = line.split(" ");
            String method = parts[0];
            String path = parts.length > 1 ? parts[1] : "/";
            path = path.replaceFirst("^/v\\d+\\.\\d+/", "/");
            int q = path.indexOf('?');
            String bare = q < 0 ? path : path.substring(0, q);
            requests.add(method + " " + bare);
            Answer a = behaviour.answer(method, bare);
            if (a == null) {
                return; // the connection stays open, and nothing comes back
            }
            if (a.status() < 0) {
                c.close();
                return;
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            if (a.endless()) {
                String chunk = Integer.toHexString(body.length) + "\r\n" + a.body() + "\r\n";
                String response = "HTTP/1.1 200 OK\r\nContent-Type: " + a.type() + "\r\nTransfer-Encoding: chunked\r\n"
                        + "Api-Version: 1.41\r\n\r\n" + (body.length == 0 ? "" : chunk);
                ByteBuffer out = ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8));
                while (out.hasRemaining()) {
                    c.write(out);
                }
                return; // the connection stays open, and nothing more comes
            }
            String response = "HTTP/1.1 " + a.status() + " X\r\nContent-Type: " + a.type() + "\r\nContent-Length: "
                    + body.length + "\r\nApi-Version: 1.41\r\nConnection: close\r\n\r\n";
            ByteBuffer out = ByteBuffer.allocate(response.length() + body.length);
            out.put(response.getBytes(StandardCharsets.ISO_8859_1)).put(body).flip();
            while (out.hasRemaining()) {
                c.write(out);
            }
            c.shutdownOutput();
            // let the client close first: it may still be sending a body
            c.read(ByteBuffer.allocate(65536));
            c.close();
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : open) {
            c.close();
        }
        Files.deleteIfExists(socket);
    }
}
