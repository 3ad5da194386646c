package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.DockerEngine;
import io.packlab.support.FakeSocketEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded waits through the real launcher: a fake engine that never answers is exit code 3 with its
 * paragraph at the default waits, a DOCKER_HOST packlab cannot use is exit 2; and on the real
 * engine, a docker build step that prints nothing for longer than the ping interval is not given up
 * (the engine answers pings), while one silent for longer than the longest wait is, leaving nothing.
 */
class EngineWaitIT {

    private static final String DEBIAN = "packlab-base/debian:bookworm-slim";

    @TempDir
    Path dir;

    private static void assertOneParagraph(Launcher.Result r, int code, String... contains) {
        assertEquals(code, r.code(), r.all());
        String err = r.err().strip();
        for (String c : contains) {
            assertTrue(err.contains(c), "`" + c + "` in: " + err);
        }
        assertEquals(1, err.lines().count(), "one paragraph: " + err);
        assertTrue(err.startsWith("error: "), err);
        assertFalse(err.contains("Exception") || err.contains("\tat ") || err.contains("a bug in packlab"), err);
    }

    @Test
    void aSilentEngineIsExitThreeAtTheDefaultWaits() throws Exception {
        try (FakeSocketEngine fake = FakeSocketEngine.start(dir.resolve("e.sock"), FakeSocketEngine.silent())) {
            // the launcher's guard is 15 minutes; a hang is what this test is about, so the bound is ours
            Launcher.Running check = Launcher.start(fake.env(), "--workdir=" + dir, "check", "stack");
            Launcher.Result r = check.await(120);
            // a check that asked while another waited adds "(to an earlier call, ...)" after "10 s"
            assertOneParagraph(r, 3, "The Docker engine at " + fake.host() + " does not answer: it took the"
                    + " connection, but nothing came back within 10 s", "when packlab tried to ask the engine for its"
                    + " version", "sudo systemctl restart docker");
            Launcher.Result doctor = Launcher.start(fake.env(), "--workdir=" + dir, "doctor").await(120);
            assertEquals(3, doctor.code(), doctor.all());
            assertTrue(doctor.out().contains("✘ Docker engine: The Docker engine at " + fake.host() + " does not"
                    + " answer"), doctor.out());
            assertTrue(doctor.out().strip().endsWith("Fix the findings marked ✘, then run doctor again."), doctor.out());
        }
    }

    @Test
    void aDockerHostOverSshIsExitTwoWithWhatToDoInstead() throws Exception {
        Launcher.Result r = Launcher.run(Map.of("DOCKER_HOST", "ssh://learner@build-box"), "--workdir=" + dir,
                "check", "stack");
        assertOneParagraph(r, 2, "DOCKER_HOST=ssh://learner@build-box is not an engine address packlab can use",
                "ssh -nNT -L /tmp/docker.sock:/var/run/docker.sock", "environment variable DOCKER_HOST");
    }

    /**
     * docker-java's default configuration reads the process's own DOCKER_HOST and DOCKER_API_VERSION
     * and throws on values it cannot parse; in-process tests pass an env map and never meet that path.
     */
    @Test
    void malformedEngineVariablesOfTheProcessAreExitTwoNotACrash() throws Exception {
        Launcher.Result host = Launcher.run(Map.of("DOCKER_HOST", "nonsense://%%%"), "--workdir=" + dir, "check",
                "stack");
        assertOneParagraph(host, 2, "DOCKER_HOST=nonsense://%%% is not an engine address packlab can use");
        Launcher.Result api = Launcher.run(Map.of("DOCKER_API_VERSION", "latest"), "--workdir=" + dir, "check",
                "stack");
        assertOneParagraph(api, 2, "DOCKER_API_VERSION=latest is not an API version");
        Launcher.Result doctor = Launcher.run(Map.of("DOCKER_HOST", "nonsense://%%%"), "--workdir=" + dir, "doctor");
        assertEquals(2, doctor.code(), doctor.all());
        assertFalse(doctor.all().contains("a bug in packlab") || doctor.all().contains("Exception"), doctor.all());
    }

    private Path silentDockerfile(int seconds) throws Exception {
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + DEBIAN + "\nRUN sleep " + seconds + "\n");
        return ctx;
    }

    @Test
    void aBuildStepSilentForLongerThanThePingIntervalIsWaitedFor() throws Exception {
        DockerSupport.requireDocker();
        Path ctx = silentDockerfile(6);
        Map<String, String> env = new HashMap<>(Map.of("PACKLAB_ENGINE_TIMEOUTS", "probe=1,stream=120"));
        try {
            Launcher.Result r = Launcher.run(env, "--workdir=" + dir, "docker", "build", "--no-cache", "-t",
                    "packlab-it-wait:1", ctx.toString());
            assertEquals(0, r.code(), r.all());
            try (DockerEngine e = DockerSupport.engine()) {
                assertTrue(e.inspectImage("packlab-it-wait:1").isPresent());
            }
        } finally {
            try (DockerEngine e = DockerSupport.engine()) {
                e.removeImage("packlab-it-wait:1", true);
            }
        }
    }

    @Test
    void aBuildStepSilentForLongerThanTheLongestWaitIsGivenUpLeavingNothing() throws Exception {
        DockerSupport.requireDocker();
        Path ctx = silentDockerfile(30);
        Set<String> before;
        try (DockerEngine e = DockerSupport.engine()) {
            before = DockerSupport.leftovers(e);
        }
        Map<String, String> env = new HashMap<>(Map.of("PACKLAB_ENGINE_TIMEOUTS", "probe=1,stream=4"));
        Launcher.Result r = Launcher.run(env, "--workdir=" + dir, "docker", "build", "--no-cache", "-t",
                "packlab-it-wait:2", ctx.toString());
        assertOneParagraph(r, 3, "sent nothing for 4 s while packlab was trying to run docker build of"
                + " packlab-it-wait:2, though it still answers pings", "PACKLAB_ENGINE_TIMEOUTS=stream=SECONDS");
        try (DockerEngine e = DockerSupport.engine()) {
            // the engine ends a build whose client went away, and removes its container, in its own time
            long end = System.nanoTime() + 60_000_000_000L;
            while (!before.equals(DockerSupport.leftovers(e)) && System.nanoTime() < end) {
                Thread.sleep(500);
            }
            assertEquals(before, DockerSupport.leftovers(e), "containers, volumes and dangling images as before");
            assertTrue(e.inspectImage("packlab-it-wait:2").isEmpty(), "nothing tagged");
        }
    }
}
