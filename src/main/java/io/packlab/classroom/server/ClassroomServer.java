package io.packlab.classroom.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The classroom's HTTP server, on the JDK's own {@code com.sun.net.httpserver}: learners push to
 * {@code /join/CODE}; the instructor's page, its two assets, {@code room.json} and the event stream
 * live under {@code /room/ROOMCODE/}. Nothing else is served (404): no file, no engine.
 *
 * <p>Limits: bodies of at most 64 KiB (a larger Content-Length is refused unread, and no more than
 * 64 KiB + 1 byte is ever read); per learner and room limits in {@link Room}; a request must arrive
 * whole within {@link #REQUEST_SECONDS} (headers and body, also a connection that sends nothing), at
 * most {@link #MAX_CONNECTIONS} connections, 64 headers of at most 16 KiB together; at most
 * {@link #MAX_STREAMS} event streams, and a stream whose reader stops reading for
 * {@link #STALLED_SECONDS} is closed.
 */
public final class ClassroomServer implements AutoCloseable {

    static final int MAX_BODY = 64 * 1024;
    static final int REQUEST_SECONDS = 10;
    static final int MAX_CONNECTIONS = 1000;
    static final int MAX_STREAMS = 32;
    static final int STALLED_SECONDS = 20;
    static final int KEEPALIVE_SECONDS = 15;
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Room room;
    private final String code;
    private final String roomCode;
    private final HttpServer http;
    private final ExecutorService workers;
    private final ScheduledExecutorService ticker;
    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final Object news = new Object();
    private volatile boolean stopped;

    private ClassroomServer(Room room, String code, String roomCode, HttpServer http) {
        this.room = room;
        this.code = code;
        this.roomCode = roomCode;
        this.http = http;
        this.workers = Executors.newFixedThreadPool(8, threads("classroom-http"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(threads("classroom-tick"));
    }

    /**
     * Starts a server on {@code address} (port 0: any free port).
     *
     * @throws IOException when the address cannot be bound (in use, not of this machine)
     */
    public static ClassroomServer start(Room room, InetSocketAddress address, String code, String roomCode)
            throws IOException {
        applyLimits();
        HttpServer http = HttpServer.create(address, 64);
        ClassroomServer server = new ClassroomServer(room, code, roomCode, http);
        http.createContext("/", server::handle);
        http.setExecutor(server.workers);
        room.onChange(server::wake);
        server.ticker.scheduleAtFixedRate(server::tick, 1, 1, TimeUnit.SECONDS);
        http.start();
        return server;
    }

    /**
     * The JDK server's limits are system properties read once, when its first server is made: set
     * here unless given on the command line (-D). See {@code sun.net.httpserver.ServerConfig}.
     */
    static void applyLimits() {
        setDefault("sun.net.httpserver.maxReqTime", String.valueOf(REQUEST_SECONDS));
        setDefault("sun.net.httpserver.maxReqHeaders", "64");
        setDefault("sun.net.httpserver.maxReqHeaderSize", String.valueOf(16 * 1024));
        setDefault("jdk.httpserver.maxConnections", String.valueOf(MAX_CONNECTIONS));
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    public Room room() {
        return room;
    }

    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        ticker.shutdownNow();
        for (Stream s : streams) {
            s.close();
        }
        wake();
        http.stop(0);
        workers.shutdownNow();
    }

    // --- requests -------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (IOException | RuntimeException e) {
            ex.close(); // a client gone mid-request, or cut by a limit: nothing to answer
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        if (path.startsWith("/join/") && path.indexOf('/', 6) < 0) {
            join(ex, method, path.substring(6));
            return;
        }
        String prefix = "/room/" + roomCode + "/";
        if (path.startsWith("/room/") && path.length() >= prefix.length()
                && Codes.matches(prefix, path.substring(0, prefix.length()))) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                answer(ex, 405, "text/plain", "GET only\n");
                return;
            }
            switch (path.substring(prefix.length())) {
                case "" -> page(ex);
                case "room.json" -> send(ex, 200, "application/json", room.json().getBytes(StandardCharsets.UTF_8));
                case "events" -> events(ex);
                case "app.js" -> send(ex, 200, "text/javascript; charset=utf-8", Page.asset("app.js"));
                case "style.css" -> send(ex, 200, "text/css; charset=utf-8", Page.asset("style.css"));
                default -> answer(ex, 404, "text/plain", "not found\n");
            }
            return;
        }
        answer(ex, 404, "text/plain", "not found\n");
    }

    private void join(HttpExchange ex, String method, String given) throws IOException {
        boolean post = method.equals("POST");
        if (!post && !method.equals("GET")) {
            answer(ex, 405, "text/plain", "GET or POST only\n");
            return;
        }
        if (!Codes.matches(code, given)) {
            if (post) {
                room.refused(Room.Refusal.WRONG_CODE);
            }
            answer(ex, 403, "text/plain", "wrong classroom code\n");
            return;
        }
        if (!post) {
            answer(ex, 200, "application/json", "{\"protocol\":1,\"classroom\":\"packlab\"}");
            return;
        }
        byte[] body = body(ex);
        if (body == null) {
            room.refused(Room.Refusal.TOO_BIG);
            ex.getResponseHeaders().set("Connection", "close");
            answer(ex, 413, "text/plain", "a push is at most " + MAX_BODY + " bytes\n");
            return;
        }
        Push push;
        try {
            push = Push.parse(body);
        } catch (Push.Refused r) {
            room.refused(Room.Refusal.BAD_REQUEST);
            answer(ex, 400, "text/plain", r.getMessage() + "\n");
            return;
        }
        switch (room.push(push)) {
            case ACCEPTED -> send(ex, 204, null, null);
            case TOO_FAST -> answer(ex, 429, "text/plain", "more than " + Room.PUSHES_PER_WINDOW + " pushes in "
                    + Room.WINDOW.toSeconds() + " s\n");
            case FULL -> answer(ex, 429, "text/plain", "the room is full (" + Room.MAX_LEARNERS + " learners)\n");
            default -> throw new IllegalStateException();
        }
    }

    /** The body, or null when it is larger than {@link #MAX_BODY} (then no more than that and one byte was read). */
    private static byte[] body(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            return body.length > MAX_BODY ? null : body;
        }
    }

    private void page(HttpExchange ex) throws IOException {
        String lang = Page.language(ex.getRequestHeaders().getFirst("Accept-Language"), ex.getRequestURI().getRawQuery());
        send(ex, 200, "text/html; charset=utf-8", Page.html(lang));
    }

    private void answer(HttpExchange ex, int status, String type, String text) throws IOException {
        send(ex, status, type.startsWith("text/") ? type + "; charset=utf-8" : type, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        Headers h = ex.getResponseHeaders();
        secure(h);
        if (type != null) {
            h.set("Content-Type", type);
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (body == null || head || status == 204) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    private static void secure(Headers h) {
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        h.set("X-Frame-Options", "DENY");
    }

    // --- the event stream --------------------------------------------------------------------------

    private void events(HttpExchange ex) throws IOException {
        if (streams.size() >= MAX_STREAMS) {
            answer(ex, 503, "text/plain", "too many pages open (" + MAX_STREAMS + ")\n");
            return;
        }
        Headers h = ex.getResponseHeaders();
        secure(h);
        h.set("Content-Type", "text/event-stream; charset=utf-8");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(200, 0);
        Stream s = new Stream(ex);
        streams.add(s);
        Thread t = new Thread(s::run, "classroom-events");
        t.setDaemon(true);
        t.start();
    }

    private void wake() {
        synchronized (news) {
            news.notifyAll();
        }
    }

    private void tick() {
        try {
            room.tick();
            long now = System.nanoTime();
            for (Stream s : streams) {
                long since = s.writingSince;
                if (since != 0 && now - since > TimeUnit.SECONDS.toNanos(STALLED_SECONDS)) {
                    s.close();
                }
            }
        } catch (RuntimeException e) {
            // the next tick tries again
        }
    }

    /** One page's event stream: the room on every change, a comment every 15 s; its own thread. */
    private final class Stream {
        private final HttpExchange ex;
        private final OutputStream out;
        volatile long writingSince;
        private volatile boolean closed;

        Stream(HttpExchange ex) {
            this.ex = ex;
            this.out = ex.getResponseBody();
        }

        void run() {
            long sent = -1;
            long lastWrite = System.nanoTime();
            try {
                write("retry: 2000\n\n");
                while (!closed && !stopped) {
                    long v = room.version();
                    if (v != sent) {
                        String json = room.json();
                        sent = v;
                        write("event: room\ndata: " + json + "\n\n");
                        lastWrite = System.nanoTime();
                    } else if (System.nanoTime() - lastWrite >= TimeUnit.SECONDS.toNanos(KEEPALIVE_SECONDS)) {
                        write(": still here\n\n");
                        lastWrite = System.nanoTime();
                    }
                    synchronized (news) {
                        if (room.version() == sent && !closed && !stopped) {
                            news.wait(1000);
                        }
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // the page went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        private void write(String text) throws IOException {
            writingSince = System.nanoTime();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            writingSince = 0;
        }

        void close() {
            closed = true;
            streams.remove(this);
            ex.close();
        }
    }

    int streamCount() {
        return streams.size();
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
