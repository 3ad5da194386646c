package io.packlab.classroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClassroomServerTest {

    private static final String CODE = "abcdefghijklmnopqrstuvwxyz";
    private static final String ROOM = "234567abcdefghijklmnopqrst";
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ClassroomServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = ClassroomServer.start(new Room(Clock.systemUTC()),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CODE, ROOM);
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String learner(int n) {
        return String.format("learner-%012d", n);
    }

    @Test
    void aPushWithTheRightCodeIsAcceptedAndShownInTheRoom() throws Exception {
        assertEquals(204, post("/join/" + CODE, Pushes.change(learner(1), "Aiko", 1, 2, 0)).statusCode());
        HttpResponse<String> room = get("/room/" + ROOM + "/room.json");
        assertEquals(200, room.statusCode());
        assertTrue(room.body().contains("\"name\":\"Aiko\""), room.body());
        assertEquals("{\"protocol\":1,\"classroom\":\"packlab\"}", get("/join/" + CODE).body());
    }

    @Test
    void aWrongCodeIs403AndCountedForThePage() throws Exception {
        assertEquals(403, post("/join/" + ROOM, Pushes.change(learner(1), "x", 1, 1, 0)).statusCode());
        assertEquals(403, post("/join/" + CODE.substring(1), "{}").statusCode());
        assertEquals(403, get("/join/" + ROOM).statusCode()); // doctor's check: refused, not a push
        assertEquals(2, server.room().refusedCount(Room.Refusal.WRONG_CODE));
        assertTrue(get("/room/" + ROOM + "/room.json").body().contains("\"wrongCode\":2"));
        assertEquals(0, server.room().size());
    }

    @Test
    void aBodyOver64KiBIs413WhetherItsLengthIsGivenOrNot() throws Exception {
        String big = Pushes.change(learner(1), "x".repeat(10), 1, 1, 7, 1, "c".repeat(ClassroomServer.MAX_BODY), null, null);
        assertEquals(413, post("/join/" + CODE, big).statusCode());
        // chunked, no length: the server reads 64 KiB + 1 byte and answers; it does not read the 8 MiB
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /join/" + CODE + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[8192];
            java.util.Arrays.fill(chunk, (byte) 'a');
            String status = null;
            try {
                for (int i = 0; i < 1024; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (java.io.IOException cut) {
                // the server answered and closed after reading its limit
            }
            status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
        }
        assertEquals(2, server.room().refusedCount(Room.Refusal.TOO_BIG));
    }

    @Test
    void notTheProtocolIs400() throws Exception {
        assertEquals(400, post("/join/" + CODE, "not json").statusCode());
        assertEquals(400, post("/join/" + CODE, "{\"protocol\":1}").statusCode());
        assertEquals(2, server.room().refusedCount(Room.Refusal.BAD_REQUEST));
    }

    @Test
    void theEleventhPushWithinTenSecondsIs429() throws Exception {
        for (int i = 0; i < Room.PUSHES_PER_WINDOW; i++) {
            assertEquals(204, post("/join/" + CODE, Pushes.change(learner(1), "x", i, 1, 0)).statusCode());
        }
        assertEquals(429, post("/join/" + CODE, Pushes.change(learner(1), "x", 99, 1, 0)).statusCode());
        assertEquals(204, post("/join/" + CODE, Pushes.change(learner(2), "y", 1, 1, 0)).statusCode());
    }

    @Test
    void nothingButThePageItsAssetsTheJsonTheEventsAndThePushIsServed() throws Exception {
        for (String path : new String[] {"/", "/index.html", "/etc/passwd", "/room/", "/room/" + CODE + "/",
            "/room/" + ROOM, "/room/" + ROOM + "/../../pom.xml", "/room/" + ROOM + "/index.html",
            "/room/" + ROOM + "/Page.class", "/room/" + ROOM + "/io/packlab/classroom/app.js", "/join/" + CODE + "/x",
            "/join/" + CODE + "/../room/" + ROOM + "/room.json"}) {
            int status = get(path).statusCode();
            assertTrue(status == 404 || status == 403, path + " answered " + status);
        }
        for (String path : new String[] {"", "room.json", "app.js", "style.css"}) {
            HttpResponse<String> r = get("/room/" + ROOM + "/" + path);
            assertEquals(200, r.statusCode(), path);
            assertEquals(ClassroomServer.CSP, r.headers().firstValue("Content-Security-Policy").orElse(""));
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        }
    }

    @Test
    void aHostileNameIsOnlyEverDataNeverMarkup() throws Exception {
        String hostile = "<img src=x onerror=alert(1)>";
        assertEquals(204, post("/join/" + CODE, Pushes.change(learner(1), hostile, 1, 1, 7, 3, "<script>alert(2)</script>",
                "<b>hint</b>", null)).statusCode());
        // the JSON carries it as a string; the page itself holds no learner data at all
        assertTrue(get("/room/" + ROOM + "/room.json").body().contains("\"name\":\"<img src=x onerror=alert(1)>\""));
        HttpResponse<String> page = get("/room/" + ROOM + "/");
        assertFalse(page.body().contains("onerror"), page.body());
        assertFalse(page.body().contains("<script>"), "no inline script");
        // the script puts learner text in with textContent only, and the policy forbids inline script anyway
        String script = get("/room/" + ROOM + "/app.js").body();
        for (String sink : new String[] {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("}) {
            assertFalse(script.contains(sink), sink);
        }
        assertTrue(script.contains("textContent"));
        assertFalse(ClassroomServer.CSP.contains("unsafe-inline"));
        assertTrue(ClassroomServer.CSP.contains("script-src 'self'"));
    }

    @Test
    void thePageSpeaksJapaneseWhenTheBrowserPrefersIt() throws Exception {
        assertTrue(get("/room/" + ROOM + "/", "Accept-Language", "ja,en-US;q=0.8").body().contains("<html lang=\"ja\">"));
        assertTrue(get("/room/" + ROOM + "/", "Accept-Language", "en-GB,ja;q=0.5").body().contains("<html lang=\"en\">"));
        assertTrue(get("/room/" + ROOM + "/?lang=ja").body().contains("<html lang=\"ja\">"));
        assertEquals("en", Page.language("fr, de;q=0.9", null));
        assertEquals("ja", Page.language("fr, ja-JP;q=0.9, en;q=0.8", null));
    }

    @Test
    void theEventStreamSendsTheRoomAtOnceAndAgainOnEveryChange() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            HttpResponse<InputStream> events = client.send(HttpRequest.newBuilder(URI.create(base + "/room/" + ROOM
                    + "/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals("text/event-stream; charset=utf-8", events.headers().firstValue("Content-Type").orElse(""));
            try (BufferedReader in = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
                assertTrue(nextRoom(in).contains("\"learners\":[]"));
                post("/join/" + CODE, Pushes.change(learner(1), "Chika", 1, 3, 0));
                assertTrue(nextRoom(in).contains("\"name\":\"Chika\""));
                post("/join/" + CODE, Pushes.change(learner(1), "Chika", 2, 4, 0));
                String next = nextRoom(in);
                assertTrue(next.contains("\"lesson\":4"), next);
            }
        });
    }

    /** The data of the next {@code room} event. */
    static String nextRoom(BufferedReader in) throws java.io.IOException {
        String line;
        boolean room = false;
        while ((line = in.readLine()) != null) {
            if (line.equals("event: room")) {
                room = true;
            } else if (room && line.startsWith("data: ")) {
                return line.substring(6);
            }
        }
        throw new AssertionError("the stream ended");
    }

    @Test
    void codesAre26CharactersOfBase32From128Bits() {
        Pattern form = Pattern.compile("[a-z2-7]{26}");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String c = Codes.random();
            Matcher m = form.matcher(c);
            assertTrue(m.matches(), c);
            assertTrue(seen.add(c));
        }
        assertEquals(2, assertThrowsExit(() -> Codes.given("--code", "ABC")));
        assertEquals(CODE, Codes.given("--code", CODE));
    }

    private static int assertThrowsExit(Runnable r) {
        return org.junit.jupiter.api.Assertions.assertThrows(io.packlab.error.PacklabException.class, r::run).exitCode();
    }
}
