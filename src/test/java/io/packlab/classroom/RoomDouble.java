package io.packlab.classroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of the instructor's classroom server (JDK HttpServer on loopback): records every push
 * it is given, answers with a chosen status, and can be made to hold its answers, or stopped and
 * started again on the same port. Only for testing packlab's client side.
 */
public final class RoomDouble implements AutoCloseable {

    public static final String CODE = "abcdefghijklmnopqrstuvwxyz";

    public final BlockingQueue<JsonNode> pushes = new LinkedBlockingQueue<>();
    public final AtomicInteger answer = new AtomicInteger(204);
    /** While set, every request waits for it before it is answered (never, when never counted down). */
    public volatile CountDownLatch hold;
    private final int port;
    private HttpServer server;

    public RoomDouble() throws IOException {
        this(0);
    }

    RoomDouble(int port) throws IOException {
        server = start(port);
        this.port = server.getAddress().getPort();
    }

    private HttpServer start(int on) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 50);
        s.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "room-double");
            t.setDaemon(true);
            return t;
        }));
        s.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int code = answer.get(); // chosen on arrival, recorded on arrival, answered after any hold
                if (exchange.getRequestMethod().equals("GET")) {
                    await();
                    boolean right = exchange.getRequestURI().getPath().equals("/join/" + CODE);
                    byte[] doc = "{\"protocol\":1,\"classroom\":\"packlab\"}".getBytes();
                    int status = !right ? 403 : code == 204 ? 200 : code;
                    exchange.sendResponseHeaders(status, status == 200 ? doc.length : -1);
                    if (status == 200) {
                        exchange.getResponseBody().write(doc);
                    }
                    return;
                }
                JsonNode push = new ObjectMapper().readTree(body);
                ((com.fasterxml.jackson.databind.node.ObjectNode) push).put("_contentType",
                        exchange.getRequestHeaders().getFirst("Content-Type"));
                ((com.fasterxml.jackson.databind.node.ObjectNode) push).put("_path", exchange.getRequestURI().getPath());
                pushes.add(push);
                await();
                exchange.sendResponseHeaders(code, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.start();
        return s;
    }

    private void await() throws InterruptedException {
        CountDownLatch h = hold;
        if (h != null) {
            h.await();
        }
    }

    public URI join() {
        return URI.create("http://127.0.0.1:" + port + "/join/" + CODE);
    }

    Classroom classroom(String name) {
        return new Classroom(join(), name);
    }

    /** The next push, or null after {@code millis}. */
    public JsonNode next(long millis) throws InterruptedException {
        return pushes.poll(millis, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        server.stop(0);
    }

    public void restart() throws IOException {
        server = start(port);
    }

    @Override
    public void close() {
        CountDownLatch h = hold;
        if (h != null) {
            h.countDown();
        }
        server.stop(0);
    }
}
