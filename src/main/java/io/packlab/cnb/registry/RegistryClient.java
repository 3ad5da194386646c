package io.packlab.cnb.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A small client of the Registry HTTP API v2 (java.net.http): reads manifests and small blobs
 * (configs), mounts blobs across repositories, uploads blobs and puts manifests. Registries on this
 * machine, and those named as insecure, are spoken to over plain http, others over https. Access is
 * anonymous; a registry that asks for a bearer token gets an anonymous one (the token flow of
 * Docker Hub and most registries); credentials are not supported.
 */
public final class RegistryClient {

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

    /** Configs are read into memory; anything bigger than this is not a config. */
    private static final int MAX_SMALL_BLOB = 16 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final HttpClient http;
    private final Set<String> plainHttp;
    private final Map<String, String> tokens = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    /** A client; {@code plainHttpRegistries} (host:port as written) are spoken to over http besides loopback ones. */
    public RegistryClient(Set<String> plainHttpRegistries) {
        this.plainHttp = Set.copyOf(plainHttpRegistries);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * A manifest as the registry holds it.
     *
     * @param mediaType the manifest's media type (from the response, else the document)
     * @param bytes     the exact bytes (their sha256 is the digest)
     * @param digest    {@code sha256:<hex>} of the bytes
     * @param json      the parsed document
     */
    public record Manifest(String mediaType, byte[] bytes, String digest, JsonNode json) {

        /** True for a manifest list / image index (several platforms) rather than an image manifest. */
        public boolean isIndex() {
            return mediaType.equals(DOCKER_MANIFEST_LIST) || mediaType.equals(OCI_INDEX)
                    || json.has("manifests") && !json.has("layers");
        }
    }

    /** How many HTTP requests this client has sent (token requests included). */
    public int requests() {
        return requests.get();
    }

    /** The manifest of {@code ref}; a missing image, a schema-1 manifest and an unreachable registry are errors. */
    public Manifest manifest(ImageRef ref) {
        HttpResponse<byte[]> r = send(ref, pull(ref), () -> request(ref, "/manifests/" + ref.manifestReference())
                .header("Accept", String.join(", ", DOCKER_MANIFEST, OCI_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX))
                .GET(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            throw new RegistryException("the image " + ref + " is not in the registry " + ref.registry() + " (no"
                    + " manifest " + ref.repository() + ":" + ref.manifestReference() + "). Push it first (docker push "
                    + ref + "), or check the name and tag.");
        }
        expect(r, 200, "read the manifest of " + ref);
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new RegistryException("the registry " + ref.registry() + " sent a manifest for " + ref + " that is"
                    + " not JSON (" + e.getMessage() + ").");
        }
        String type = r.headers().firstValue("Content-Type").map(t -> t.split(";")[0].strip())
                .filter(t -> !t.isEmpty() && !t.equals("application/json") && !t.equals("text/plain"))
                .orElse(json.path("mediaType").asText(""));
        if (type.isEmpty()) {
            type = json.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
        }
        if (json.path("schemaVersion").asInt(0) != 2) {
            throw new RegistryException("the registry " + ref.registry() + " holds " + ref + " as a schema "
                    + json.path("schemaVersion").asText("?") + " manifest (" + type + "); only Docker schema 2 and OCI"
                    + " manifests can be rebased. Push the image again with a current docker.");
        }
        return new Manifest(type, r.body(), sha256(r.body()), json);
    }

    /** A small blob (an image config) of {@code repo}, checked against its digest. */
    public byte[] blob(ImageRef repo, String digest) {
        HttpResponse<byte[]> r = send(repo, pull(repo), () -> request(repo, "/blobs/" + digest).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            throw new RegistryException("the registry " + repo.registry() + " has no blob " + digest + " in "
                    + repo.repository() + ", which the manifest of " + repo + " names: the image is incomplete there."
                    + " Push it again.");
        }
        expect(r, 200, "read blob " + digest + " of " + repo);
        if (r.body().length > MAX_SMALL_BLOB) {
            throw new RegistryException("the config blob " + digest + " of " + repo + " is " + r.body().length
                    + " bytes: too big for an image config.");
        }
        if (!sha256(r.body()).equals(digest)) {
            throw new RegistryException("the registry " + repo.registry() + " sent blob " + digest + " of " + repo
                    + " with other content (sha256 " + sha256(r.body()) + ").");
        }
        return r.body();
    }

    /** True if {@code repo} already has the blob (HEAD). */
    public boolean hasBlob(ImageRef repo, String digest) {
        HttpResponse<Void> r = send(repo, push(repo), () -> request(repo, "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
    }

    /**
     * Asks the registry to mount a blob of repository {@code from} into {@code to} (same registry);
     * true if it did (201), false if it refused and opened an upload instead (202: the caller uploads).
     */
    public boolean mountBlob(ImageRef to, String digest, ImageRef from) {
        String scope = push(to) + " repository:" + from.repository() + ":pull";
        HttpResponse<Void> r = send(to, scope, () -> request(to, "/blobs/uploads/?mount=" + encode(digest) + "&from="
                + encode(from.repository())).POST(HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 201) {
            return true;
        }
        if (r.statusCode() == 202) {
            r.headers().firstValue("Location").ifPresent(l -> cancelUpload(to, l));
            return false;
        }
        expect(r, 201, "mount blob " + digest + " from " + from.repository() + " into " + to.repository());
        return false;
    }

    /** Copies a blob the slow way (download to {@code temp}, then upload), when it cannot be mounted. */
    public void copyBlob(ImageRef from, ImageRef to, String digest, Path temp) {
        Path file = temp.resolve(digest.replace(':', '-'));
        try {
            HttpResponse<Path> r = send(from, pull(from), () -> request(from, "/blobs/" + digest).GET(),
                    HttpResponse.BodyHandlers.ofFile(file,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
            expect(r, 200, "read blob " + digest + " of " + from);
            upload(to, digest, HttpRequest.BodyPublishers.ofFile(file));
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the caller's temp folder goes away anyway
            }
        }
    }

    /** Uploads a small blob (POST, then PUT with its digest); returns the digest. */
    public String uploadBlob(ImageRef to, byte[] bytes) {
        String digest = sha256(bytes);
        upload(to, digest, HttpRequest.BodyPublishers.ofByteArray(bytes));
        return digest;
    }

    /** Puts a manifest under {@code ref}'s tag; returns its digest. */
    public String putManifest(ImageRef ref, String mediaType, byte[] bytes) {
        HttpResponse<String> r = send(ref, push(ref), () -> request(ref, "/manifests/" + ref.manifestReference())
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)),
                HttpResponse.BodyHandlers.ofString());
        expect(r, 201, "put the manifest of " + ref);
        return sha256(bytes);
    }

    private void upload(ImageRef to, String digest, HttpRequest.BodyPublisher body) {
        HttpResponse<Void> start = send(to, push(to), () -> request(to, "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        expect(start, 202, "start an upload to " + to.repository());
        String location = start.headers().firstValue("Location").orElseThrow(() -> new RegistryException("the"
                + " registry " + to.registry() + " opened an upload without a Location header."));
        URI uri = base(to).resolve(location);
        URI put = URI.create(uri + (uri.getRawQuery() == null ? "?" : "&") + "digest=" + encode(digest));
        HttpResponse<String> done = send(to, push(to), () -> HttpRequest.newBuilder(put).timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/octet-stream").PUT(body), HttpResponse.BodyHandlers.ofString());
        expect(done, 201, "upload blob " + digest + " to " + to.repository());
    }

    private void cancelUpload(ImageRef to, String location) {
        try {
            send(to, push(to), () -> HttpRequest.newBuilder(base(to).resolve(location)).timeout(Duration.ofSeconds(30))
                    .DELETE(), HttpResponse.BodyHandlers.discarding());
        } catch (RegistryException e) {
            // an abandoned upload expires in the registry
        }
    }

    private static String pull(ImageRef ref) {
        return "repository:" + ref.repository() + ":pull";
    }

    private static String push(ImageRef ref) {
        return "repository:" + ref.repository() + ":pull,push";
    }

    /** The base URI of the registry API for a repository: {@code http(s)://host/v2/<repository>}. */
    private URI base(ImageRef ref) {
        String host = ref.registry().equals(ImageRef.DOCKER_HUB) ? "registry-1.docker.io" : ref.registry();
        String scheme = ref.loopback() || plainHttp.contains(ref.registry()) ? "http" : "https";
        return URI.create(scheme + "://" + host + "/v2/" + ref.repository());
    }

    private HttpRequest.Builder request(ImageRef ref, String path) {
        return HttpRequest.newBuilder(URI.create(base(ref) + path)).timeout(Duration.ofSeconds(60));
    }

    /** Sends a request; on a bearer challenge fetches an anonymous token and sends it again. */
    private <T> HttpResponse<T> send(ImageRef ref, String scope, Supplier<HttpRequest.Builder> builder,
            HttpResponse.BodyHandler<T> handler) {
        String key = ref.registry() + " " + scope;
        HttpResponse<T> r = exchange(ref, withToken(builder.get(), tokens.get(key)).build(), handler);
        if (r.statusCode() != 401) {
            return r;
        }
        Optional<String> challenge = r.headers().firstValue("WWW-Authenticate");
        if (challenge.isEmpty() || !challenge.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw denied(ref, r.statusCode());
        }
        String token = token(ref, challenge.get(), scope);
        tokens.put(key, token);
        r = exchange(ref, withToken(builder.get(), token).build(), handler);
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw denied(ref, r.statusCode());
        }
        return r;
    }

    private static HttpRequest.Builder withToken(HttpRequest.Builder b, String token) {
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private String token(ImageRef ref, String challenge, String scope) {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null) {
            throw denied(ref, 401);
        }
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (params.containsKey("service")) {
            url.append("service=").append(encode(params.get("service"))).append('&');
        }
        for (String s : scope.split(" ")) {
            url.append("scope=").append(encode(s)).append('&');
        }
        HttpResponse<byte[]> r = exchange(ref, HttpRequest.newBuilder(URI.create(url.substring(0, url.length() - 1)))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw denied(ref, r.statusCode());
        }
        try {
            JsonNode json = JSON.readTree(r.body());
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw denied(ref, 401);
            }
            return token;
        } catch (IOException e) {
            throw denied(ref, 401);
        }
    }

    private static RegistryException denied(ImageRef ref, int status) {
        return new RegistryException("the registry " + ref.registry() + " refuses anonymous access to "
                + ref.repository() + " (HTTP " + status + "). The built-in platform speaks to registries without"
                + " credentials: use a registry that needs none (a local docker-registry, for example), or install"
                + " pack, which uses your docker login.");
    }

    private <T> HttpResponse<T> exchange(ImageRef ref, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        requests.incrementAndGet();
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new RegistryException("cannot reach the registry " + ref.registry() + " at " + request.uri().getScheme()
                    + "://" + request.uri().getAuthority() + " (connection refused). Is a registry listening there?"
                    + " Start one (docker-registry serve /etc/docker/registry/config.yml, or docker run -d -p"
                    + " 5000:5000 registry:2) or check the image name.");
        } catch (HttpTimeoutException e) {
            throw new RegistryException("the registry " + ref.registry() + " did not answer " + request.method() + " "
                    + request.uri().getPath() + " in time; is it overloaded or behind a firewall?");
        } catch (SSLException e) {
            throw new RegistryException("cannot speak https to the registry " + ref.registry() + " (" + e.getMessage()
                    + "). If it serves plain http, name it with --insecure-registry " + ref.registry() + ".");
        } catch (IOException e) {
            throw new RegistryException("cannot reach the registry " + ref.registry() + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). Is the name right and the registry"
                    + " running?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while speaking to the registry " + ref.registry() + ".");
        }
    }

    private static void expect(HttpResponse<?> r, int status, String what) {
        if (r.statusCode() == status) {
            return;
        }
        String body = r.body() instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                : r.body() instanceof String s ? s : "";
        throw new RegistryException("the registry refused to " + what + ": HTTP " + r.statusCode()
                + errorText(body, r.headers()) + ".");
    }

    /** The registry's own error message ({"errors":[{"code","message"}]}), if it sent one. */
    private static String errorText(String body, HttpHeaders headers) {
        if (body.isBlank() || !headers.firstValue("Content-Type").orElse("").contains("json")) {
            return "";
        }
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            StringBuilder out = new StringBuilder();
            for (JsonNode e : errors) {
                out.append(out.length() == 0 ? " (" : "; ").append(e.path("code").asText()).append(": ")
                        .append(e.path("message").asText());
            }
            return out.length() == 0 ? "" : out.append(')').toString().replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "";
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code sha256:<hex>} of the bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
