package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import io.packlab.step.StepRunner;
import io.packlab.support.FakeEngine;
import io.packlab.term.Console;
import io.packlab.term.DisplayWidth;
import io.packlab.term.Style;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's typing and wrapping without an engine, and a demo of a test lesson on a stand-in engine. */
class DemoTest {

    private static final List<String> COMMANDS = List.of(
            "docker build -t distroless-python:build ./build",
            "pack buildpack new example/my-cnb --api 0.9 --path scratch/my-cnb --version 0.0.1 --stacks"
                    + " com.example.stacks.distroless-python",
            "pack builder create python:distroless --config ./builders/distroless-python/builder.toml"
                    + " --pull-policy if-not-present",
            "printf 'packlab tutorial: a patch of the run image\\n' > stacks/distroless-python/run/patch.txt",
            "cat ./a/very/long/path/without/any/blank/in/it/that/is/wider/than/the/terminal/buildpack.toml",
            "echo 日本語のとても長いコマンドの行を四十桁で折り返すテストです",
            "ls");

    @TempDir
    Path work;

    private final StringWriter out = new StringWriter();

    private Console console(int width, boolean color) {
        return new Console(new PrintWriter(out), new PrintWriter(new StringWriter()), color, width);
    }

    private Workshop workshop(Console console, FakeEngine engine) {
        Settings settings = new Settings(Path.of("").toAbsolutePath(), work,
                Path.of("src/test/resources/lessons/two"), "en", StepRunner.PackEngine.BUILTIN, Map.of(), "test",
                Optional.empty());
        return new Workshop(settings, console, () -> engine);
    }

    private static void assertNarrow(String text, int width) {
        for (String line : text.split("\n", -1)) {
            assertTrue(DisplayWidth.of(line) <= width, "wider than " + width + ": [" + line + "]\n" + text);
        }
    }

    @Test
    void typedCommandsAtPaceZeroAndWidthFortyStayWithinFortyColumns() {
        Console console = console(40, false);
        Demo demo = new Demo(workshop(console, new FakeEngine()), console, 0, Optional.empty(),
                ms -> { throw new AssertionError("pace 0 never sleeps"); });
        for (String command : COMMANDS) {
            demo.type(".", command, Cancellation.none());
        }
        demo.type("sample-app", "ls", Cancellation.none());
        String text = out.toString();
        assertNarrow(text, 40);
        assertTrue(text.startsWith(". $ docker build -t \\\n    distroless-python:build ./build\n"), text);
        assertTrue(text.contains("\n. $ ls\nsample-app $ ls\n"), text);
        // a folder that would take more than half the width is left out of the prompt
        out.getBuffer().setLength(0);
        demo.type("stacks/distroless-python/run/a-long-folder", "ls", Cancellation.none());
        assertEquals("$ ls\n", out.toString());
    }

    @Test
    void wrappedRowsReadBackAsTheSameShellLine() {
        for (int width : new int[] {20, 33, 40, 57, 80}) {
            for (String command : COMMANDS) {
                List<Demo.Row> rows = Demo.commandRows("$ ", command, width);
                StringBuilder joined = new StringBuilder();
                for (int i = 0; i < rows.size(); i++) {
                    Demo.Row row = rows.get(i);
                    assertTrue(DisplayWidth.of(row.plain()) <= width, width + ": " + row.plain());
                    String typed = row.typed();
                    if (i < rows.size() - 1) {
                        assertTrue(typed.endsWith(Demo.CONTINUES), "a continued row ends with the marker: " + typed);
                        typed = typed.substring(0, typed.length() - Demo.CONTINUES.length());
                    }
                    joined.append(row.prefix().equals("$ ") ? "" : row.prefix()).append(typed);
                }
                // as a shell reads it: backslash-newline vanishes, blanks separate words
                assertEquals(List.of(command.split(" +")), List.of(joined.toString().strip().split(" +")),
                        width + ": " + rows);
            }
        }
    }

    @Test
    void breaksAtBlanksOutsideQuotesWhenItCan() {
        List<Demo.Row> rows = Demo.commandRows("$ ", "printf 'a b c d e f' > out.txt", 24);
        assertEquals("printf 'a b c d e f' \\", rows.get(0).typed(), rows.toString());
        assertEquals("> out.txt", rows.get(1).typed());
    }

    @Test
    void paceSleepsOncePerTypedCharacter() {
        Console console = console(80, false);
        List<Long> sleeps = new ArrayList<>();
        Demo demo = new Demo(workshop(console, new FakeEngine()), console, 35, Optional.empty(), sleeps::add);
        demo.type(".", "ls -a", Cancellation.none());
        assertEquals(List.of(35L, 35L, 35L, 35L, 35L), sleeps);
        assertEquals(". $ ls -a\n", out.toString());
    }

    @Test
    void longOutputLinesWrapWithAMarkerAndKeepTheirStyle() {
        Style style = new Style(true);
        String line = style.green("✔ ") + style.bold("image distroless-python:build label io.buildpacks.stack.id"
                + " = com.example.stacks.distroless-python");
        List<String> rows = Demo.wrapOutput(line, 40, style);
        assertTrue(rows.size() > 2, rows.toString());
        rows.forEach(r -> assertTrue(DisplayWidth.of(r) <= 40, r));
        assertTrue(Style.strip(rows.get(1)).startsWith(Demo.OUTPUT_CONTINUES), rows.get(1));
        assertTrue(rows.get(1).contains("\u001b[1m"), "the bold goes on in the next row: " + rows.get(1));
        assertEquals(Style.strip(line), String.join("", rows.stream().map(Style::strip)
                .map(r -> r.startsWith(Demo.OUTPUT_CONTINUES) ? r.substring(Demo.OUTPUT_CONTINUES.length()) : r)
                .toList()));
        assertEquals(List.of("a\tb".replace("\t", "       ")), Demo.wrapOutput("a\tb", 40, style));
    }

    @Test
    void aDemoTypesEachCommandOnceRunsItAndShowsTheChecksWithinTheWidth() {
        Console console = console(40, false);
        FakeEngine engine = new FakeEngine().with("packlab-test-first:latest",
                FakeEngine.image("sha256:1", Map.of(), List.of(), "1000"));
        Workshop w = workshop(console, engine);
        boolean ok = new Demo(w, console, 0, Optional.empty()).run(List.of(w.lessons().get("first")),
                Cancellation.none());
        String text = out.toString();
        assertTrue(ok, text);
        assertTrue(text.contains("Lesson 1 · The first lesson"), text);
        assertEquals(1, text.split("\\$ ls\n", -1).length - 1, "typed once, the runner's echo dropped: " + text);
        assertTrue(text.contains("│ stacks/"), "the step ran: " + text);
        assertTrue(text.contains("✔ image packlab-test-first:latest exists"), text);
        assertTrue(w.progress().hasPassed("first"), "the checks were recorded as run records them");
        // the checks are printed by Workshop.check, as run prints them; everything else fits
        text.lines().filter(l -> !l.startsWith("✔") && !l.startsWith("✘"))
                .forEach(l -> assertTrue(DisplayWidth.of(l) <= 40, l + "\n" + text));
    }

    @Test
    void failedChecksMakeTheDemoFailAndQStopsBetweenLessons() {
        Console console = console(80, false);
        Workshop w = workshop(console, new FakeEngine());
        assertFalse(new Demo(w, console, 0, Optional.empty()).run(w.lessons().lessons(), Cancellation.none()));
        assertTrue(out.toString().contains("✘ lesson first: 1 of 1 checks failed"), out.toString());
        assertFalse(out.toString().contains("The second lesson"), "stops at the first failing lesson");

        FakeEngine engine = new FakeEngine().with("packlab-test-first:latest",
                FakeEngine.image("sha256:1", Map.of(), List.of(), "1000"));
        out.getBuffer().setLength(0);
        w.close(); // one packlab per work folder at a time
        Workshop w2 = workshop(console, engine);
        BufferedReader keys = new BufferedReader(new StringReader("q\n"));
        assertTrue(new Demo(w2, console, 0, Optional.of(keys)).run(w2.lessons().lessons(), Cancellation.none()));
        String text = out.toString();
        assertTrue(text.contains("press Enter for the next lesson, q to stop"), text);
        assertTrue(text.contains("demo stopped by the instructor"), text);
        assertFalse(text.contains("The second lesson"), text);
    }
}
