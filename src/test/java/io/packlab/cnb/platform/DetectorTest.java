package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorTest {

    @TempDir
    Path dir;

    /** A container whose bin/detect passes for the ids in {@code passing} and writes {@code plans} of those. */
    private MemoryContainer container(List<String> passing, Map<String, String> plans, List<String> detected) {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        memory.onExec = (exec, lines) -> {
            String cmd = exec.command().get(0);
            if (!cmd.endsWith("/bin/detect")) {
                return 0;
            }
            String id = cmd.substring("/cnb/buildpacks/".length(), cmd.indexOf('/', "/cnb/buildpacks/".length()));
            detected.add(id);
            lines.accept("detect of " + id);
            String plan = exec.command().get(2);
            Path p = memory.path(plan);
            Files.createDirectories(p.getParent());
            Files.writeString(p, plans.getOrDefault(id, ""));
            return passing.contains(id) ? 0 : 100;
        };
        return memory;
    }

    private Detector detector(MemoryContainer memory, RecordingReporter out) {
        BuildContainer c = new BuildContainer(memory, new CnbUser(1000, 1001), out, Cancellation.none());
        return new Detector(c, new BuildpackEnv(c, Fixtures.builder(), PlatformEnv.none(), Map.of("a@1.0.0", false,
                "b@1.0.0", false, "c@1.0.0", false)), out);
    }

    @Test
    void theFirstGroupThatPassesIsKeptWithItsPlanAndEachBuildpackDetectsOnce() throws Exception {
        List<String> detected = new ArrayList<>();
        MemoryContainer memory = container(List.of("a", "c"), Map.of("a", "[[provides]]\nname = \"x\"\n",
                "c", "[[requires]]\nname = \"x\"\n[requires.metadata]\nv = \"1\"\n"), detected);
        RecordingReporter out = new RecordingReporter();
        Detector.Detected d = detector(memory, out).detect(List.of(
                List.of(Fixtures.bp("a", "0.10"), Fixtures.bp("b", "0.10")),
                List.of(Fixtures.bp("a", "0.10"), Fixtures.bp("c", "0.10"))), dir);
        assertEquals(List.of("a", "b", "c"), detected, "a ran once though two groups hold it");
        assertEquals(List.of("a@1.0.0", "c@1.0.0"), d.group().stream().map(GroupMember::key).toList());
        assertEquals(List.of(new BuildPlan.Require("x", Map.of("v", "1"))), d.plan().entriesFor("a"));
        assertEquals(List.of("detect of a", "detect of b", "detect of c"), out.output);
        assertTrue(out.lines.contains("pass: a@1.0.0"), out.lines.toString());
        MemoryContainer.Exec detectA = memory.execs.stream().filter(e -> e.command().get(0).endsWith("a/1.0.0/bin/detect"))
                .findFirst().orElseThrow();
        assertEquals("1000:1001", detectA.user());
        assertEquals(Cnb.PLATFORM_DIR, detectA.env().get("CNB_PLATFORM_DIR"));
        assertEquals("/tmp/packlab/plan-1.toml", detectA.env().get("CNB_BUILD_PLAN_PATH"));
        assertEquals("debian", detectA.env().get("CNB_TARGET_DISTRO_NAME"));
        assertEquals(List.of("/cnb/buildpacks/a/1.0.0/bin/detect", Cnb.PLATFORM_DIR, "/tmp/packlab/plan-1.toml"),
                detectA.command());
        assertEquals(List.of(), memory.scripts(), "the plan files are made before detect, with the build's folders");
    }

    @Test
    void thePlanFilesAreOnePerBuildpackOfTheOrderInTheOrderTheyFirstAppear() {
        assertEquals(List.of("/tmp/packlab/plan-1.toml", "/tmp/packlab/plan-2.toml", "/tmp/packlab/plan-3.toml"),
                Detector.planFiles(List.of(List.of(Fixtures.bp("a", "0.10"), Fixtures.bp("b", "0.10")),
                        List.of(Fixtures.bp("a", "0.10"), Fixtures.bp("c", "0.10")))));
    }

    @Test
    void noGroupPassingIsExitCodeOneNamingEachGroupAndTheAppFolder() {
        MemoryContainer memory = container(List.of(), Map.of(), new ArrayList<>());
        PlatformException e = assertThrows(PlatformException.class, () -> detector(memory, new RecordingReporter())
                .detect(List.of(List.of(Fixtures.bp("a", "0.10")), List.of(Fixtures.bp("b", "0.10"))), dir));
        assertEquals(1, e.exitCode());
        assertTrue(e.getMessage().startsWith("No buildpack groups passed detection: group 1 (a@1.0.0): "),
                e.getMessage());
        assertTrue(e.getMessage().contains("; group 2 (b@1.0.0): "), e.getMessage());
        assertTrue(e.getMessage().contains("the app folder was " + dir), e.getMessage());
    }
}
