package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code classroom serve} as an instructor runs it: its own JVM (the JDK server's limits are set once
 * per JVM, before its first server), its lines, its limits on slow clients, a clean stop on SIGTERM.
 */
class ClassroomServeTest {

    private static final Pattern JOIN = Pattern.compile(
            "learners join with: --classroom http://127\\.0\\.0\\.1:(\\d+)/join/([a-z2-7]{26})");

    @TempDir
    Path work;

    /** A running {@code packlab classroom serve} and the lines it printed up to "Stop with Ctrl-C.". */
    record Served(Process process, BufferedReader out, List<String> lines, int port, String code) {
    }

    private Served serve(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.packlab.cli.Main", "--workdir", work.toString(),
                "classroom", "serve", "--port", "0"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.equals("Stop with Ctrl-C.")) {
                break;
            }
        }
        Matcher m = JOIN.matcher(lines.isEmpty() ? "" : lines.get(0));
        assertTrue(m.matches(), String.join("\n", lines));
        return new Served(p, out, lines, Integer.parseInt(m.group(1)), m.group(2));
    }

    /** SIGTERM, as `kill` sends it (Process.destroy would close the output the test still reads). */
    private static void terminate(Process p) throws Exception {
        new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).inheritIO().start().waitFor();
    }

    @Test
    void printsTheJoinLineAndThePageAndStopsCleanlyOnSigterm() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Served s = serve();
            assertTrue(s.lines().get(1).matches("the room's page \\(for you, the instructor\\): http://127\\.0\\.0\\.1:"
                    + s.port() + "/room/[a-z2-7]{26}/"), s.lines().get(1));
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/join/"
                    + s.code())).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            terminate(s.process());
            assertTrue(s.process().waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, s.process().exitValue());
            assertEquals("classroom closed (0 learners had joined).", s.out().readLine());
        });
    }

    @Test
    void aRestartWithTheSameCodesKeepsTheUrls() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Served first = serve();
            String page = first.lines().get(1);
            String room = page.substring(page.indexOf("/room/") + 6, page.length() - 1);
            first.process().destroy();
            first.process().waitFor(20, TimeUnit.SECONDS);
            Served again = serve("--code", first.code(), "--room-code", room);
            assertEquals(first.code(), again.code());
            assertTrue(again.lines().get(1).endsWith("/room/" + room + "/"));
            again.process().destroy();
            assertTrue(again.process().waitFor(20, TimeUnit.SECONDS));
        });
    }

    @Test
    void aSlowOrSilentClientIsCutOffAndDoesNotHoldTheServer() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Served s = serve();
            try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), s.port());
                    Socket slow = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
                long start = System.nanoTime();
                slow.getOutputStream().write(("POST /join/" + s.code() + " HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                // meanwhile the server answers others
                HttpResponse<String> ok = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + s.port() + "/join/" + s.code())).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ok.statusCode());
                for (Socket socket : List.of(silent, slow)) {
                    socket.setSoTimeout(30_000);
                    InputStream in = socket.getInputStream();
                    assertEquals(-1, in.read(), "the server closes the connection");
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                assertTrue(seconds >= 8 && seconds <= 20, "cut after " + seconds + " s");
            } finally {
                s.process().destroy();
                s.process().waitFor(20, TimeUnit.SECONDS);
            }
        });
    }

    @Test
    void malformedCodesAndPortsAreBadInput() {
        InProcessCli.Run r = InProcessCli.run(work, "classroom", "serve", "--code", "ABC", "--room-code",
                "abcdefghijklmnopqrstuvwxyz");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--code takes a code as `classroom serve` printed it"), r.err());
        r = InProcessCli.run(work, "classroom", "serve", "--code", "abcdefghijklmnopqrstuvwxyz");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("give --code and --room-code together"), r.err());
        r = InProcessCli.run(work, "classroom", "serve", "--port", "70000");
        assertEquals(2, r.code());
        r = InProcessCli.run(work, "classroom", "serve", "--bind", "no.such.host.invalid");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not an address or a name this machine knows"), r.err());
    }

    @Test
    void aTakenPortIsBadInputSayingSo() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InProcessCli.Run r = InProcessCli.run(work, "classroom", "serve", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(2, r.code());
            assertTrue(r.err().contains("the port is taken"), r.err());
        }
    }
}
