package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.cnb.platform.BuiltinPlatform;
import io.packlab.cnb.platform.Reporter;
import io.packlab.cnb.platform.Requests;
import io.packlab.engine.BuildListener;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pack rebase --publish} of the built-in platform against a real docker-registry: an app
 * built on the real engine is pushed with its old and a new run image; the launcher rebases it in
 * the registry; the registry's manifest, config and access log show the new run image's layers
 * under the app's unchanged layers, and that no app layer blob was read or written. The image is
 * pulled back and answers HTTP. Uses its own names (packlab-it-rr-*) and label.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryRebaseIT {

    private static final String LABEL = "packlab-it-registry-rebase";
    private static final String BUILD = "packlab-it-rr-stack:build";
    private static final String RUN = "packlab-it-rr-stack:run";
    private static final String RUN_NEW = "packlab-it-rr-stack:run-new";
    private static final String BUILDER = "packlab-it-rr-builder:latest";
    private static final String APP = "packlab-it-rr-app:latest";
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCESS = Pattern.compile("\"(GET|HEAD|POST|PUT|PATCH|DELETE) (\\S+) HTTP/[0-9.]+\" (\\d+)");

    @TempDir
    static Path work;

    private static DockerEngine engine;
    private static LocalRegistry registry;
    private static BuiltinPlatform platform;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static String appRef;
    private static String runNewRef;
    private static JsonNode appManifestBefore;
    private static JsonNode appConfigBefore;
    private static JsonNode runNewManifest;
    private static JsonNode runNewConfig;
    private static JsonNode runOldConfig;
    private static List<String> rebasedDiffIds;

    @BeforeAll
    static void appInARegistry() throws Exception {
        engine = DockerSupport.engine();
        DockerSupport.requireProgram("docker");
        registry = LocalRegistry.start(work.resolve("registry"));
        platform = new BuiltinPlatform(engine, Reporter.quiet(), Map.of(Engine.LESSON_LABEL, LABEL), "test");
        Path home = Launcher.HOME;
        DockerSupport.buildLabelled(engine, home.resolve("stacks/distroless-python/build"), BUILD, "packlab-base/debian:bookworm-slim", LABEL);
        DockerSupport.buildLabelled(engine, home.resolve("stacks/distroless-python/run"), RUN, "packlab-base/distroless-python3:debian12", LABEL);
        Files.writeString(work.resolve("builder.toml"),
                DockerSupport.builderToml(home.resolve("buildpacks/python"), BUILD, RUN));
        platform.run(new Requests.CreateBuilder(BUILDER, work.resolve("builder.toml")), Cancellation.none());
        platform.run(new Requests.Build(APP, BUILDER, List.of(), Map.of(), home.resolve("sample-app"), Optional.empty(),
                false, Optional.empty()), Cancellation.none());
        Path patch = Files.createDirectories(work.resolve("run-new"));
        Files.writeString(patch.resolve("motd"), "run image, patched\n");
        Files.writeString(patch.resolve("Dockerfile"), "FROM " + RUN + "\nCOPY motd /etc/motd\nLABEL patched=yes\n");
        DockerSupport.buildLabelled(engine, patch, RUN_NEW, null, LABEL);

        String addr = registry.address();
        appRef = addr + "/packlab-it/app:latest";
        runNewRef = addr + "/packlab-it/run:new";
        push(APP, appRef);
        push(RUN, addr + "/packlab-it/run:old");
        push(RUN_NEW, runNewRef);
        appManifestBefore = manifest("packlab-it/app", "latest");
        appConfigBefore = blob("packlab-it/app", appManifestBefore.at("/config/digest").asText());
        runNewManifest = manifest("packlab-it/run", "new");
        runNewConfig = blob("packlab-it/run", runNewManifest.at("/config/digest").asText());
        runOldConfig = blob("packlab-it/run", manifest("packlab-it/run", "old").at("/config/digest").asText());
    }


    private static void push(String image, String target) {
        engine.tagImage(image, target);
        engine.pushImage(target, BuildListener.silent());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try {
            if (engine != null) {
                if (appRef != null) {
                    docker("rmi", "-f", appRef); // the pulled image, if the test got that far
                }
                List<String> filter = Engine.labelFilter(Engine.LESSON_LABEL, LABEL);
                engine.listContainers(filter).forEach(c -> engine.removeContainer(c.id()));
                engine.listImages(filter).forEach(i -> engine.removeImage(i.id(), true));
                engine.listVolumes(filter).forEach(engine::removeVolume);
                assertTrue(engine.listImages(filter).isEmpty(), "no image of the test is left");
                engine.close();
            }
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
    }

    @Test
    @Order(1)
    void publishRebasesInTheRegistryWithoutMovingAnAppLayer() throws Exception {
        int runOldLayers = runOldConfig.at("/rootfs/diff_ids").size();
        List<String> appDigests = digests(appManifestBefore.get("layers"));
        List<String> upperDigests = appDigests.subList(runOldLayers, appDigests.size());
        List<String> appDiffs = texts(appConfigBefore.at("/rootfs/diff_ids"));
        List<String> upperDiffs = appDiffs.subList(runOldLayers, appDiffs.size());
        assertFalse(upperDigests.isEmpty(), "the app has layers above the run image");
        String before = digestOf("packlab-it/app", "latest");
        String refused = assertOneParagraph(rebase(appRef), "new base image '" + runNewRef + "' not found in existing"
                + " run image metadata");
        assertTrue(refused.contains("--force"), refused);
        assertEquals(before, digestOf("packlab-it/app", "latest"), "a refused rebase writes nothing");
        int logFrom = registry.log().size();

        Launcher.Result r = rebase(appRef, "--force");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.all().contains("rebasing anyway (--force)"), r.all());
        List<String> log = registry.log();
        List<String[]> requests = new ArrayList<>();
        for (String line : log.subList(logFrom, log.size())) {
            Matcher m = ACCESS.matcher(line);
            if (m.find()) {
                requests.add(new String[] {m.group(1), m.group(2), m.group(3)});
            }
        }

        JsonNode after = manifest("packlab-it/app", "latest");
        String newDigest = digestOf("packlab-it/app", "latest");
        assertTrue(r.out().contains("*** Digest: " + newDigest), "the output names the new digest: " + r.out());
        assertTrue(r.out().contains("rebased " + appRef + " in the registry (" + newDigest + ")"), r.out());
        List<String> expectedLayers = new ArrayList<>(digests(runNewManifest.get("layers")));
        expectedLayers.addAll(upperDigests);
        assertEquals(expectedLayers, digests(after.get("layers")),
                "the new run image's layers, then the app's own layers with the same digests");

        JsonNode config = blob("packlab-it/app", after.at("/config/digest").asText());
        List<String> runNewDiffs = texts(runNewConfig.at("/rootfs/diff_ids"));
        List<String> expectedDiffs = new ArrayList<>(runNewDiffs);
        expectedDiffs.addAll(upperDiffs);
        assertEquals(expectedDiffs, texts(config.at("/rootfs/diff_ids")));
        rebasedDiffIds = expectedDiffs;
        JsonNode meta = JSON.readTree(config.at("/config/Labels/io.buildpacks.lifecycle.metadata").asText());
        assertEquals(runNewDiffs.get(runNewDiffs.size() - 1), meta.at("/runImage/topLayer").asText());
        assertEquals(registry.address() + "/packlab-it/run@" + digestOf("packlab-it/run", "new"),
                meta.at("/runImage/reference").asText());
        assertEquals(runNewRef, meta.at("/runImage/image").asText());
        assertEquals(appConfigBefore.at("/config/Entrypoint"), config.at("/config/Entrypoint"), "the app's config");
        assertFalse(config.at("/config/Labels").has("patched"), "the run image's own labels do not reach the app");

        assertFalse(requests.isEmpty(), "the registry logged the rebase's requests");
        for (String[] q : requests) {
            for (String d : upperDigests) {
                assertFalse(q[1].contains(d), "no request touched the app layer " + d + ": " + String.join(" ", q));
            }
            if (q[1].contains("/blobs/sha256:") && q[0].equals("GET")) {
                assertTrue(q[1].endsWith(appManifestBefore.at("/config/digest").asText())
                        || q[1].endsWith(runNewManifest.at("/config/digest").asText()),
                        "only the two configs are downloaded: " + String.join(" ", q));
            }
        }
        assertEquals(1, requests.stream().filter(q -> q[0].equals("PUT") && q[1].contains("/blobs/uploads/")).count(),
                "one blob uploaded (the config): " + requests.stream().map(q -> String.join(" ", q)).toList());
        assertTrue(requests.stream().anyMatch(q -> q[0].equals("POST") && q[1].contains("mount=")
                && q[2].equals("201")), "the new run image layer is mounted from packlab-it/run");
    }

    @Test
    @Order(2)
    void theRebasedImagePullsAndAnswersHttp() throws Exception {
        docker("pull", appRef);
        ImageInfo pulled = engine.inspectImage(appRef).orElseThrow();
        assertEquals(rebasedDiffIds, pulled.layers());
        assertEquals(LABEL, pulled.labels().get(Engine.LESSON_LABEL), "the rebased image carries the lesson label");
        String c = engine.createContainer(new ContainerSpec(appRef, null, null, Map.of(), Map.of(Engine.LESSON_LABEL,
                LABEL), null, null, null, Map.of(), Map.of(8080, 0)));
        try {
            engine.startContainer(c);
            int port = engine.hostPort(c, 8080).orElseThrow();
            String body = null;
            int status = 0;
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < end) {
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    body = r.body();
                    break;
                } catch (java.io.IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertEquals(200, status, "the rebased app answers on port " + port);
            assertTrue(body.contains("Hello, Cloud Native Buildpacks!"), body);
            try (java.io.InputStream tar = engine.copyFromContainer(c, "/etc/motd").orElseThrow()) {
                String motd = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(motd.contains("run image, patched"), "the new run image's file is in the app");
            }
        } finally {
            engine.removeContainer(c);
        }
    }

    @Test
    @Order(3)
    void theDaemonPathGivesTheSameLayersAsTheRegistryPath() {
        platform.rebase(new Requests.Rebase(APP, Optional.of(RUN_NEW), false, List.of(), true));
        assertEquals(rebasedDiffIds, engine.inspectImage(APP).orElseThrow().layers());
    }

    @Test
    @Order(4)
    void failuresAreOneParagraphWithExitCode1() throws Exception {
        String addr = registry.address();
        assertOneParagraph(rebase(addr + "/packlab-it/nothing:here"), "the image " + addr
                + "/packlab-it/nothing:here is not in the registry " + addr);

        String index = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                 {"mediaType":"%s","size":%d,"digest":"%s","platform":{"os":"linux","architecture":"amd64"}},
                 {"mediaType":"%s","size":%d,"digest":"%s","platform":{"os":"linux","architecture":"arm64"}}]}"""
                .formatted(appManifestType(), appManifestSize(), appManifestDigest(), appManifestType(),
                        appManifestSize(), appManifestDigest());
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + addr
                + "/v2/packlab-it/app/manifests/multi")).header("Content-Type", "application/vnd.oci.image.index.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(index)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
        String list = assertOneParagraph(rebase(addr + "/packlab-it/app:multi"), "is a manifest list");
        assertTrue(list.contains("linux/amd64, linux/arm64") && list.contains("does not choose a platform"), list);

        assertOneParagraph(rebase(addr + "/packlab-it/run:new"), "could not find label"
                + " 'io.buildpacks.lifecycle.metadata' on image " + addr + "/packlab-it/run:new");
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            int closed = s.getLocalPort();
            s.close();
            assertOneParagraph(rebase("127.0.0.1:" + closed + "/app:latest"), "cannot reach the registry 127.0.0.1:"
                    + closed);
        }
    }

    private static String appManifestDigest() throws Exception {
        return digestOf("packlab-it/app", "latest");
    }

    private static String appManifestType() throws Exception {
        return get("/v2/packlab-it/app/manifests/latest").headers().firstValue("Content-Type").orElseThrow();
    }

    private static long appManifestSize() throws Exception {
        return get("/v2/packlab-it/app/manifests/latest").body().getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The launcher's {@code pack rebase IMAGE --publish --run-image <new run image> [extra]}, in a lesson
     * folder whose one lesson is the test's label.
     */
    private static Launcher.Result rebase(String image, String... extra) throws Exception {
        Path lessons = work.resolve("lessons");
        if (!Files.exists(lessons)) {
            Files.createDirectories(lessons);
            Files.writeString(lessons.resolve("01-" + LABEL + ".md"), "---\nid: " + LABEL + "\n---\n# Registry rebase\n"
                    + "```check\nimage " + APP + " exists\n```\n");
        }
        List<String> args = new ArrayList<>(List.of("--workdir=" + work.resolve("w"), "--lessons=" + lessons, "--engine",
                "builtin", "pack", "rebase", image, "--publish", "--run-image", runNewRef));
        args.addAll(List.of(extra));
        return Launcher.run(Map.of(), args.toArray(String[]::new));
    }

    private static String assertOneParagraph(Launcher.Result r, String expected) {
        assertEquals(1, r.code(), r.all());
        String err = r.err().strip();
        assertTrue(err.contains(expected), err);
        assertFalse(err.contains("\n\n") || err.contains("\tat ") || err.contains("Exception"),
                "one paragraph, no stack trace: " + err);
        return err;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry.address() + path))
                .header("Accept", DOCKER_MANIFEST + ", " + OCI_MANIFEST).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode manifest(String repo, String tag) throws Exception {
        HttpResponse<String> r = get("/v2/" + repo + "/manifests/" + tag);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static String digestOf(String repo, String tag) throws Exception {
        HttpResponse<String> r = get("/v2/" + repo + "/manifests/" + tag);
        return r.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static JsonNode blob(String repo, String digest) throws Exception {
        HttpResponse<String> r = get("/v2/" + repo + "/blobs/" + digest);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static List<String> digests(JsonNode layers) {
        List<String> out = new ArrayList<>();
        layers.forEach(l -> out.add(l.path("digest").asText()));
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " did not finish");
        }
        if (p.exitValue() != 0 && !args[0].equals("rmi")) {
            throw new AssertionError("docker " + String.join(" ", args) + " failed: " + out);
        }
    }
}
