package io.packlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Parsing the engine's HTTP answers (the real socket path is used by every integration test). */
class UnixSocketHttpTest {

    private static UnixSocketHttp.Response parse(String raw) throws IOException {
        return UnixSocketHttp.parse(raw.getBytes(StandardCharsets.UTF_8), "/x");
    }

    @Test
    void aPlainAnswerKeepsItsStatusAndBody() throws IOException {
        UnixSocketHttp.Response r = parse("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"Id\":\"sha\"}\n");
        assertEquals(200, r.status());
        assertEquals("{\"Id\":\"sha\"}\n", r.text());
    }

    @Test
    void aChunkedAnswerIsDecoded() throws IOException {
        UnixSocketHttp.Response r = parse("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n{\"mes\r\nb;x=1\r\nsage\":\"no\"}\r\n0\r\n\r\n");
        assertEquals(404, r.status());
        assertEquals("{\"message\":\"no\"}", r.text());
    }

    @Test
    void brokenAnswersAreTransportFailuresNamingThePath() {
        IOException cut = assertThrows(IOException.class, () -> parse("HTTP/1.0 200 OK\r\nContent-Type: x"));
        assertTrue(cut.getMessage().contains("/x"), cut.getMessage());
        assertThrows(IOException.class, () -> parse("SSH-2.0-OpenSSH\r\n\r\n"));
        assertThrows(IOException.class, () -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"));
    }
}
