package io.packlab.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.CheckLanguage;
import io.packlab.engine.Cancellation;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.LessonCatalog;
import io.packlab.lesson.Step;
import io.packlab.words.ShellWords;
import io.packlab.step.StepRunner;
import io.packlab.term.Console;
import io.packlab.workshop.Session;
import io.packlab.workshop.Settings;
import io.packlab.workshop.Workshop;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The typed flow of the shell, without an engine: each lesson starts in the work folder (next, prev),
 * the folder persists within a lesson, a removed folder is left, the prompt shows the folder, and the
 * lessons' file edits run as typed.
 */
class ShellFlowTest {

    @TempDir
    Path work;

    private final StringWriter out = new StringWriter();
    private Workshop workshop;
    private PacklabShell shell;
    private Session session;

    @CommandLine.Command(name = "")
    static final class NoVerbs {
    }

    @BeforeEach
    void open() {
        Path home = Path.of("").toAbsolutePath();
        Settings settings = new Settings(home, work, home.resolve("lessons/en"), "en", StepRunner.PackEngine.BUILTIN,
                Map.of("PATH", System.getenv("PATH")), "test", Optional.empty());
        Console console = new Console(new PrintWriter(out, true), new PrintWriter(out, true), false, 60);
        workshop = new Workshop(settings, console, () -> {
            throw new AssertionError("the typed flow of these lines never needs the engine");
        });
        session = new Session() {
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
        shell = new PacklabShell(session, s -> new CommandLine(new NoVerbs()));
    }

    @AfterEach
    void close() {
        workshop.close();
    }

    private int type(String line) {
        return shell.execute(line, session);
    }

    private String take() {
        String s = out.toString();
        out.getBuffer().setLength(0);
        return s;
    }

    private Path folder() {
        return workshop.shellContext().cwd();
    }

    @Test
    void nextStartsTheNextLessonInTheWorkFolderAndSaysSo() {
        assertEquals(0, type("cd stacks/distroless-python"));
        assertEquals(work.resolve("stacks/distroless-python"), folder());
        take();
        assertEquals(0, type("next --force"));
        String said = take();
        assertTrue(said.contains("Lesson 2 · "), said);
        assertTrue(said.contains("folder: back in the work folder (you were in stacks/distroless-python);"
                + " each lesson starts there."), said);
        assertEquals(work, folder());
        assertEquals("buildpack", workshop.shellContext().lessonId(), "what the shell makes is labelled for lesson 2");
    }

    @Test
    void prevToo() {
        workshop.moveTo(workshop.lessons().get("rebase"));
        type("cd stacks/distroless-python");
        take();
        assertEquals(0, type("prev"));
        assertTrue(take().contains("folder: back in the work folder (you were in stacks/distroless-python)"));
        assertEquals(work, folder());
        assertEquals("add-buildpack", workshop.current().id());
    }

    @Test
    void withinALessonTheFolderStaysAndNothingIsSaid() {
        type("cd stacks");
        type("cd distroless-python");
        type("ls");
        assertEquals(work.resolve("stacks/distroless-python"), folder());
        assertFalse(take().contains("folder:"));
        type("next --force");
        type("next --force");
        assertEquals(1, take().split("folder: back", -1).length - 1, "said once, when the folder changed");
    }

    @Test
    void aFolderThatIsGoneIsLeftForTheWorkFolder() throws Exception {
        Files.createDirectories(work.resolve("scratch/gone"));
        type("cd scratch/gone");
        Files.delete(work.resolve("scratch/gone"));
        take();
        type("# a comment does nothing");
        type("ls ..");
        assertTrue(take().contains("folder: scratch/gone is gone; back in the work folder."));
        assertEquals(work, folder());
    }

    @Test
    void thePromptSaysWhereTheShellIs() throws Exception {
        type("cd stacks/distroless-python");
        var prompt = PacklabShell.class.getDeclaredMethod("prompt", Workshop.class, Console.class);
        prompt.setAccessible(true);
        assertEquals("packlab [1/7] stacks/distroless-python> ", prompt.invoke(shell, workshop, session.console()),
                "60 columns: the folder, the lesson by number");
        type("next --force");
        assertEquals("packlab [2/7 buildpack]> ", prompt.invoke(shell, workshop, session.console()));
    }

    @Test
    void lesson7sEditsRunAsTypedInTheShellsFolder() throws Exception {
        Lesson rebase = workshop.lessons().get("rebase");
        workshop.moveTo(rebase);
        Path dockerfile = work.resolve("stacks/distroless-python/run/Dockerfile");
        String original = Files.readString(dockerfile);
        for (String line : editLines(rebase)) {
            assertEquals(0, type(line), () -> line + "\n" + out);
        }
        assertEquals(original + "\nLABEL io.packlab.tutorial.patch=\"1\"\nCOPY patch.txt /etc/packlab-patch.txt\n",
                Files.readString(dockerfile));
        assertEquals("packlab tutorial: a patch of the run image\n",
                Files.readString(work.resolve("stacks/distroless-python/run/patch.txt")));
        assertTrue(take().contains("│ COPY patch.txt /etc/packlab-patch.txt"), "tail shows the end of the Dockerfile");
    }

    @Test
    void lesson6sEditRunsAsTyped() throws Exception {
        Lesson six = workshop.lessons().get("add-buildpack");
        workshop.moveTo(workshop.lessons().get("build"));
        type("cd sample-app"); // where lesson 5 left the learner: next brings them back
        type("next --force");
        assertEquals(six, workshop.current());
        assertEquals(work, folder());
        for (String line : editLines(six)) {
            assertEquals(0, type(line), () -> line + "\n" + out);
        }
        assertTrue(Files.readString(work.resolve("buildpacks/python/buildpack.toml")).contains("version = \"0.0.2\""));
    }

    @Test
    void grepAndHeadLookAtFilesAndAFailingOneIsExitCode1() {
        type("cd stacks/distroless-python");
        take();
        assertEquals(0, type("head -n 1 run/Dockerfile"));
        assertEquals(0, type("grep -c USER run/Dockerfile"));
        assertEquals(0, type("echo hello"));
        String said = take();
        assertTrue(said.contains("stacks/distroless-python $ head -n 1 run/Dockerfile"), said);
        assertTrue(said.contains("│ hello"), said);
        assertEquals(1, type("grep no-such-text run/Dockerfile"));
        assertTrue(take().contains("failed with exit code 1"));
    }

    /** Every line of every lesson, en and ja, can be typed in the shell as written: a step word, not "unknown command". */
    @Test
    void everyLessonLineIsAStepWhenTyped() {
        for (String lang : List.of("en", "ja")) {
            LessonCatalog catalog = LessonCatalog.load(Path.of("lessons", lang), CheckLanguage.standard());
            for (Lesson lesson : catalog.lessons()) {
                for (Step step : lesson.steps()) {
                    for (Step.StepLine line : step.lines()) {
                        String first = ShellWords.split(line.command(), Map.of()).get(0);
                        assertTrue(PacklabShell.isStep(first), lang + "/" + lesson.id() + ": `" + line.command()
                                + "` would be an unknown command when typed");
                    }
                }
            }
        }
    }

    @Test
    void completionKnowsTheFileWordsAndTheFilesOfTheShellsFolder() throws Exception {
        org.jline.reader.Completer completer = PacklabShell.completer(workshop);
        org.jline.reader.impl.DefaultParser parser = new org.jline.reader.impl.DefaultParser();
        try (org.jline.terminal.Terminal terminal = org.jline.terminal.TerminalBuilder.builder().dumb(true)
                .system(false).streams(new java.io.ByteArrayInputStream(new byte[0]),
                        new java.io.ByteArrayOutputStream()).build()) {
            org.jline.reader.LineReader reader = org.jline.reader.LineReaderBuilder.builder().terminal(terminal).build();
            List<org.jline.reader.Candidate> words = new ArrayList<>();
            completer.complete(reader, parser.parse("", 0), words);
            List<String> values = words.stream().map(org.jline.reader.Candidate::value).toList();
            assertTrue(values.containsAll(List.of("edit", "sed", "printf", "echo", "tail", "head", "grep", "cd", "next")),
                    values.toString());

            List<org.jline.reader.Candidate> folders = new ArrayList<>();
            completer.complete(reader, parser.parse("cd ", 3), folders);
            List<String> names = folders.stream().map(org.jline.reader.Candidate::value).toList();
            assertTrue(names.contains("stacks/") && names.contains("sample-app/") && !names.contains("packlab.toml"),
                    "folders only after cd: " + names);

            type("cd stacks/distroless-python");
            List<org.jline.reader.Candidate> files = new ArrayList<>();
            completer.complete(reader, parser.parse("edit run/", 9), files);
            assertTrue(files.stream().anyMatch(c -> c.value().equals("run/Dockerfile")), "files of the shell's folder: "
                    + files.stream().map(org.jline.reader.Candidate::value).toList());
        }
    }

    /** The lines of a lesson that change or look at files (not cd, docker, pack, ...). */
    private static List<String> editLines(Lesson lesson) {
        List<String> lines = new ArrayList<>();
        for (Step step : lesson.steps()) {
            for (Step.StepLine line : step.lines()) {
                String first = line.command().split("\\s+", 2)[0];
                if (PacklabShell.FILE_WORDS.contains(first) || first.equals("cat")) {
                    lines.add(line.command());
                }
            }
        }
        assertFalse(lines.isEmpty(), lesson.id() + " has edit lines");
        return lines;
    }
}
