package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.term.DisplayWidth;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instructor demo through the real launcher on a real engine, input not a terminal (it must not
 * wait): the stack lesson, then the whole tutorial with the built-in platform; reset after each.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {

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
        return Launcher.run(Map.of("COLUMNS", "60"), Launcher.cat(new String[] {"--workdir=" + work}, args));
    }

    private static void reset() throws Exception {
        Launcher.Result r = packlab("reset", "--yes");
        assertEquals(0, r.code(), r.all());
        assertTrue(engine.listImages(Engine.labelFilter(Engine.LESSON_LABEL, null)).isEmpty(),
                "reset leaves none of packlab's images");
    }

    @Test
    @Order(1)
    void demoOfTheStackLessonTypesItsCommandsRunsThemAndShowsTheChecks() throws Exception {
        try {
            Launcher.Result r = packlab("demo", "stack", "--no-wait", "--pace", "0");
            assertEquals(0, r.code(), r.all());
            String out = r.out();
            assertTrue(out.contains("Lesson 1 · Create a stack"), out);
            assertTrue(out.contains(". $ cd stacks/distroless-python\n"), "typed: " + out);
            // 60 columns: the typed docker build is wrapped with a continuation marker
            assertTrue(out.contains("stacks/distroless-python $ docker build -t \\\n    distroless-python:build"
                    + " ./build\n"), out);
            assertEquals(2, out.split("docker build -t", -1).length - 1, "each build typed once, not echoed again: " + out);
            assertTrue(out.contains("Step 1/"), "the build ran: " + out);
            assertTrue(out.contains("✔ image distroless-python:run user not root"), out);
            assertTrue(out.contains("✔ lesson stack: all 9 checks passed"), out);
            assertTrue(!out.contains("press Enter"), "no waiting when input is not a terminal: " + out);
            // every line but the check report (printed as run prints it) fits 60 columns
            List<String> wide = out.lines().filter(l -> !l.startsWith("✔") && !l.startsWith("✘"))
                    .filter(l -> DisplayWidth.of(l) > 60).toList();
            assertEquals(List.of(), wide, out);
        } finally {
            reset();
        }
    }

    @Test
    @Order(2)
    void demoOfTheWholeTutorialCompletesWithoutWaiting() throws Exception {
        try {
            long start = System.nanoTime();
            Launcher.Result r = packlab("--engine", "builtin", "demo", "--all", "--no-wait");
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertEquals(0, r.code(), r.all());
            for (String lesson : List.of("stack", "buildpack", "package", "builder", "build", "add-buildpack",
                    "rebase")) {
                assertTrue(r.out().matches("(?s).*✔ lesson " + lesson + ": all \\d+ checks passed.*"),
                        lesson + "\n" + r.out());
            }
            assertTrue(r.out().contains("demo: the checks of all 7 lessons passed"), r.out());
            System.out.println("demo --all --no-wait took " + seconds + " s");
        } finally {
            reset();
        }
    }
}
