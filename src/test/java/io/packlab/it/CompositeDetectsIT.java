package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.CheckContext;
import io.packlab.check.CheckLanguage;
import io.packlab.check.CheckResult;
import io.packlab.engine.BuildListener;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.error.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code buildpack PATH detects APP on IMAGE} on a composite buildpack, on a real engine, with the buildpacks of
 * {@code src/test/resources/it/composite}: its order's buildpacks found in the folders next to it, or in the image's
 * {@code /cnb/buildpacks}; a group whose plan does not match fails; a buildpack found nowhere is a failed check that
 * says it cannot judge. Uses its own image name (packlab-it-compdetect) and the local Debian base.
 */
class CompositeDetectsIT {

    private static final String LABEL = "packlab-it-compdetect";
    private static final String BASE = "packlab-base/debian:bookworm-slim";
    private static final String HOLDER = "packlab-it-compdetect-holder:latest";
    private static final SourceLocation AT = new SourceLocation(Path.of("lessons/en/99-test.md"), 7);

    @TempDir
    static Path work;

    private static DockerEngine engine;
    private static Set<String> before;

    @BeforeAll
    static void fixtures() throws Exception {
        DockerSupport.requireDocker();
        engine = DockerSupport.engine();
        assertTrue(engine.inspectImage(BASE).isPresent(), BASE + " is made by scripts/make-bases.sh");
        before = DockerSupport.leftovers(engine);
        Path fixtures = Launcher.HOME.resolve("src/test/resources/it/composite");
        DockerSupport.copyTree(fixtures.resolve("buildpacks"), work.resolve("buildpacks"));
        DockerSupport.copyTree(fixtures.resolve("app"), work.resolve("app"));
        // a composite whose groups never match a plan: hello-moon requires what nobody provides, other-world provides
        // what nobody requires
        Files.createDirectories(work.resolve("buildpacks/unmatched"));
        Files.writeString(work.resolve("buildpacks/unmatched/buildpack.toml"), """
                api = "0.10"

                [buildpack]
                id = "packlab-test/unmatched"
                version = "0.0.1"

                [[order]]
                [[order.group]]
                id = "packlab-test/hello-moon"
                version = "0.0.1"

                [[order]]
                [[order.group]]
                id = "packlab-test/other-world"
                version = "0.0.1"
                """);
        // a composite whose buildpack.toml does not read (an order entry without its version)
        Files.createDirectories(work.resolve("broken/universe"));
        Files.writeString(work.resolve("broken/universe/buildpack.toml"), """
                api = "0.10"

                [buildpack]
                id = "packlab-test/broken"
                version = "0.0.1"

                [[order]]
                [[order.group]]
                id = "packlab-test/hello-moon"
                """);
        // the composite alone, its buildpacks nowhere near it
        DockerSupport.copyTree(fixtures.resolve("buildpacks/hello-universe"), work.resolve("alone/hello-universe"));
        // an image that holds the composite's buildpacks as a builder does
        Path context = Files.createDirectories(work.resolve("holder"));
        DockerSupport.copyTree(fixtures.resolve("buildpacks/hello-world"), context.resolve("world"));
        DockerSupport.copyTree(fixtures.resolve("buildpacks/hello-moon"), context.resolve("moon"));
        Files.writeString(context.resolve("Dockerfile"), """
                FROM %s
                COPY world /cnb/buildpacks/packlab-test_hello-world/0.0.1
                COPY moon /cnb/buildpacks/packlab-test_hello-moon/0.0.1
                LABEL io.buildpacks.buildpack.layers='{"packlab-test/hello-world":{"0.0.1":{"api":"0.10"}},\
                "packlab-test/hello-moon":{"0.0.1":{"api":"0.9"}}}'
                """.formatted(BASE));
        engine.build(new BuildRequest(context, Optional.empty(), List.of(HOLDER), Map.of(),
                Map.of(Engine.LESSON_LABEL, LABEL), false, false), BuildListener.silent(), Cancellation.none());
    }

    @AfterAll
    static void cleanUp() {
        if (engine == null) {
            return;
        }
        try {
            engine.listImages(Engine.labelFilter(Engine.LESSON_LABEL, LABEL)).forEach(i -> engine.removeImage(i.id(),
                    true));
            assertEquals(before, DockerSupport.leftovers(engine), "no container, volume or dangling image left");
        } finally {
            engine.close();
        }
    }

    private static CheckResult check(String line) {
        return CheckLanguage.standard().parse(line, AT).orElseThrow().evaluate(new CheckContext(engine, work,
                name -> Optional.empty()));
    }

    @Test
    void aGroupOfItsOrderPassesWithTheBuildpacksNextToIt() {
        CheckResult r = check("buildpack buildpacks/hello-universe detects app on " + BASE);
        assertTrue(r.passed(), r.expected() + " / " + r.found());
        assertTrue(r.found().startsWith("group 1 (packlab-test/hello-world@0.0.1, packlab-test/hello-moon@0.0.1)"
                + " passed: pass: packlab-test/hello-world@0.0.1 / pass: packlab-test/hello-moon@0.0.1"), r.found());
        assertEquals(before, DockerSupport.leftovers(engine), "the check's container is gone");
    }

    @Test
    void aComponentBuildpackIsStillJudgedByItsOwnDetect() {
        CheckResult r = check("buildpack buildpacks/hello-world detects app on " + BASE);
        assertTrue(r.passed(), r.found());
        assertEquals("detect exited with 0 (hello-world: I provide some-world)", r.found());
    }

    @Test
    void groupsWhosePlanDoesNotMatchFailWithEachGroupsReason() {
        CheckResult r = check("buildpack buildpacks/unmatched detects app on " + BASE);
        assertFalse(r.passed());
        assertEquals("a group of the order of composite buildpack buildpacks/unmatched passes detect on app in " + BASE,
                r.expected());
        assertTrue(r.found().startsWith("no group passed: group 1 (packlab-test/hello-moon@0.0.1): "), r.found());
        assertTrue(r.found().contains("; group 2 (packlab-test/other-world@0.0.1): "), r.found());
        assertTrue(r.found().contains("some-world"), "the unmatched dependency is named: " + r.found());
        assertEquals(before, DockerSupport.leftovers(engine));
    }

    @Test
    void buildpacksFoundNowhereMakeACheckThatSaysItCannotJudge() {
        CheckResult r = check("buildpack alone/hello-universe detects app on " + BASE);
        assertFalse(r.passed());
        assertEquals("cannot judge: composite buildpack packlab-test/hello-universe@0.0.1 names"
                + " packlab-test/hello-world@0.0.1, which is not in the folders next to alone/hello-universe (in alone)"
                + " or " + BASE + ", which holds no buildpacks; composite buildpack packlab-test/hello-universe@0.0.1"
                + " names packlab-test/hello-moon@0.0.1, which is not in the folders next to alone/hello-universe (in"
                + " alone) or " + BASE + ", which holds no buildpacks. Put the folder of each buildpack of its order"
                + " next to alone/hello-universe, or check on a builder image that has them.", r.found());
    }

    @Test
    void aCompositeWhoseDescriptorDoesNotReadIsNamedWithTheReason() {
        CheckResult r = check("buildpack broken/universe detects app on " + BASE);
        assertFalse(r.passed());
        assertTrue(r.found().startsWith("no executable broken/universe/bin/detect, and "), r.found());
        assertTrue(r.found().contains("buildpack.toml:") && r.found().contains("version"), r.found());
    }

    @Test
    void buildpacksOfTheImageAnswerWhatTheFoldersDoNot() {
        CheckResult r = check("buildpack alone/hello-universe detects app on " + HOLDER);
        assertTrue(r.passed(), r.found());
        assertTrue(r.found().contains("pass: packlab-test/hello-moon@0.0.1"), r.found());
        assertEquals(before, DockerSupport.leftovers(engine));
    }
}
