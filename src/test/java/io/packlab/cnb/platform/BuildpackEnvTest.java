package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildpackEnvTest {

    @TempDir
    Path dir;

    private PlatformEnv userEnv() throws Exception {
        Path user = Files.createDirectories(dir.resolve("env/user"));
        Files.writeString(user.resolve("GREETING"), "hi");
        return PlatformEnv.read(user, dir.resolve("env/none"));
    }

    private BuildpackEnv env(MemoryContainer memory, Map<String, Boolean> known) throws Exception {
        BuildContainer c = new BuildContainer(memory, new CnbUser(1000, 1001), new RecordingReporter(),
                Cancellation.none());
        return new BuildpackEnv(c, Fixtures.builder(), userEnv(), known);
    }

    @Test
    void aDescriptorAlreadyReadDecidesClearEnvWithoutAskingTheContainer() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        BuildpackEnv env = env(memory, Map.of("a@1.0.0", true, "b@1.0.0", false));
        assertNull(env.detect(Fixtures.bp("a", "0.10"), "/p").get("GREETING"), "clear-env: no user env");
        assertEquals("hi", env.detect(Fixtures.bp("b", "0.10"), "/p").get("GREETING"));
        assertEquals(List.of(), memory.copiedOut, "no buildpack.toml was read from the container");
    }

    @Test
    void aBuilderBuildpacksClearEnvIsReadFromTheContainerOnce() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        memory.file("/cnb/buildpacks/c/1.0.0/buildpack.toml", "api = \"0.10\"\n[buildpack]\nid = \"c\"\nversion ="
                + " \"1.0.0\"\nclear-env = true\n");
        BuildpackEnv env = env(memory, Map.of());
        GroupMember c = Fixtures.bp("c", "0.10");
        assertNull(env.detect(c, "/p").get("GREETING"));
        assertNull(env.build(c, new LaunchEnv(List.of()), "/p").get("GREETING"));
        assertEquals(List.of("/cnb/buildpacks/c/1.0.0/buildpack.toml"), memory.copiedOut);
    }

    @Test
    void buildEnvCarriesTheApisVariablesAndEarlierBuildLayersPath() throws Exception {
        BuildpackEnv env = env(new MemoryContainer(dir.resolve("root")), Map.of("a@1.0.0", false));
        LaunchEnv layers = new LaunchEnv(List.of());
        layers.prepend("PATH", "/layers/x/tools/bin", ":");
        Map<String, String> vars = env.build(Fixtures.bp("a", "0.12"), layers, "/tmp/packlab/bpplan-a.toml");
        assertEquals("/layers/x/tools/bin:/usr/bin:/bin", vars.get("PATH"));
        assertEquals("/layers/a", vars.get("CNB_LAYERS_DIR"));
        assertEquals("/tmp/packlab/bpplan-a.toml", vars.get("CNB_BP_PLAN_PATH"));
        assertEquals("production", vars.get("CNB_EXEC_ENV"));
        assertEquals("/cnb/buildpacks/a/1.0.0", vars.get("CNB_BUILDPACK_DIR"));
        assertFalse(vars.containsKey("HOME"), "what the builder sets is inherited, not repeated");
        Map<String, String> old = env.build(Fixtures.bp("a", "0.7"), new LaunchEnv(List.of()), "/p");
        assertFalse(old.containsKey("CNB_LAYERS_DIR"), "Buildpack API 0.7 has arguments only");
        assertTrue(old.containsKey("CNB_BUILDPACK_DIR"));
    }
}
