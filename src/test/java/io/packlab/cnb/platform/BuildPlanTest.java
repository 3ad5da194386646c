package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.descriptor.BuildpackApi;
import io.packlab.cnb.platform.BuildPlan.Require;
import io.packlab.cnb.platform.BuildPlan.Run;
import io.packlab.cnb.platform.BuildPlan.Verdict;
import io.packlab.cnb.platform.DetectionOrder.Member;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;

class BuildPlanTest {

    private static final String WORLD_PLAN = """
            [[provides]]
            name = "some-world"

            [[requires]]
            name = "some-world"
            """;
    private static final String MOON_PLAN = """
            [[requires]]
            name = "some-world"

            [requires.metadata]
            world = "Earth-616"
            """;

    private static Member member(String key, boolean optional) {
        String[] idVersion = key.split("@");
        return new Member(idVersion[0], idVersion[1], BuildpackApi.parse("0.10"), null, optional);
    }

    private static Run pass(String key, String plan) {
        return new Run(member(key, false), 0, List.of(), plan);
    }

    private static Run passOptional(String key, String plan) {
        return new Run(member(key, true), 0, List.of(), plan);
    }

    private static List<String> keys(Verdict v) {
        return v.plan().orElseThrow().group().stream().map(Member::key).toList();
    }

    @Test
    void theProviderGetsEveryRequireOfItsNameWithTheRequirersMetadata() {
        Verdict v = BuildPlan.resolve(List.of(pass("world@1", WORLD_PLAN), pass("moon@1", MOON_PLAN)));
        assertTrue(v.passed(), v.lines().toString());
        BuildPlan plan = v.plan().get();
        assertEquals(List.of("world@1", "moon@1"), keys(v));
        assertEquals(List.of(new Require("some-world", Map.of()), new Require("some-world", Map.of("world", "Earth-616"))),
                plan.entriesFor("world"));
        assertEquals(List.of(), plan.entriesFor("moon"), "a buildpack that only requires gets no entries");
        assertEquals("""
                [[entries]]
                name = "some-world"

                [[entries]]
                name = "some-world"
                [entries.metadata]
                world = "Earth-616"

                """, BuildPlan.toml(plan.entriesFor("world")));
        assertEquals(List.of("pass: world@1", "pass: moon@1", "world 1", "moon  1"), v.lines(),
                "the participating buildpacks, aligned as the lifecycle prints them; a first try that holds is not shown");
    }

    @Test
    void aRequireMustBeProvidedByTheSameOrAnEarlierBuildpack() {
        Verdict v = BuildPlan.resolve(List.of(pass("moon@1", MOON_PLAN), pass("world@1", WORLD_PLAN)));
        assertFalse(v.passed());
        assertEquals("moon@1 requires some-world, which no buildpack at or before it in the group provides", v.reason());
        assertTrue(v.lines().contains("fail: moon@1 requires some-world"), v.lines().toString());
        assertFalse(v.errored());
    }

    @Test
    void aProvideMustBeRequiredByTheSameOrALaterBuildpack() {
        Verdict v = BuildPlan.resolve(List.of(pass("moon@1", "[[requires]]\nname = \"x\"\n[[provides]]\nname = \"x\"\n"),
                pass("world@1", "[[provides]]\nname = \"y\"\n")));
        assertFalse(v.passed());
        assertEquals("world@1 provides y, which no buildpack at or after it in the group requires", v.reason());
        assertTrue(v.lines().contains("fail: world@1 provides unused y"), v.lines().toString());
    }

    @Test
    void aBuildpackThatWritesNoPlanTakesPartWithNoEntries() {
        Verdict v = BuildPlan.resolve(List.of(pass("plain@1", ""), pass("world@1", WORLD_PLAN)));
        assertEquals(List.of("plain@1", "world@1"), keys(v));
        assertEquals(List.of(), v.plan().get().entriesFor("plain"));
        assertEquals(List.of(new Require("some-world", Map.of())), v.plan().get().entriesFor("world"));
    }

    @Test
    void anOptionalBuildpackWhosePlanDoesNotMatchIsDroppedWithItsEntries() {
        Verdict v = BuildPlan.resolve(List.of(pass("world@1", WORLD_PLAN),
                passOptional("extra@1", "[[provides]]\nname = \"unused\"\n[[requires]]\nname = \"some-world\"\n"
                        + "[requires.metadata]\nfrom = \"extra\"\n"),
                pass("moon@1", MOON_PLAN)));
        assertEquals(List.of("world@1", "moon@1"), keys(v));
        assertTrue(v.lines().contains("skip: extra@1 provides unused unused"), v.lines().toString());
        assertTrue(v.lines().contains("2 of 3 buildpacks participating"), v.lines().toString());
        assertEquals(List.of(new Require("some-world", Map.of()), new Require("some-world", Map.of("world", "Earth-616"))),
                v.plan().get().entriesFor("world"), "the dropped buildpack's require is not in the plan");
    }

    @Test
    void droppingAnOptionalBuildpackCanLeaveAnotherUnmet() {
        // the optional provider is dropped (it requires what nobody provides); then moon's require is unmet
        Verdict v = BuildPlan.resolve(List.of(
                passOptional("world@1", "[[provides]]\nname = \"some-world\"\n[[requires]]\nname = \"nothing\"\n"),
                pass("moon@1", MOON_PLAN)));
        assertFalse(v.passed());
        assertTrue(v.lines().contains("skip: world@1 requires nothing"), v.lines().toString());
        assertTrue(v.lines().contains("fail: moon@1 requires some-world"), v.lines().toString());
    }

    @Test
    void anOptionalBuildpackThatFailsDetectIsSkippedAndARequiredOneFailsTheGroup() {
        Verdict skipped = BuildPlan.resolve(List.of(pass("world@1", WORLD_PLAN),
                new Run(member("opt@1", true), 100, List.of("opt: not here"), "")));
        assertEquals(List.of("world@1"), keys(skipped));
        assertEquals("skip: opt@1", skipped.lines().get(1));
        assertTrue(skipped.lines().contains("1 of 2 buildpacks participating"), skipped.lines().toString());

        Verdict failed = BuildPlan.resolve(List.of(pass("world@1", WORLD_PLAN),
                new Run(member("moon@1", false), 100, List.of("moon: no moon here"), "")));
        assertFalse(failed.passed());
        assertEquals(List.of("pass: world@1", "fail: moon@1"), failed.lines());
        assertEquals("moon@1 failed detection (exit code 100: moon: no moon here)", failed.reason());
    }

    @Test
    void aDetectErrorIsAnErrEvenWhenOptionalAndFailsTheGroupWhenRequired() {
        Verdict optional = BuildPlan.resolve(List.of(pass("world@1", WORLD_PLAN),
                new Run(member("opt@1", true), 3, List.of(), "")));
        assertTrue(optional.passed());
        assertTrue(optional.errored());
        assertEquals("err:  opt@1 (3)", optional.lines().get(1));

        Verdict required = BuildPlan.resolve(List.of(new Run(member("bad@1", false), 2, List.of("boom"), "")));
        assertFalse(required.passed());
        assertEquals("bad@1 errored in detect (exit code 2: boom)", required.reason());
    }

    @Test
    void aGroupOfOnlyFailedOptionalBuildpacksFails() {
        Verdict v = BuildPlan.resolve(List.of(new Run(member("a@1", true), 100, List.of(), ""),
                new Run(member("b@1", true), 100, List.of(), "")));
        assertFalse(v.passed());
        assertEquals(List.of("skip: a@1", "skip: b@1", "fail: no viable buildpacks in group"), v.lines());
    }

    @Test
    void orAlternativesAreTriedInOrderDepthFirst() {
        // node: top-level requires "npm" (nobody provides); the [[or]] alternative provides and requires "node"
        String node = """
                [[provides]]
                name = "node"
                [[requires]]
                name = "npm"

                [[or]]
                [[or.provides]]
                name = "node"
                [[or.requires]]
                name = "node"
                [or.requires.metadata]
                version = "20"
                """;
        Verdict v = BuildPlan.resolve(List.of(pass("node@1", node), pass("app@1", "[[requires]]\nname = \"node\"\n")));
        assertTrue(v.passed(), v.lines().toString());
        assertEquals(List.of("Resolving plan... (try #1)", "fail: node@1 requires npm", "Resolving plan... (try #2)"),
                v.lines().subList(2, 5));
        assertEquals(List.of(new Require("node", Map.of("version", "20")), new Require("node", Map.of())),
                v.plan().get().entriesFor("node"));
    }

    @Test
    void theFirstAlternativeOfTheFirstBuildpackIsKeptWhileALaterBuildpacksAlternativesAreTried() {
        String a = "[[provides]]\nname = \"x\"\n[[or]]\n[[or.provides]]\nname = \"y\"\n";
        String b = "[[requires]]\nname = \"y\"\n[[or]]\n[[or.requires]]\nname = \"x\"\n";
        Verdict v = BuildPlan.resolve(List.of(pass("a@1", a), pass("b@1", b)));
        assertTrue(v.passed());
        assertEquals("x", v.plan().get().entries().get(0).name(), "a's first alternative with b's second: try #2");
        assertTrue(v.lines().contains("Resolving plan... (try #2)"));
        assertFalse(v.lines().contains("Resolving plan... (try #3)"));
    }

    @Test
    void anOptionalBuildpackIsDroppedOnlyInItsLastAlternative() {
        // opt's first alternative breaks the plan: it is not dropped there, its [[or]] is tried and matches
        String opt = "[[provides]]\nname = \"some-world\"\n[[provides]]\nname = \"z\"\n"
                + "[[or]]\n[[or.provides]]\nname = \"some-world\"\n";
        Verdict v = BuildPlan.resolve(List.of(passOptional("opt@1", opt), pass("moon@1", MOON_PLAN)));
        assertEquals(List.of("opt@1", "moon@1"), keys(v));
        assertTrue(v.lines().contains("fail: opt@1 provides unused z"), v.lines().toString());
        assertEquals(List.of(new Require("some-world", Map.of("world", "Earth-616"))), v.plan().get().entriesFor("opt"));
    }

    @Test
    void severalProvidersEachGetTheEntryAndUnmetPassesItOn() {
        String provider = "[[provides]]\nname = \"jdk\"\n";
        Verdict v = BuildPlan.resolve(List.of(pass("first@1", provider), pass("second@1", provider),
                pass("app@1", "[[requires]]\nname = \"jdk\"\n[requires.metadata]\nversion = \"21\"\n")));
        BuildPlan plan = v.plan().orElseThrow();
        List<Require> jdk = List.of(new Require("jdk", Map.of("version", "21")));
        assertEquals(jdk, plan.entriesFor("first"));
        assertEquals(jdk, plan.entriesFor("second"));

        assertEquals(List.of(), plan.afterBuild("first", "first@1", List.of()).entriesFor("second"),
                "met by the first provider: the next one does not get it");
        BuildPlan unmet = plan.afterBuild("first", "first@1", List.of("jdk"));
        assertEquals(jdk, unmet.entriesFor("second"), "declared unmet: passed on to the next provider");
        assertEquals(List.of(), unmet.afterBuild("second", "second@1", List.of()).entriesFor("second"));
    }

    @Test
    void anUnmetNameMustBeOneOfTheBuildpacksEntries() {
        BuildPlan plan = BuildPlan.resolve(List.of(pass("world@1", WORLD_PLAN), pass("moon@1", MOON_PLAN)))
                .plan().orElseThrow();
        PlatformException wrong = assertThrows(PlatformException.class, () -> plan.afterBuild("world", "world@1",
                List.of("some-moon")));
        assertEquals("buildpack world@1 wrote unmet.name 'some-moon' in build.toml, but it must match a requested"
                + " dependency: its plan has only some-world. Fix the name, or remove the [[unmet]] entry.",
                wrong.getMessage());
        PlatformException empty = assertThrows(PlatformException.class, () -> plan.afterBuild("world", "world@1",
                List.of("")));
        assertTrue(empty.getMessage().contains("unmet.name is required"), empty.getMessage());
    }

    @Test
    void aTopLevelVersionOrAPlanThatIsNotTomlIsADetectError() {
        Verdict version = BuildPlan.resolve(List.of(pass("a@1",
                "[[provides]]\nname = \"x\"\n[[requires]]\nname = \"x\"\nversion = \"1.2\"\n")));
        assertFalse(version.passed());
        assertTrue(version.errored());
        assertEquals("a@1: buildpack a@1 has a \"version\" key which is not supported. \"metadata.version\" should be"
                + " used instead (in [[requires]] \"x\")", version.reason());

        Verdict notToml = BuildPlan.resolve(List.of(pass("a@1", "[[provides]\nname = x\n")));
        assertTrue(notToml.reason().startsWith("a@1: buildpack a@1 wrote a build plan that is not TOML (line 1,"),
                notToml.reason());
        Verdict noName = BuildPlan.resolve(List.of(pass("a@1", "[[or]]\n[[or.requires]]\nversion = \"1\"\n")));
        assertTrue(noName.reason().contains("[[or.requires]] entry without a name"), noName.reason());
    }

    @Test
    void metadataOfAnyShapeIsWrittenAsTomlThatReadsBackTheSame() {
        String detect = """
                [[provides]]
                name = "x"
                [[requires]]
                name = "x"
                [requires.metadata]
                "odd key" = "quote \\" and \\\\ and\\nnewline"
                n = 3
                f = 1.5
                on = true
                when = 2024-05-01T10:00:00Z
                day = 2024-05-01
                list = [1, 2]
                [requires.metadata.nested]
                deep = { a = "b" }
                tables = [{ k = "v" }]
                """;
        BuildPlan plan = BuildPlan.resolve(List.of(pass("a@1", detect))).plan().orElseThrow();
        String toml = BuildPlan.toml(plan.entriesFor("a"));
        var read = Toml.parse(toml);
        assertFalse(read.hasErrors(), read.errors() + "\n" + toml);
        var original = Toml.parse(detect).getArray("requires").getTable(0).getTable("metadata").toMap();
        assertEquals(original.keySet(), read.getArray("entries").getTable(0).getTable("metadata").toMap().keySet());
        assertEquals(BuildPlan.parse(detect.replace("[[requires]]", "[[requires]]"), "a@1").alternatives().get(0)
                .requires().get(0).metadata(), BuildPlan.parse(toml.replace("[[entries]]", "[[requires]]")
                .replace("[entries.metadata]", "[requires.metadata]") + "[[provides]]\nname = \"x\"\n", "a@1")
                .alternatives().get(0).requires().get(0).metadata());
    }
}
