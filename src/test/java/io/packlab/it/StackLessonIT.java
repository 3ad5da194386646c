package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack lesson end to end through the real launcher and a real Docker engine: run, check,
 * drift (an image removed), reset; and the no-engine exit code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackLessonIT {

    private static final String STACK_ID = "com.example.stacks.distroless-python";

    @TempDir
    static Path work;

    private static DockerEngine engine;

    @BeforeAll
    static void docker() {
        engine = DockerSupport.engine();
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static Launcher.Result packlab(String... args) throws Exception {
        return Launcher.run(Map.of(), Launcher.cat(new String[] {"--workdir=" + work}, args));
    }

    @Test
    @Order(0)
    void doctorFindsTheEngine() throws Exception {
        Launcher.Result r = packlab("doctor");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("✔ Docker engine "), r.out());
        assertTrue(r.out().contains("The tutorial can run here."), r.out());
    }

    @Test
    @Order(1)
    void runStackBuildsBothImagesThroughTheEngineApiAndPassesItsChecks() throws Exception {
        Launcher.Result r = packlab("run", "stack");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("Step 1/"), "the build output is streamed: " + r.out());
        assertTrue(r.out().contains("lesson stack: all 9 checks passed"), r.out());

        ImageInfo build = engine.inspectImage("distroless-python:build").orElseThrow();
        ImageInfo run = engine.inspectImage("distroless-python:run").orElseThrow();
        assertEquals(STACK_ID, build.labels().get("io.buildpacks.stack.id"));
        assertEquals(STACK_ID, run.labels().get("io.buildpacks.stack.id"));
        assertEquals("stack", build.labels().get(Engine.LESSON_LABEL), "packlab labels what it builds");
        assertEquals("stack", run.labels().get(Engine.LESSON_LABEL));
        assertEquals("1000", build.envValue("CNB_USER_ID").orElseThrow());
        assertEquals("1000", build.envValue("CNB_GROUP_ID").orElseThrow());
        assertEquals(STACK_ID, build.envValue("CNB_STACK_ID").orElseThrow());
        assertFalse(run.user().isEmpty() || run.user().startsWith("0") || run.user().startsWith("root"), run.user());
    }

    @Test
    @Order(2)
    void checkPassesAfterwardsAndListShowsTheLessonDone() throws Exception {
        Launcher.Result r = packlab("check", "stack");
        assertEquals(0, r.code(), r.all());
        Launcher.Result list = packlab("list");
        assertTrue(list.out().matches("(?s)\\s*1\\s+stack\\s+done.*"), list.out());
    }

    @Test
    @Order(3)
    void removingTheRunImageMakesTheCheckFailNamingIt() throws Exception {
        assertTrue(engine.removeImage("distroless-python:run", false));
        Launcher.Result r = packlab("check", "stack");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.out().contains("✘ image distroless-python:run exists"), r.out());
        assertTrue(r.out().contains("found    no image distroless-python:run in the engine"), r.out());
        assertTrue(r.out().contains("hint     run the second docker build"), r.out());
        assertTrue(r.out().contains("at       lessons/en/01-stack.md:"), r.out());
        assertTrue(r.out().contains("checks failed"), r.out());
    }

    @Test
    @Order(4)
    void resetRemovesOnlyWhatPacklabMade() throws Exception {
        // an image of the learner's own, built without packlab: reset must leave it alone
        Path context = java.nio.file.Files.createDirectories(work.resolve("foreign"));
        java.nio.file.Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /\n");
        String foreign = "packlab-it-foreign:latest";
        engine.build(new io.packlab.engine.BuildRequest(context, java.util.Optional.empty(), java.util.List.of(foreign),
                Map.of(), Map.of(), false, false), io.packlab.engine.BuildListener.silent(),
                io.packlab.engine.Cancellation.none());
        try {
            Launcher.Result r = packlab("reset", "--yes");
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("removed image distroless-python:build"), r.out());
            assertTrue(engine.inspectImage("distroless-python:build").isEmpty());
            assertTrue(engine.listImages(Engine.labelFilter(Engine.LESSON_LABEL, "stack")).isEmpty(),
                    "no image labelled for the lesson is left");
            assertTrue(engine.inspectImage(foreign).isPresent(), "the learner's own image is left alone");
            Launcher.Result list = packlab("list");
            assertTrue(list.out().matches("(?s)\\s*1\\s+stack\\s+current.*"), list.out());
        } finally {
            engine.removeImage(foreign, true);
        }
    }

    @Test
    @Order(5)
    void withNoEngineTheExitCodeIsThreeAndTheMessageOneParagraph() throws Exception {
        Launcher.Result r = Launcher.run(Map.of("DOCKER_HOST", "unix:///nonexistent.sock"), "--workdir=" + work,
                "check", "stack");
        assertEquals(3, r.code(), r.all());
        assertEquals("", r.out());
        String err = r.err().strip();
        assertTrue(err.startsWith("error: packlab cannot reach a Docker engine at unix:///nonexistent.sock"), err);
        assertEquals(1, err.lines().count(), err);
        assertFalse(err.contains("Exception"), err);
    }
}
