package io.packlab.cnb.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against a small HTTP server on loopback that behaves as a registry with
 * bearer tokens and without cross-repository mounts: the token flow, a refused mount copied,
 * uploads, manifest lists and missing images.
 */
class RegistryClientTest {

    private HttpServer server;
    private String address;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    private final Map<String, String> manifestTypes = new ConcurrentHashMap<>();

    @TempDir
    Path temp;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        address = "127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/token", ex -> {
            log.add("TOKEN " + ex.getRequestURI().getRawQuery());
            reply(ex, 200, "application/json", "{\"token\":\"t0k\"}".getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/v2/", this::registry);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void registry(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        log.add(method + " " + path + (query == null ? "" : "?" + query));
        if (!"Bearer t0k".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + address + "/token\","
                    + "service=\"test\",scope=\"x\"");
            reply(ex, 401, "application/json", method.equals("HEAD") ? null
                    : "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"auth\"}]}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        if (path.contains("/manifests/")) {
            String key = path.substring(4);
            if (method.equals("PUT")) {
                manifests.put(key, body);
                manifestTypes.put(key, ex.getRequestHeaders().getFirst("Content-Type"));
                reply(ex, 201, null, new byte[0]);
            } else if (manifests.containsKey(key)) {
                reply(ex, 200, manifestTypes.get(key), manifests.get(key));
            } else {
                reply(ex, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes());
            }
        } else if (path.endsWith("/blobs/uploads/") && method.equals("POST")) {
            ex.getResponseHeaders().add("Location", path + "u1?state=s"); // mounts refused: always a new upload
            reply(ex, 202, null, new byte[0]);
        } else if (path.contains("/blobs/uploads/") && method.equals("PUT")) {
            String digest = query.replaceAll(".*digest=", "").replace("%3A", ":");
            blobs.put(path.substring(4, path.indexOf("/blobs/")) + "@" + digest, body);
            reply(ex, 201, null, new byte[0]);
        } else if (path.contains("/blobs/uploads/") && method.equals("DELETE")) {
            reply(ex, 204, null, null);
        } else if (path.contains("/blobs/")) {
            String key = path.substring(4, path.indexOf("/blobs/")) + "@" + path.substring(path.indexOf("/blobs/") + 7);
            byte[] blob = blobs.get(key);
            if (blob == null) {
                reply(ex, 404, null, method.equals("HEAD") ? null : new byte[0]);
            } else {
                reply(ex, 200, "application/octet-stream", method.equals("HEAD") ? null : blob);
            }
        } else {
            reply(ex, 404, null, new byte[0]);
        }
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        if (type != null) {
            ex.getResponseHeaders().add("Content-Type", type);
        }
        ex.sendResponseHeaders(status, body == null || body.length == 0 ? -1 : body.length);
        if (body != null && body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    @Test
    void aBearerChallengeIsAnsweredWithAnAnonymousTokenForTheRepository() {
        byte[] manifest = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:c\"},\"layers\":[]}".getBytes();
        manifests.put("a/app/manifests/v1", manifest);
        manifestTypes.put("a/app/manifests/v1", RegistryClient.OCI_MANIFEST);
        RegistryClient client = new RegistryClient(Set.of());
        RegistryClient.Manifest m = client.manifest(ImageRef.parse(address + "/a/app:v1"));
        assertEquals(RegistryClient.OCI_MANIFEST, m.mediaType());
        assertEquals(RegistryClient.sha256(manifest), m.digest());
        assertFalse(m.isIndex());
        assertEquals(List.of("GET /v2/a/app/manifests/v1", "TOKEN service=test&scope=repository%3Aa%2Fapp%3Apull",
                "GET /v2/a/app/manifests/v1"), log);
        client.manifest(ImageRef.parse(address + "/a/app:v1"));
        assertEquals("GET /v2/a/app/manifests/v1", log.get(3), "the token is kept for the next request");
        assertEquals(4, log.size());
    }

    @Test
    void aRefusedMountIsCopiedAndUploadsCarryTheirDigest() {
        byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
        String digest = RegistryClient.sha256(layer);
        blobs.put("r/run@" + digest, layer);
        RegistryClient client = new RegistryClient(Set.of());
        ImageRef app = ImageRef.parse(address + "/a/app:v1");
        ImageRef run = ImageRef.parse(address + "/r/run:new");
        assertFalse(client.hasBlob(app, digest));
        assertFalse(client.mountBlob(app, digest, run), "the server opened an upload instead of mounting");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("DELETE /v2/a/app/blobs/uploads/u1")),
                "the upload the refused mount opened is cancelled: " + log);
        client.copyBlob(run, app, digest, temp);
        assertArrayEquals(layer, blobs.get("a/app@" + digest));
        assertTrue(client.hasBlob(app, digest));

        String config = client.uploadBlob(app, "{}".getBytes());
        assertEquals(RegistryClient.sha256("{}".getBytes()), config);
        assertArrayEquals("{}".getBytes(), client.blob(app, config));
    }

    @Test
    void manifestListsAndMissingImagesAreTold() {
        manifests.put("a/app/manifests/multi", "{\"schemaVersion\":2,\"manifests\":[]}".getBytes());
        manifestTypes.put("a/app/manifests/multi", RegistryClient.DOCKER_MANIFEST_LIST);
        RegistryClient client = new RegistryClient(Set.of());
        assertTrue(client.manifest(ImageRef.parse(address + "/a/app:multi")).isIndex());
        RegistryException e = assertThrows(RegistryException.class,
                () -> client.manifest(ImageRef.parse(address + "/a/app:nope")));
        assertTrue(e.getMessage().startsWith("the image " + address + "/a/app:nope is not in the registry"),
                e.getMessage());
    }
}
