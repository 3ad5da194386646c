package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package lesson with a real local registry (docker-registry on loopback): with --registry the
 * push step runs and the manifest is checked in the registry; without it the step is skipped. The
 * lessons stack and buildpack run first: the package lesson packages the buildpack the learner wrote.
 */
class RegistryIT {

    @TempDir
    static Path dir;

    private static LocalRegistry registry;
    private static String address;

    @BeforeAll
    static void startRegistry() throws Exception {
        DockerSupport.requireDocker();
        registry = LocalRegistry.start(dir.resolve("registry"));
        address = registry.address();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void thePackageLessonPushesToTheRegistryAndChecksTheManifest() throws Exception {
        Path work = dir.resolve("work");
        try {
            // the package lesson packages the learner's buildpack of lesson buildpack, which needs the stack
            for (String lesson : java.util.List.of("stack", "buildpack")) {
                Launcher.Result before = Launcher.run(Map.of(), "--workdir=" + work, "--engine", "builtin", "run",
                        lesson);
                assertEquals(0, before.code(), lesson + ": " + before.all());
            }
            Launcher.Result without = Launcher.run(Map.of(), "--workdir=" + work, "--engine", "builtin", "run", "package");
            assertEquals(0, without.code(), without.all());
            assertTrue(without.out().contains("skipped: it pushes to a registry"), without.out());
            assertTrue(!without.out().contains("registry example/my-cnb"), "no registry check without a registry");

            Launcher.Result with = Launcher.run(Map.of(), "--workdir=" + work, "--engine", "builtin", "--registry",
                    address, "run", "package");
            assertEquals(0, with.code(), with.all());
            assertTrue(with.out().contains("✔ pushed " + address + "/example/my-cnb:0.0.1"), with.out());
            assertTrue(with.out().contains("✔ registry example/my-cnb:0.0.1 exists"), with.out());
            HttpResponse<String> manifest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + address + "/v2/example/my-cnb/manifests/0.0.1"))
                    .header("Accept", "application/vnd.docker.distribution.manifest.v2+json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, manifest.statusCode(), manifest.body());
        } finally {
            Launcher.Result reset = Launcher.run(Map.of(), "--workdir=" + work, "reset", "--yes");
            assertEquals(0, reset.code(), reset.all());
        }
    }
}
