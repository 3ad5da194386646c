package io.packlab.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ConsoleTest {

    private final StringWriter out = new StringWriter();

    private Console console(boolean live, int width) {
        return new Console(new PrintWriter(out), new PrintWriter(new StringWriter()), false, width, live);
    }

    @Test
    void onATerminalCheckLinesWrapWithAHangingIndent() {
        console(true, 40).pass("image distroless-python:build label io.buildpacks.stack.id = com.example.stacks");
        for (String line : out.toString().split("\n")) {
            assertTrue(DisplayWidth.of(line) <= 40, line);
        }
        assertTrue(out.toString().startsWith("✔ image distroless-python:build label\n  io.buildpacks"), out.toString());
    }

    @Test
    void inLogsAndPipesLinesStayWholeAndNoStatusIsDrawn() {
        Console c = console(false, 40);
        c.pass("image distroless-python:build label io.buildpacks.stack.id = com.example.stacks");
        try (StatusLine s = StatusLine.start(c, "docker build x")) {
            s.update("step 1/8");
            c.output("Step 1/8 : FROM x");
        }
        assertEquals("✔ image distroless-python:build label io.buildpacks.stack.id = com.example.stacks\n"
                + "  │ Step 1/8 : FROM x\n", out.toString());
    }

    @Test
    void aStatusLineIsRedrawnBelowOutputAndClearedAtTheEnd() {
        Console c = console(true, 60);
        try (StatusLine s = StatusLine.start(c, "docker build x")) {
            s.update("step 2/8");
            c.output("Step 2/8 : RUN true");
        }
        String text = out.toString();
        assertTrue(text.contains("⏳ docker build x · step 2/8 · "), text);
        assertTrue(text.contains("\r\u001b[K  │ Step 2/8 : RUN true\n"), "the status is cleared before output: " + text);
        assertTrue(text.endsWith("\r\u001b[K"), "cleared at the end: " + text);
    }

    @Test
    void carriageReturnProgressKeepsOnlyWhatATerminalShows() {
        console(false, 80).output("(Reading database ... 5%\r(Reading database ... 100%\r(Reading database ... done.)");
        assertEquals("  │ (Reading database ... done.)\n", out.toString());
        assertFalse(out.toString().contains("5%"));
    }

    @Test
    void onATerminalALongCommandWrapsAtBlanksWithABackslashAfterItsFolder() {
        console(true, 60).command("sample-app", "pack build webapp --builder python:distroless --buildpack ../buildpacks/python"
                + " --pull-policy if-not-present");
        assertEquals("sample-app $ pack build webapp --builder python:distroless \\\n"
                + " ".repeat(15) + "--buildpack ../buildpacks/python \\\n"
                + " ".repeat(15) + "--pull-policy if-not-present\n", out.toString());
    }

    @Test
    void inLogsACommandStaysOneLine() {
        console(false, 40).command(".", "pack build webapp --builder python:distroless --pull-policy if-not-present");
        assertEquals(". $ pack build webapp --builder python:distroless --pull-policy if-not-present\n", out.toString());
    }

    @Test
    void japaneseMessagesWrapBetweenCharactersButNotBeforeClosingPunctuation() {
        Console c = console(true, 30);
        c.paragraph("レッスン 1/7「スタックを作る」。`show` で読み、`run` でステップを実行し、`check` でチェックします。");
        c.fail("ビルドイメージには ENV CNB_USER_ID（ビルドパックを実行する uid）が必要です。");
        String[] lines = out.toString().split("\n");
        assertTrue(lines.length > 3, out.toString());
        for (String line : lines) {
            assertTrue(DisplayWidth.of(line) <= 30, line);
            String text = line.stripLeading();
            assertFalse(text.startsWith("。") || text.startsWith("、") || text.startsWith("」") || text.startsWith("）"), line);
        }
        String joined = String.join("", lines);
        assertTrue(joined.replace(" ", "").startsWith("レッスン1/7「スタックを作る」。`show`で読み、`run`でステップを実行し、`check`でチェックします。"),
                "nothing lost: " + joined);
    }

    @Test
    void aParagraphInLogsStaysOneLine() {
        console(false, 20).paragraph("Lesson 1 of 7: Create a stack. Type `show` to read it.");
        assertEquals("Lesson 1 of 7: Create a stack. Type `show` to read it.\n", out.toString());
    }

    @Test
    void aWordWiderThanTheLineIsNotCut() {
        console(true, 30).detail("found", "no file /work/stacks/distroless-python/run/patch.txt here");
        assertTrue(out.toString().contains("/work/stacks/distroless-python/run/patch.txt"), out.toString());
    }
}
