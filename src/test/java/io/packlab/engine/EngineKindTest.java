package io.packlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.error.PacklabException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Podman told from Docker by /version, its names read as Docker's, and the rlimit refusal as one paragraph. */
class EngineKindTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** GET /version of Debian's podman 4.3.1 serving the Docker API (components shortened). */
    private static final String PODMAN_VERSION = """
            {"Platform":{"Name":"linux/amd64/debian-12"},"Components":[{"Name":"Podman Engine","Version":"4.3.1",
            "Details":{"APIVersion":"4.3.1","MinAPIVersion":"4.0.0","Os":"linux"}},{"Name":"Conmon",
            "Version":"conmon version 2.1.6, commit: unknown"},{"Name":"OCI Runtime (runc)",
            "Version":"runc version 1.1.5+ds1\\ncommit: 1.1.5+ds1-1+deb12u1\\nspec: 1.0.2-dev"}],
            "Version":"4.3.1","ApiVersion":"1.41","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}""";

    /** GET /version of Docker 20.10 (components shortened). */
    private static final String DOCKER_VERSION = """
            {"Platform":{"Name":"Docker Engine - Community"},"Components":[{"Name":"Engine","Version":"20.10.24"},
            {"Name":"containerd","Version":"1.6.20"},{"Name":"runc","Version":"1.1.5"}],"Version":"20.10.24",
            "ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}""";

    @Test
    void podmanIsKnownByItsComponentsAndDockerStaysDocker() throws Exception {
        assertEquals(EngineKind.PODMAN, EngineKind.fromVersion(JSON.readTree(PODMAN_VERSION)));
        assertEquals(EngineKind.DOCKER, EngineKind.fromVersion(JSON.readTree(DOCKER_VERSION)));
        assertEquals(EngineKind.DOCKER, EngineKind.fromVersion(JSON.readTree("{\"ApiVersion\":\"1.41\"}")));
        assertEquals(List.of("Conmon 2.1.6", "OCI Runtime (runc) 1.1.5+ds1"),
                EngineKind.components(JSON.readTree(PODMAN_VERSION)));
    }

    @Test
    void aPodmanSocketIsGuessedBeforeTheEngineAnswers() {
        assertEquals(EngineKind.PODMAN, EngineKind.guess(URI.create("unix:///run/podman/podman.sock")));
        assertEquals(EngineKind.PODMAN, EngineKind.guess(URI.create("unix:///run/user/1000/podman/podman.sock")));
        assertEquals(EngineKind.DOCKER, EngineKind.guess(URI.create("unix:///var/run/docker.sock")));
        assertEquals(EngineKind.DOCKER, EngineKind.guess(URI.create("tcp://podman.example:2376")));
    }

    @Test
    void podmansNamesReadAsDockerListsThem() {
        assertEquals("webapp:latest", EngineKind.dockerName("localhost/webapp:latest"));
        assertEquals("distroless-python:run", EngineKind.dockerName("docker.io/library/distroless-python:run"));
        assertEquals("packlab/lifecycle:b82069615d79", EngineKind.dockerName("docker.io/packlab/lifecycle:b82069615d79"));
        assertEquals("localhost:5000/webapp:latest", EngineKind.dockerName("localhost:5000/webapp:latest"));
        assertEquals("quay.io/podman/hello:latest", EngineKind.dockerName("quay.io/podman/hello:latest"));
    }

    @Test
    void theRlimitRefusalIsOneParagraphWithTheFixOfItsEngine() {
        String refusal = "{\"cause\":\"OCI permission denied\",\"message\":\"runc: runc create failed: unable to start"
                + " container process: error during container init: error setting rlimits for ready process: error"
                + " setting rlimit type 7: operation not permitted: OCI permission denied\",\"response\":500}";
        assertEquals(Optional.of("nofile"), RlimitFault.resource(refusal));
        assertEquals(Optional.of("nproc"), RlimitFault.resource("error setting rlimit type 6: operation not permitted"));
        assertEquals(Optional.empty(), RlimitFault.resource("OCI runtime error: executable file not found"));

        PacklabException podman = RlimitFault.of(EngineKind.PODMAN, "unix:///run/podman/podman.sock",
                "start container 0123456789ab", "nofile", false);
        assertEquals(PacklabException.NO_ENGINE, podman.exitCode());
        assertTrue(podman.getMessage().startsWith("The Podman engine at unix:///run/podman/podman.sock cannot start"
                + " containers: when packlab tried to start container 0123456789ab, the container runtime was refused"
                + " the `nofile` resource limit"), podman.getMessage());
        assertTrue(podman.getMessage().contains("/etc/containers/containers.conf (rootless Podman:"
                + " ~/.config/containers/containers.conf), under the table `[containers]`, set `default_ulimits = []`"),
                podman.getMessage());
        assertFalse(podman.getMessage().contains("\n"), "one paragraph");

        PacklabException docker = RlimitFault.of(EngineKind.DOCKER, "unix:///var/run/docker.sock", "start container x",
                "nofile", false);
        assertTrue(docker.getMessage().contains("`default-ulimits` from /etc/docker/daemon.json"), docker.getMessage());
        assertFalse(docker.getMessage().contains("containers.conf"), docker.getMessage());
    }

    @Test
    void dockerMessagesKeepTheirWordsAndPodmansNameItsCommands() {
        assertEquals(EngineUnavailableException.stopped("unix:///d.sock", "x", "y", List.of()).getMessage(),
                EngineUnavailableException.stopped(EngineKind.DOCKER, "unix:///d.sock", "x", "y", List.of()).getMessage());
        String unreachable = EngineUnavailableException.unreachable(EngineKind.PODMAN, "unix:///run/podman/podman.sock",
                "connection refused").getMessage();
        assertTrue(unreachable.startsWith("packlab cannot reach a Podman engine at unix:///run/podman/podman.sock"
                + " (connection refused). Start one (for Podman, its Docker-compatible API service: `sudo systemctl"
                + " start podman.socket`"), unreachable);
        String rootless = EngineUnavailableException.unreachable(EngineKind.PODMAN,
                "unix:///run/user/1000/podman/podman.sock", "no such file or directory").getMessage();
        assertTrue(rootless.contains("as the user who owns it (no sudo): `systemctl --user start podman.socket`, or"
                + " `podman system service --time=0 unix:///run/user/1000/podman/podman.sock &`"), rootless);
        assertFalse(rootless.contains("sudo podman"), rootless);
        String fault = new EngineFaultException(EngineKind.PODMAN, "unix:///p.sock", "list images", "it answered 500")
                .getMessage();
        assertTrue(fault.startsWith("The Podman engine at unix:///p.sock failed when packlab tried to list images"), fault);
        assertTrue(fault.contains("`journalctl -u podman`"), fault);
        assertFalse(fault.contains("docker"), fault);
    }
}
