package io.packlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import io.packlab.support.TestCertificates;
import io.packlab.support.TestCertificates.Issued;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS as the docker CLI reads it from the environment, the files it takes and refuses, and the
 * handshakes that fail against a TLS listener of the test's own (an engine with the wrong
 * certificate never gets as far as the Engine API; RemoteEngineIT runs a real dockerd with TLS).
 */
class EngineTlsTest {

    private static Issued ca;
    private static Issued client;

    @TempDir
    Path dir;

    private final List<AutoCloseable> servers = new java.util.ArrayList<>();

    @BeforeAll
    static void authority() throws Exception {
        ca = TestCertificates.authority("packlab test CA", "EC");
        client = TestCertificates.issue(ca, "learner", false, List.of(), "EC");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    private Path certs(String name, Issued clientCert, boolean pkcs8) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve("ca.pem"), Files.readString(write(ca, folder, "ca")));
        if (clientCert != null) {
            clientCert.write(folder.resolve("cert.pem"), folder.resolve("key.pem"), pkcs8);
        }
        return folder;
    }

    private static Path write(Issued issued, Path folder, String name) throws IOException {
        Path cert = folder.resolve(name + "-cert.pem");
        issued.write(cert, folder.resolve(name + "-key.pem"), true);
        return cert;
    }

    private static Map<String, String> env(Path certs, String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_TLS_VERIFY", "1");
        env.put("DOCKER_CERT_PATH", certs.toString());
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static PacklabException refused(Map<String, String> env, int code, String... contains) {
        PacklabException e = assertThrows(PacklabException.class, () -> {
            try (DockerEngine engine = DockerEngine.fromEnvironment(env)) {
                engine.info();
            }
        });
        assertEquals(code, e.exitCode(), e.getMessage());
        for (String c : contains) {
            assertTrue(e.getMessage().contains(c), "`" + c + "` in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        return e;
    }

    @Test
    void theEnvironmentIsReadAsTheDockerCliReadsIt() {
        assertEquals(EngineTls.Mode.OFF, EngineTls.fromEnvironment(Map.of()).mode());
        // the docker CLI takes any value of DOCKER_TLS_VERIFY, "0" too, as "verify"
        assertEquals(EngineTls.Mode.VERIFY, EngineTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "0")).mode());
        assertEquals(EngineTls.Mode.VERIFY, EngineTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "1",
                "DOCKER_TLS", "1")).mode());
        assertEquals(EngineTls.Mode.NO_VERIFY, EngineTls.fromEnvironment(Map.of("DOCKER_TLS", "1")).mode());
        assertEquals(EngineTls.Mode.OFF, EngineTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "")).mode());
        assertEquals("tcp://engine.example:2376", DockerHost.parse("tcp://engine.example",
                EngineTls.fromEnvironment(Map.of("DOCKER_TLS", "1")).enabled()));
    }

    @Test
    void theFilesComeFromDockerCertPathElseTheDockerCliFolder() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        PacklabException e = assertThrows(PacklabException.class,
                () -> EngineTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "1", "HOME", home.toString())).context());
        assertTrue(e.getMessage().contains("there is no " + home.resolve(".docker/ca.pem")), e.getMessage());
        e = assertThrows(PacklabException.class, () -> EngineTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "1",
                "HOME", home.toString(), "DOCKER_CONFIG", dir.resolve("cfg").toString())).context());
        assertTrue(e.getMessage().contains("there is no " + dir.resolve("cfg/ca.pem")), e.getMessage());
        assertTrue(e.getMessage().contains("DOCKER_CONFIG="), e.getMessage());
    }

    @Test
    void keysInEachPemFormTheDockerToolsWriteAreTaken() throws Exception {
        for (String type : List.of("RSA", "EC")) {
            for (boolean pkcs8 : List.of(true, false)) {
                Issued c = TestCertificates.issue(ca, "learner", false, List.of(), type);
                Path folder = certs(type + pkcs8, c, pkcs8);
                String key = Files.readString(folder.resolve("key.pem"));
                assertTrue(key.contains(pkcs8 ? "BEGIN PRIVATE KEY" : "BEGIN " + type + " PRIVATE KEY"), key);
                EngineTls tls = EngineTls.fromEnvironment(env(folder));
                assertNotNull(tls.context());
                assertTrue(tls.describe().contains("client certificate " + folder.resolve("cert.pem") + " (CN=learner"),
                        tls.describe());
            }
        }
    }

    @Test
    void noClientCertificateIsTakenAsTheDockerCliTakesIt() throws Exception {
        EngineTls tls = EngineTls.fromEnvironment(env(certs("none", null, true)));
        assertNotNull(tls.context());
        assertTrue(tls.describe().contains("no client certificate"), tls.describe());
    }

    @Test
    void eachFileThatCannotBeUsedIsOneParagraphNamingIt() throws Exception {
        Path garbled = certs("garbled", client, true);
        Files.writeString(garbled.resolve("ca.pem"), "not a certificate\n");
        assertBad(garbled, garbled.resolve("ca.pem") + " should hold the certificate authority");

        Path noKey = certs("nokey", client, true);
        Files.delete(noKey.resolve("key.pem"));
        assertBad(noKey, noKey.resolve("key.pem") + " is missing, while " + noKey.resolve("cert.pem") + " is there");

        Path badKey = certs("badkey", client, true);
        Files.writeString(badKey.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertBad(badKey, badKey.resolve("key.pem") + " should hold the private key");

        Path otherKey = certs("otherkey", client, true);
        TestCertificates.issue(ca, "someone", false, List.of(), "EC").write(dir.resolve("x.pem"),
                otherKey.resolve("key.pem"), true);
        assertBad(otherKey, "the private key " + otherKey.resolve("key.pem") + " does not belong to the client"
                + " certificate " + otherKey.resolve("cert.pem") + " (CN=learner)");

        Path encrypted = certs("encrypted", client, true);
        Files.writeString(encrypted.resolve("key.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertBad(encrypted, "is protected by a passphrase");

        Instant now = Instant.now();
        Path expired = certs("expired", TestCertificates.issue(ca, "learner", false, List.of(),
                now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)), "EC"), true);
        assertBad(expired, "your client certificate " + expired.resolve("cert.pem") + " (CN=learner) expired on",
                "Ask whoever runs the engine for a new one");
    }

    private static void assertBad(Path folder, String... contains) {
        PacklabException e = assertThrows(PacklabException.class, () -> EngineTls.fromEnvironment(env(folder)).context());
        assertEquals(PacklabException.USAGE, e.exitCode(), e.getMessage());
        for (String c : contains) {
            assertTrue(e.getMessage().contains(c), "`" + c + "` in: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("(The files come from DOCKER_CERT_PATH=" + folder + "; TLS is on because"
                + " DOCKER_TLS_VERIFY is set.)"), e.getMessage());
    }

    @Test
    void badFilesAreBadInputBeforeAnyConnection() throws Exception {
        refused(env(dir.resolve("nowhere"), "DOCKER_HOST", "tcp://localhost:9"), PacklabException.USAGE,
                "there is no " + dir.resolve("nowhere/ca.pem"));
    }

    // ---- handshakes with a TLS listener of the test's own ---------------------------------------------

    /** A TLS listener with {@code server}'s certificate that asks for a client certificate; returns its port. */
    private int tlsListener(Issued server) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", server.keys().getPrivate(), new char[0],
                new X509Certificate[] {server.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        socket.setWantClientAuth(true);
        return serve(socket, s -> {
            try (s) {
                ((javax.net.ssl.SSLSocket) s).startHandshake();
            } catch (IOException e) {
                // the client refused the handshake: that is what the tests look at
            }
        });
    }

    /** A plain listener that answers every connection with {@code answer} and closes it. */
    private int plainListener(String answer) throws Exception {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return serve(socket, s -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                in.read(new byte[4096]);
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the client went away
            }
        });
    }

    private int serve(ServerSocket socket, Consumer<Socket> each) {
        servers.add(socket);
        Thread t = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    each.accept(socket.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return socket.getLocalPort();
    }

    @Test
    void anEngineCertificateFromAnotherAuthorityIsRefusedNamingBoth() throws Exception {
        Issued otherCa = TestCertificates.authority("someone else's CA", "EC");
        int port = tlsListener(TestCertificates.issue(otherCa, "engine", true, List.of("localhost", "127.0.0.1"), "EC"));
        Path folder = certs("wrongca", client, true);
        refused(env(folder, "DOCKER_HOST", "tcp://localhost:" + port), PacklabException.USAGE,
                "The Docker engine at tcp://localhost:" + port + " presents its certificate (CN=engine, issued by"
                        + " CN=someone else's CA), which is not signed by the certificate authority in "
                        + folder.resolve("ca.pem") + " (CN=packlab test CA)");
    }

    @Test
    void anEngineCertificateForAnotherNameIsRefusedWithTheNamesItHas() throws Exception {
        int port = tlsListener(TestCertificates.issue(ca, "engine", true, List.of("build-box.example"), "EC"));
        refused(env(certs("name", client, true), "DOCKER_HOST", "tcp://localhost:" + port), PacklabException.USAGE,
                "which is not made out for the name `localhost` in DOCKER_HOST (it is made out for build-box.example)",
                "Set DOCKER_HOST to the name the certificate gives");
    }

    @Test
    void anExpiredEngineCertificateIsTheEnginesFault() throws Exception {
        Instant now = Instant.now();
        int port = tlsListener(TestCertificates.issue(ca, "engine", true, List.of("localhost"),
                now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(2)), "EC"));
        refused(env(certs("expired", client, true), "DOCKER_HOST", "tcp://localhost:" + port),
                PacklabException.NO_ENGINE, "presents its certificate (CN=engine, issued by CN=packlab test CA), which"
                        + " expired on", "Whoever runs the engine has to give it a new certificate");
    }

    @Test
    void tlsToAnEngineWithoutTlsSaysSo() throws Exception {
        // what dockerd without TLS answers to a TLS hello: an HTTP error, which is no TLS record
        int port = plainListener("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        refused(env(certs("plain", client, true), "DOCKER_HOST", "tcp://localhost:" + port), PacklabException.USAGE,
                "does not speak TLS on that port", "unset DOCKER_TLS_VERIFY");
    }

    @Test
    void plainHttpToAnEngineWithTlsSaysHowToTurnTlsOn() throws Exception {
        // what dockerd with TLS answers to a plain request (Go's HTTPS server)
        String body = "Client sent an HTTP request to an HTTPS server.\n";
        int port = plainListener("HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);
        PacklabException e = refused(Map.of("DOCKER_HOST", "tcp://localhost:" + port), PacklabException.USAGE,
                "speaks TLS, and packlab spoke plain HTTP to it", "Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH");
        assertNull(e.getCause(), "the paragraph is the whole story");
    }

    @Test
    void aLocalSocketIgnoresTheTlsSettingsAsTheDockerCliDoes() {
        try (DockerEngine engine = DockerEngine.fromEnvironment(Map.of("DOCKER_HOST", "unix://" + dir.resolve("d.sock"),
                "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", dir.resolve("nowhere").toString()))) {
            assertEquals("127.0.0.1", engine.publishedHost());
            assertTrue(engine.connection().isEmpty());
        }
        try (DockerEngine engine = DockerEngine.fromEnvironment(Map.of("DOCKER_HOST", "tcp://build-box.example:2375"))) {
            assertEquals("build-box.example", engine.publishedHost(), "published ports are on the engine's host");
            assertTrue(engine.connection().orElseThrow().startsWith("remote engine at tcp://build-box.example:2375: no"
                    + " TLS"), engine.connection().orElseThrow());
        }
    }
}
