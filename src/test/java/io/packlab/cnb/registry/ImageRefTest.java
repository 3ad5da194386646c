package io.packlab.cnb.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import org.junit.jupiter.api.Test;

class ImageRefTest {

    @Test
    void referencesSplitAsDockerSplitsThem() {
        assertEquals(new ImageRef("127.0.0.1:5000", "app", "latest", null), ImageRef.parse("127.0.0.1:5000/app"));
        assertEquals(new ImageRef("localhost", "a/b", "v1", null), ImageRef.parse("localhost/a/b:v1"));
        assertEquals(new ImageRef("docker.io", "library/python", "3", null), ImageRef.parse("python:3"));
        assertEquals(new ImageRef("docker.io", "paketo/run", "latest", null), ImageRef.parse("paketo/run"));
        assertEquals(new ImageRef("ghcr.io", "o/r", null, "sha256:" + "a".repeat(64)),
                ImageRef.parse("ghcr.io/o/r@sha256:" + "a".repeat(64)));
        assertEquals("sha256:" + "a".repeat(64), ImageRef.parse("r:5000/x:t@sha256:" + "a".repeat(64))
                .manifestReference());
        assertEquals("127.0.0.1:5000/run@sha256:1", ImageRef.parse("127.0.0.1:5000/run:new").withDigest("sha256:1"));
    }

    @Test
    void loopbackRegistriesAreKnown() {
        assertTrue(ImageRef.parse("127.0.0.1:5000/app").loopback());
        assertTrue(ImageRef.parse("localhost:5000/app").loopback());
        assertTrue(ImageRef.parse("[::1]:5000/app").loopback());
        assertFalse(ImageRef.parse("registry.example.com:5000/app").loopback());
        assertFalse(ImageRef.parse("app").loopback());
    }

    @Test
    void malformedReferencesAreUsageErrors() {
        PacklabException e = assertThrows(PacklabException.class, () -> ImageRef.parse("127.0.0.1:5000/App"));
        assertEquals(PacklabException.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("REGISTRY/REPOSITORY:TAG"), e.getMessage());
        assertThrows(PacklabException.class, () -> ImageRef.parse("reg/app@sha256:zz"));
    }
}
