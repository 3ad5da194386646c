package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The {@code lifecycle} of {@code io.buildpacks.builder.metadata}, as pack reads it. */
class BuilderLifecycleMetadataTest {

    /** Semantic Versioning 2.0.0's own expression (semver.org), which pack's parser accepts. */
    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theVersionIsASemanticVersionThatSaysItIsPacklabs() {
        JsonNode lifecycle = Distribution.lifecycleMetadata();
        Matcher m = SEMVER.matcher(lifecycle.path("version").asText());
        assertTrue(m.matches(), "a semantic version: " + lifecycle.path("version"));
        assertEquals("packlab", m.group(4), "the pre-release tag names packlab, so no one takes it for a lifecycle"
                + " release");
        assertEquals("0.21", m.group(1) + "." + m.group(2), "the lifecycle whose Buildpack APIs it runs");
    }

    @Test
    void theApisArePacksFormOldAndNew() {
        JsonNode lifecycle = Distribution.lifecycleMetadata();
        assertEquals(List.of("0.7", "0.8", "0.9", "0.10", "0.11", "0.12"), texts(lifecycle.at("/apis/buildpack/supported")));
        assertEquals(List.of(), texts(lifecycle.at("/apis/buildpack/deprecated")));
        assertEquals(List.of(Cnb.PLATFORM_API), texts(lifecycle.at("/apis/platform/supported")));
        assertEquals(List.of(), texts(lifecycle.at("/apis/platform/deprecated")));
        assertEquals("0.12", lifecycle.at("/api/buildpack").asText(), "older packs read the newest API here");
        assertEquals(Cnb.PLATFORM_API, lifecycle.at("/api/platform").asText());
    }
}
