package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.CheckLanguage;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.LessonCatalog;
import io.packlab.lesson.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learner who types the lessons into the shell, at a 60-column terminal (tmux), the lines exactly as
 * the lessons (en) write them: lesson 1's {@code cd} leaves the shell in the stack's folder, {@code next}
 * brings it back to the work folder, so lesson 2's lines land where the lesson says and its checks
 * pass; lessons 6 and 7's file edits ({@code sed}, {@code printf}, {@code tail}) are typed as written
 * and their checks pass; {@code edit} opens vi on the terminal and gives the terminal back.
 */
class TypedFlowIT {

    private static final Duration STEP = Duration.ofMinutes(10);
    private static final Map<String, String> ENV = Map.of("PACKLAB_BASES", "local");

    @TempDir
    Path work;

    @TempDir
    Path home;

    private Tmux tmux;
    private final LessonCatalog lessons = LessonCatalog.load(Launcher.HOME.resolve("lessons/en"),
            CheckLanguage.standard());

    @BeforeEach
    void engine() {
        DockerSupport.requireDocker();
        DockerSupport.requireProgram("tmux");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (tmux != null) {
            tmux.close();
        }
        Launcher.Result reset = Launcher.run(Map.of(), "--workdir=" + work, "reset", "--yes");
        assertEquals(0, reset.code(), reset.all());
    }

    private void startShell() throws Exception {
        tmux = Tmux.start("packlab-flow", 60, 40, "cd " + Launcher.HOME + " && HOME=" + home
                + " NO_COLOR=1 PACKLAB_BASES=local EDITOR= VISUAL= ./packlab --workdir " + work
                + " --engine builtin; echo \"[packlab exited with $?]\"; sleep 600");
        tmux.await("the shell's first prompt", s -> Tmux.BARE_PROMPT.matcher(Tmux.lastLine(s)).matches(),
                Duration.ofMinutes(3));
    }

    /** Types every line of the lesson's steps as written; each must succeed. */
    private void typeLesson(String id) throws Exception {
        for (String line : lines(lessons.get(id))) {
            String printed = tmux.typeLine(line, STEP);
            assertFalse(printed.contains("error:") || printed.contains("failed with exit code")
                    || printed.contains("unknown command"), "`" + line + "` as written in lesson " + id + ":\n" + printed);
        }
    }

    private static List<String> lines(Lesson lesson) {
        List<String> out = new ArrayList<>();
        for (Step step : lesson.steps()) {
            step.lines().forEach(l -> out.add(l.command()));
        }
        return out;
    }

    private void checkPasses(String id) throws Exception {
        String printed = tmux.typeLine("check", STEP);
        assertTrue(printed.matches("(?s).*lesson " + id + ": all \\d+ checks passed.*"), printed);
    }

    @Test
    void lesson1sCdThenNextThenLesson2AsWritten() throws Exception {
        startShell();
        List<String> one = lines(lessons.get("stack"));
        assertTrue(one.get(0).startsWith("cd "), "lesson 1 starts with its cd: " + one);
        tmux.typeLine(one.get(0), STEP);
        assertEquals("packlab [1/7] stacks/distroless-python>", Tmux.lastLine(tmux.screen()),
                "at 60 columns the prompt names the folder, relative to the work folder");
        for (String line : one.subList(1, one.size())) {
            tmux.typeLine(line, STEP);
        }
        String next = tmux.typeLine("next", STEP);
        assertTrue(next.contains("folder: back in the work folder (you were in stacks/distroless-python); each"
                + " lesson starts there."), next);
        assertEquals("packlab [2/7 buildpack]>", Tmux.lastLine(tmux.screen()));

        List<String> two = lines(lessons.get("buildpack"));
        tmux.typeLine(two.get(0), STEP);
        assertTrue(Files.isDirectory(work.resolve("scratch/my-cnb")), "the first command of lesson 2 ran in the"
                + " work folder, as the lesson is written");
        assertFalse(Files.exists(work.resolve("stacks/distroless-python/scratch")));
        for (String line : two.subList(1, two.size())) {
            tmux.typeLine(line, STEP);
        }
        checkPasses("buildpack");

        // edit: vi on the terminal, then the terminal back to the shell
        DockerSupport.requireProgram("vi");
        tmux.literal("edit notes.txt");
        tmux.keys("Enter");
        tmux.await("vi on the terminal", s -> s.contains("\"notes.txt\""), Duration.ofSeconds(20));
        tmux.keys("i");
        tmux.literal("typed in vi");
        tmux.keys("Escape");
        tmux.literal(":wq");
        tmux.keys("Enter");
        tmux.await("the shell's prompt after vi", s -> s.contains("✔ saved notes.txt")
                && Tmux.BARE_PROMPT.matcher(Tmux.lastLine(s)).matches(), Duration.ofSeconds(20));
        assertEquals("typed in vi\n", Files.readString(work.resolve("notes.txt")));
        String tail = tmux.typeLine("tail -n 1 notes.txt", STEP);
        assertTrue(tail.contains("│ typed in vi"), "the shell reads its keys again: " + tail);
        String outside = tmux.typeLine("edit ../x", STEP);
        assertTrue(outside.contains("error: edit: ../x is ") && outside.contains("outside the work folder"), outside);

        tmux.literal("quit");
        tmux.keys("Enter");
        tmux.await("the shell left", s -> s.contains("[packlab exited with 0]"), Duration.ofSeconds(20));
    }

    @Test
    void lessons6And7sEditsAsWritten() throws Exception {
        for (String id : List.of("stack", "buildpack", "package", "builder", "build")) {
            Launcher.Result r = Launcher.run(ENV, "--workdir=" + work, "--engine", "builtin", "run", id);
            assertEquals(0, r.code(), id + ":\n" + r.all());
        }
        startShell();
        assertEquals("packlab [5/7 build]>", Tmux.lastLine(tmux.screen()));
        tmux.typeLine("cd sample-app", STEP); // where lesson 5 leaves a learner who typed it
        String next = tmux.typeLine("next", STEP);
        assertTrue(next.contains("folder: back in the work folder (you were in sample-app)"), next);

        typeLesson("add-buildpack");
        assertTrue(Files.readString(work.resolve("buildpacks/python/buildpack.toml")).contains("version = \"0.0.2\""));
        checkPasses("add-buildpack");

        next = tmux.typeLine("next", STEP);
        assertTrue(next.contains("folder: back in the work folder (you were in sample-app)"), next);
        typeLesson("rebase");
        assertTrue(Files.readString(work.resolve("stacks/distroless-python/run/Dockerfile"))
                .endsWith("\nLABEL io.packlab.tutorial.patch=\"1\"\nCOPY patch.txt /etc/packlab-patch.txt\n"));
        checkPasses("rebase");

        tmux.literal("quit");
        tmux.keys("Enter");
        tmux.await("the shell left", s -> s.contains("[packlab exited with 0]"), Duration.ofSeconds(20));
    }
}
