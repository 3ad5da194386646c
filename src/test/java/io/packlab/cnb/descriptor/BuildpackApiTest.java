package io.packlab.cnb.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildpackApiTest {

    @Test
    void parsesMajorMinorAsTheLifecycleDoes() {
        assertEquals(new BuildpackApi(0, 8), BuildpackApi.parse("0.8"));
        assertEquals(new BuildpackApi(0, 12), BuildpackApi.parse("0.12"));
        assertEquals(new BuildpackApi(1, 0), BuildpackApi.parse("1"));
        assertEquals(new BuildpackApi(0, 9), BuildpackApi.parse("v0.9"));
        assertEquals("0.10", BuildpackApi.parse("0.10").toString());
        for (String bad : List.of("", "0.8.1", "abc", "0.x", "-1.0", "0..8", " 0.8")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BuildpackApi.parse(bad));
            assertEquals("could not parse '" + bad + "' as version", e.getMessage());
        }
    }

    @Test
    void comparesNumericallyNotAsText() {
        assertTrue(BuildpackApi.parse("0.10").compareTo(BuildpackApi.parse("0.9")) > 0);
        assertTrue(BuildpackApi.parse("1.0").compareTo(BuildpackApi.parse("0.12")) > 0);
        assertEquals(0, BuildpackApi.parse("0.8").compareTo(new BuildpackApi(0, 8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.7", "0.8", "0.9", "0.10", "0.11", "0.12"})
    void theLifecycleSupports07To012(String version) {
        BuildpackApi api = BuildpackApi.parse(version);
        assertTrue(api.isSupported());
        assertTrue(api.incompatibility().isEmpty());
        assertTrue(BuildpackApi.supported().contains(api));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.2", "0.3", "0.4", "0.5"})
    void api02To05WereRemovedAndTheirFlagsMove(String version) {
        BuildpackApi api = BuildpackApi.parse(version);
        assertFalse(api.isSupported());
        assertEquals("buildpack API version '" + version + "' is incompatible with the lifecycle (it supports Buildpack API"
                + " 0.7 to 0.12): API 0.2-0.6 were removed in lifecycle 0.18. Set `api = \"0.8\"` (or newer) in"
                + " buildpack.toml and move layer flags (launch, build, cache) under [types].",
                api.incompatibility().orElseThrow());
    }

    @Test
    void api06WasRemovedButAlreadyHasTypes() {
        assertEquals("buildpack API version '0.6' is incompatible with the lifecycle (it supports Buildpack API 0.7 to 0.12):"
                + " API 0.2-0.6 were removed in lifecycle 0.18. Set `api = \"0.8\"` (or newer) in buildpack.toml.",
                BuildpackApi.parse("0.6").incompatibility().orElseThrow());
    }

    @Test
    void api01IsOlderStill() {
        assertEquals("buildpack API version '0.1' is incompatible with the lifecycle (it supports Buildpack API 0.7 to 0.12):"
                + " API 0.1 is older than any lifecycle pack uses today. Set `api = \"0.8\"` (or newer) in buildpack.toml"
                + " and move layer flags (launch, build, cache) under [types].",
                BuildpackApi.parse("0.1").incompatibility().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.13", "0.20", "1.0"})
    void newerThanTheLifecycleIsRefusedToo(String version) {
        BuildpackApi api = BuildpackApi.parse(version);
        assertFalse(api.isSupported());
        assertEquals("buildpack API version '" + version + "' is incompatible with the lifecycle (it supports Buildpack API"
                + " 0.7 to 0.12): API " + version + " is newer than the lifecycle knows. Set `api = \"0.12\"` (or older) in"
                + " buildpack.toml.", api.incompatibility().orElseThrow());
    }

    @Test
    void featuresByVersion() {
        BuildpackApi v05 = BuildpackApi.parse("0.5");
        BuildpackApi v06 = BuildpackApi.parse("0.6");
        BuildpackApi v07 = BuildpackApi.parse("0.7");
        BuildpackApi v08 = BuildpackApi.parse("0.8");
        BuildpackApi v09 = BuildpackApi.parse("0.9");
        BuildpackApi v010 = BuildpackApi.parse("0.10");
        BuildpackApi v011 = BuildpackApi.parse("0.11");
        BuildpackApi v012 = BuildpackApi.parse("0.12");

        assertFalse(v05.typesTable());
        assertTrue(v06.typesTable());
        assertTrue(v07.typesTable());

        assertFalse(v07.cnbEnv());
        assertTrue(v08.cnbEnv());

        assertFalse(v08.commandIsArray());
        assertTrue(v09.commandIsArray());

        assertFalse(v09.hasTargets());
        assertTrue(v010.hasTargets());

        assertFalse(v011.execEnv());
        assertTrue(v012.execEnv());
    }
}
