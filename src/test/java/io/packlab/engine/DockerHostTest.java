package io.packlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import org.junit.jupiter.api.Test;

/** The DOCKER_HOST forms packlab takes, as docker-java gets them (the refusals are in FaultyEngineTest). */
class DockerHostTest {

    @Test
    void theFormsOfTheDockerCliAreTaken() {
        assertEquals("unix:///var/run/docker.sock", DockerHost.parse("unix:///var/run/docker.sock", false));
        assertEquals("unix:///run/user/1000/docker.sock", DockerHost.parse(" unix:///run/user/1000/docker.sock ", false));
        assertEquals("tcp://127.0.0.1:2375", DockerHost.parse("tcp://127.0.0.1:2375", false));
        assertEquals("tcp://docker.example:2375", DockerHost.parse("tcp://docker.example", false));
        assertEquals("tcp://docker.example:2376", DockerHost.parse("tcp://docker.example", true));
        assertEquals("tcp://docker.example:2375", DockerHost.parse("TCP://docker.example:2375/", false));
        assertEquals("tcp://[::1]:2375", DockerHost.parse("tcp://[::1]:2375", false));
    }

    @Test
    void anApiVersionOfTheFloorOrNewerIsTaken() {
        assertEquals("1.40", DockerHost.apiVersion("1.40", "1.40"));
        assertEquals("1.41", DockerHost.apiVersion(" 1.41 ", "1.40"));
        PacklabException old = assertThrows(PacklabException.class, () -> DockerHost.apiVersion("1.39", "1.40"));
        assertEquals(PacklabException.USAGE, old.exitCode());
        assertTrue(old.getMessage().contains("packlab needs 1.40 or newer"), old.getMessage());
    }

    @Test
    void controlCharactersAndLengthAreTamedInTheMessage() {
        PacklabException e = assertThrows(PacklabException.class,
                () -> DockerHost.parse("ftp://a\u001b[31mred" + "x".repeat(500), false));
        assertTrue(e.getMessage().startsWith("DOCKER_HOST=ftp://a?[31mredxxx"), e.getMessage());
        assertTrue(e.getMessage().contains("xxx... is not an engine address"), e.getMessage());
    }
}
