package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildpackRunnerTest {

    @TempDir
    Path dir;

    private BuildpackRunner runner(MemoryContainer memory, RecordingReporter out) {
        BuildContainer c = new BuildContainer(memory, new CnbUser(1000, 1001), out, Cancellation.none());
        return new BuildpackRunner(c, new BuildpackEnv(c, Fixtures.builder(), PlatformEnv.none(), Map.of("a@1.0.0",
                false, "b@1.0.0", false)), out);
    }

    private static Detector.Detected detected(String providerPlan, String requirerPlan) {
        BuildPlan.Verdict v = BuildPlan.resolve(List.of(
                new BuildPlan.Run(Fixtures.bp("a", "0.10").member(), 0, List.of(), providerPlan),
                new BuildPlan.Run(Fixtures.bp("b", "0.10").member(), 0, List.of(), requirerPlan)));
        return new Detector.Detected(List.of(Fixtures.bp("a", "0.10"), Fixtures.bp("b", "0.10")), v.plan().orElseThrow());
    }

    @Test
    void eachBuildpackGetsItsPlanAndSeesTheBuildLayersOfThoseBeforeIt() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        memory.onExec = (exec, lines) -> {
            if (exec.command().get(0).equals("/cnb/buildpacks/a/1.0.0/bin/build")) {
                lines.accept("building a");
                memory.file("/layers/a/tools.toml", "[types]\nbuild = true\n");
                memory.file("/layers/a/tools/bin/tool", "#!/bin/sh\n");
            }
            return 0;
        };
        RecordingReporter out = new RecordingReporter();
        Path layers = Files.createDirectories(dir.resolve("layers"));
        runner(memory, out).build(detected("[[provides]]\nname = \"x\"\n", "[[requires]]\nname = \"x\"\n"
                + "[requires.metadata]\nv = \"1\"\n"), layers, CachedLayers.none());

        assertEquals(List.of("Running the build of a 1.0.0", "Running the build of b 1.0.0"), out.lines);
        assertEquals(List.of("building a"), out.output);
        String plan = Files.readString(memory.path("/tmp/packlab/bpplan-a.toml"));
        assertTrue(plan.contains("name = \"x\"") && plan.contains("v = \"1\""), "the provider gets the entry: " + plan);
        MemoryContainer.Exec buildB = memory.execs.stream().filter(e -> e.command().get(0).endsWith("b/1.0.0/bin/build"))
                .findFirst().orElseThrow();
        assertEquals("/layers/a/tools/bin:/usr/bin:/bin", buildB.env().get("PATH"));
        assertEquals(List.of("/cnb/buildpacks/b/1.0.0/bin/build", "/layers/b", Cnb.PLATFORM_DIR,
                "/tmp/packlab/bpplan-b.toml"), buildB.command());
        assertTrue(Files.isRegularFile(layers.resolve("a/tools.toml")), "a's layers came back to the host");
        assertTrue(Files.isDirectory(memory.path("/layers/b")), "b's layers folder came in with its plan");
    }

    @Test
    void aFailingBuildIsExitCodeOneNamingTheBuildpack() {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        memory.onExec = (exec, lines) -> exec.command().get(0).endsWith("/bin/build") ? 7 : 0;
        PlatformException e = assertThrows(PlatformException.class, () -> runner(memory, new RecordingReporter())
                .build(detected("", ""), Files.createDirectories(dir.resolve("layers")), CachedLayers.none()));
        assertEquals("buildpack a@1.0.0 failed to build: bin/build exited with code 7 (its output is above). No image"
                + " was made.", e.getMessage());
        assertEquals(1, e.exitCode());
    }

    @Test
    void theHostGetsTheTomlFilesEnvFoldersAndPathMarkersButNoLayerContent() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        memory.onExec = (exec, lines) -> {
            if (exec.command().get(0).equals("/cnb/buildpacks/a/1.0.0/bin/build")) {
                memory.file("/layers/a/launch.toml", "[[processes]]\ntype = \"web\"\ncommand = [\"x\"]\n");
                memory.file("/layers/a/big.toml", "[types]\nlaunch = true\n");
                memory.file("/layers/a/.hidden.toml", "[types]\n");
                memory.file("/layers/a/big/data", "the layer's content");
                memory.file("/layers/a/big/bin/tool", "#!/bin/sh\n");
                memory.file("/layers/a/big/lib/libx.so", "elf");
                memory.file("/layers/a/big/env/FOO.override", "1");
                memory.file("/layers/a/big/env.build/BAR.default", "2");
                memory.file("/layers/a/big/env.launch/web/BAZ.override", "3");
                memory.file("/layers/a/it's here/data", "more content");
                Files.createSymbolicLink(memory.path("/layers/a/link.toml"), Path.of("big.toml"));
            }
            return 0;
        };
        Path layers = Files.createDirectories(dir.resolve("layers"));
        runner(memory, new RecordingReporter()).build(detected("", ""), layers, CachedLayers.none());

        Path a = layers.resolve("a");
        for (String kept : List.of("launch.toml", "big.toml", ".hidden.toml", "big/env/FOO.override",
                "big/env.build/BAR.default", "big/env.launch/web/BAZ.override")) {
            assertTrue(Files.isRegularFile(a.resolve(kept)), kept + " is on the host");
        }
        assertEquals("1", Files.readString(a.resolve("big/env/FOO.override")));
        assertTrue(Files.isSymbolicLink(a.resolve("link.toml")), "a symlink stays a symlink");
        assertTrue(Files.isDirectory(a.resolve("big/bin")) && Files.isDirectory(a.resolve("big/lib")));
        assertTrue(Files.isDirectory(a.resolve("it's here")), "a layer folder with a quote in its name");
        for (String left : List.of("big/data", "big/bin/tool", "big/lib/libx.so", "it's here/data")) {
            assertTrue(Files.notExists(a.resolve(left)), left + " stays in the container");
        }
    }
}
