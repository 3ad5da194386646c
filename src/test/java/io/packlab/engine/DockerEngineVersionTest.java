package io.packlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine API floor and DOCKER_API_VERSION, without an engine (the real refusal is in EngineFaultIT). */
class DockerEngineVersionTest {

    @Test
    void apiVersionsCompareAsNumbers() {
        assertTrue(DockerEngine.compareApi("1.9", "1.10") < 0);
        assertTrue(DockerEngine.compareApi("1.41", "1.40") > 0);
        assertEquals(0, DockerEngine.compareApi("1.40", "1.40"));
        assertTrue(DockerEngine.compareApi("2.0", "1.99") > 0);
    }

    @Test
    void anEngineOlderThanTheFloorIsRefusedWithBothVersionsAndWhatToDo() {
        PacklabException e = assertThrows(PacklabException.class,
                () -> DockerEngine.requireApi("unix:///var/run/docker.sock", "18.09.1", "1.39"));
        assertEquals(PacklabException.NO_ENGINE, e.exitCode());
        assertTrue(e.getMessage().contains("Docker 18.09.1 speaks Engine API 1.39, and packlab needs 1.40 or newer"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Upgrade Docker"), e.getMessage());
    }

    @Test
    void enginesAtOrAboveTheFloorAndUnknownVersionsPass() {
        DockerEngine.requireApi("x", "19.03.0", "1.40");
        DockerEngine.requireApi("x", "20.10.24", "1.41");
        DockerEngine.requireApi("x", "?", null);
        DockerEngine.requireApi("x", "?", "weird");
    }

    @Test
    void aMalformedDockerApiVersionIsBadInput() {
        PacklabException e = assertThrows(PacklabException.class,
                () -> DockerEngine.fromEnvironment(Map.of("DOCKER_API_VERSION", "latest")));
        assertEquals(PacklabException.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("DOCKER_API_VERSION=latest is not an API version"), e.getMessage());
    }
}
