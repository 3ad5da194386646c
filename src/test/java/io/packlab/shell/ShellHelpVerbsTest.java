package io.packlab.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import io.packlab.progress.Progress;
import io.packlab.progress.ProgressStore;
import io.packlab.step.StepRunner;
import io.packlab.term.Console;
import io.packlab.term.Wording;
import io.packlab.workshop.Coach;
import io.packlab.workshop.Session;
import io.packlab.workshop.Settings;
import io.packlab.workshop.Workshop;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell's {@code hint} (one at a time, cycling, offering the solution when stuck) and {@code solution}; no engine. */
class ShellHelpVerbsTest {

    @TempDir
    Path work;

    private final StringWriter out = new StringWriter();
    private Workshop workshop;

    private Session session(Path lessons) {
        Path home = Path.of("").toAbsolutePath();
        Settings settings = new Settings(home, work, lessons, "en", StepRunner.PackEngine.BUILTIN, Map.of(), "test",
                Optional.empty());
        Console console = new Console(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 80);
        workshop = new Workshop(settings, console, () -> {
            throw new AssertionError("hint and solution never need the engine");
        });
        return new Session() {
            @Override
            public Workshop workshop() {
                return workshop;
            }

            @Override
            public Console console() {
                return console;
            }

            @Override
            public boolean yes() {
                return false;
            }

            @Override
            public Cancellation cancellation() {
                return new Cancellation();
            }

            @Override
            public boolean interactive() {
                return true;
            }
        };
    }

    @AfterEach
    void close() {
        if (workshop != null) {
            workshop.close();
        }
    }

    private String take() {
        String s = out.toString();
        out.getBuffer().setLength(0);
        return s;
    }

    private Path lessons() throws Exception {
        Path dir = Files.createDirectories(work.resolve("my-lessons"));
        Files.writeString(dir.resolve("01-three-hints.md"), """
                # Three hints

                ```sh
                cd sample-app
                docker build -t demo \\
                  --label a=b .
                ```

                ```hint
                First: read the Dockerfile.
                ```

                ```check
                image demo exists
                ```

                ```hint
                Second: tag it `demo`.
                ```

                ```sh registry
                docker push $PACKLAB_REGISTRY/demo
                ```

                ```hint
                Third: run `run`.
                ```
                """);
        Files.writeString(dir.resolve("02-none.md"), """
                # No hints, no steps

                ```check
                image demo exists
                ```
                """);
        return dir;
    }

    @Test
    void hintShowsOneHintAtATimeAndCycles() throws Exception {
        Session s = session(lessons());
        Coach coach = new Coach();
        ShellHelpVerbs.HintVerb hint = new ShellHelpVerbs.HintVerb(s, coach);
        assertEquals(0, hint.call());
        assertEquals("hint 1/3: First: read the Dockerfile.\n(`hint` again for the next one)\n", take());
        // a new verb object per line, as the shell makes them: the coach remembers
        new ShellHelpVerbs.HintVerb(s, coach).call();
        assertEquals("hint 2/3: Second: tag it `demo`.\n(`hint` again for the next one)\n", take());
        hint.call();
        assertEquals("hint 3/3: Third: run `run`.\n", take());
        hint.call();
        assertTrue(take().startsWith("hint 1/3: First"), "cycles to the first");
    }

    @Test
    void hintOffersTheSolutionAfterThreeFailedChecks() throws Exception {
        new ProgressStore(work.resolve(".packlab/progress.json"), w -> { }).save(Progress.start()
                .withFailed("three-hints", "a").withFailed("three-hints", "b"));
        Session s = session(lessons());
        new ShellHelpVerbs.HintVerb(s, new Coach()).call();
        assertFalse(take().contains("Stuck?"), "two failures are not stuck yet");
        workshop.close();

        new ProgressStore(work.resolve(".packlab/progress.json"), w -> { }).save(Progress.start()
                .withFailed("three-hints", "a").withFailed("three-hints", "b").withFailed("three-hints", "c"));
        s = session(lessons());
        new ShellHelpVerbs.HintVerb(s, new Coach()).call();
        assertTrue(take().endsWith("Stuck? `solution` shows the steps.\n"));
    }

    @Test
    void aLessonWithoutHintsSaysSo() throws Exception {
        Session s = session(lessons());
        workshop.moveTo(workshop.lessons().get("none"));
        new ShellHelpVerbs.HintVerb(s, new Coach()).call();
        assertEquals("This lesson has no hints. `show` prints the lesson again; `solution` shows its steps.\n", take());
        new ShellHelpVerbs.Solution(s).call();
        assertTrue(take().startsWith("Lesson none has no steps to run"));
    }

    @Test
    void solutionNumbersTheCommandsOfTheStepsWithContinuationsJoined() throws Exception {
        Session s = session(lessons());
        assertEquals(0, new ShellHelpVerbs.Solution(s).call());
        List<String> lines = take().lines().toList();
        String file = work.resolve("my-lessons/01-three-hints.md").toString();
        assertEquals(List.of(
                "Solution of lesson 1 · Three hints",
                "step 1 of 2  (" + file + ":3)",
                "  1  cd sample-app",
                "  2  docker build -t demo --label a=b .",
                "step 2 of 2 (runs only with --registry)  (" + file + ":21)",
                "  3  docker push $PACKLAB_REGISTRY/demo",
                "Every step starts in the work folder. Type the lines yourself, or `run` runs them all."), lines);
    }

    @Test
    void theTutorialsFirstLessonHasASolution() {
        Session s = session(Path.of("lessons/en"));
        new ShellHelpVerbs.Solution(s).call();
        String text = take();
        assertTrue(text.contains("  1  cd stacks/distroless-python\n"), text);
        assertTrue(text.contains("  3  docker build -t distroless-python:run ./run\n"), text);
        assertTrue(text.contains("(lessons/en/01-stack.md:"), text);
    }

    @Test
    void stuckAdviceStartsAtThreeFailures() {
        Wording en = Wording.of("en");
        assertTrue(Coach.stuckAdvice(Progress.start().withFailed("x", "a").withFailed("x", "b").lesson("x"), en).isEmpty());
        assertEquals(Optional.of("Stuck? `solution` shows the steps."), Coach.stuckAdvice(Progress.start()
                .withFailed("x", "a").withFailed("x", "b").withFailed("x", "c").lesson("x"), en));
        assertEquals(Optional.of("行き詰まったら `solution` でステップを表示できます。"), Coach.stuckAdvice(Progress.start()
                .withFailed("x", "a").withFailed("x", "b").withFailed("x", "c").lesson("x"), Wording.of("ja")));
        assertTrue(Coach.stuckAdvice(Progress.start().withFailed("x", "a").withFailed("x", "b").withFailed("x", "c")
                .withPassed("x").lesson("x"), en).isEmpty(), "passing resets the count");
    }
}
