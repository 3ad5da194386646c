package io.packlab.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands in step and console boxes: wrapped at blanks outside quotes, never inside a word, and copied back intact. */
class CommandWrapTest {

    /** Lines of the lessons (05, 06, 07 and a console of 05) that are wider than a 60-column box. */
    static final List<String> LESSON_LINES = List.of(
            "pack build webapp --builder python:distroless --buildpack ../buildpacks/python --pull-policy if-not-present",
            "printf 'packlab tutorial: a patch of the run image\\n' > stacks/distroless-python/run/patch.txt",
            "printf '\\nLABEL io.packlab.tutorial.patch=\"1\"\\n' >> stacks/distroless-python/run/Dockerfile",
            "docker inspect --format '{{json .Config.Entrypoint}}' webapp",
            "docker image inspect webapp --format '{{json .Config.Entrypoint}} {{.Config.User}} {{.Config.WorkingDir}}'",
            "pack buildpack new example/my-cnb --api 0.9 --path scratch/my-cnb --version 0.0.1 --stacks com.example.stacks.distroless-python");

    @TempDir
    Path temp;

    /** The body of the first box of the rendered Markdown, frame characters stripped. */
    static List<String> boxBody(List<String> rendered) {
        List<String> body = new ArrayList<>();
        boolean in = false;
        for (String line : rendered) {
            if (line.startsWith("┌")) {
                in = true;
            } else if (line.startsWith("└")) {
                break;
            } else if (in) {
                assertTrue(line.startsWith("│ "), line);
                body.add(line.substring(2));
            }
        }
        return body;
    }

    static List<String> render(String kind, String line, int width) {
        return new MarkdownRenderer(new Style(false), width).render("```" + kind + "\n" + line + "\n```\n");
    }

    @Test
    void theLessonsLongCommandsAt60ColumnsBreakAtBlanksWithABackslash() {
        assertEquals(List.of(
                "pack build webapp --builder python:distroless \\",
                "    --buildpack ../buildpacks/python \\",
                "    --pull-policy if-not-present"), boxBody(render("sh", LESSON_LINES.get(0), 60)));
        assertEquals(List.of(
                "printf 'packlab tutorial: a patch of the run image\\n' > \\",
                "    stacks/distroless-python/run/patch.txt"), boxBody(render("sh", LESSON_LINES.get(1), 60)));
        assertEquals(List.of("$ docker inspect --format '{{json .Config.Entrypoint}}' webapp"),
                boxBody(render("console", "$ " + LESSON_LINES.get(3), 80)), "a line that fits stays whole");
        assertEquals(List.of(
                "$ docker image inspect webapp --format \\",
                "    '{{json .Config.Entrypoint}} {{.Config.User}} {{.Config.WorkingDir}}'"),
                boxBody(render("console", "$ " + LESSON_LINES.get(4), 60)),
                "the quoted template is one word: it is not broken at its blanks, and goes past the box rather than being cut");
    }

    @Test
    void atEveryWidthNoWordIsCutAndEveryLineButTheLastEndsWithABackslash() {
        for (int width : List.of(40, 60, 80)) {
            for (String command : LESSON_LINES) {
                List<String> body = boxBody(render("sh", command, width));
                assertEquals(words(command), words(joined(body)), width + ": " + body);
                for (int i = 0; i < body.size(); i++) {
                    String line = body.get(i);
                    boolean last = i == body.size() - 1;
                    assertEquals(!last, line.endsWith(" \\"), width + ": " + body);
                    if (i > 0) {
                        assertTrue(line.startsWith("    ") && !line.startsWith("     "), "continuations are indented 4: " + body);
                    }
                    String content = (last ? line : line.substring(0, line.length() - 2)).strip();
                    if (DisplayWidth.of(line) > width - 2) {
                        List<String> ws = words(content);
                        String start = String.join(" ", ws.subList(0, ws.size() - 1));
                        assertTrue(DisplayWidth.of(start) <= CommandWrap.SHORT_START + CommandWrap.CONTINUATION,
                                "only a single word, after at most a short start, may go past the box: " + line);
                        assertTrue(DisplayWidth.of(ws.get(ws.size() - 1)) + CommandWrap.CONTINUATION > width - 2,
                                "a word that goes past the box is wider than a continuation line: " + line);
                    }
                    for (String w : words(content)) {
                        assertTrue(words(command).contains(w), "`" + w + "` is not a word of " + command);
                    }
                }
            }
        }
    }

    @Test
    void whatIsCopiedFromTheBoxRunsInAShellAsTheOriginalDoes() throws Exception {
        for (int width : List.of(60, 80)) {
            for (String command : LESSON_LINES) {
                String copied = String.join("\n", boxBody(render("sh", command, width)));
                assertEquals(shell(command, "a" + width), shell(copied, "b" + width), width + " columns: " + copied);
            }
            String console = String.join("\n", boxBody(render("console", "$ " + LESSON_LINES.get(4), width)));
            assertEquals(shell(LESSON_LINES.get(4), "c" + width), shell(console.substring(2), "d" + width));
        }
    }

    @Test
    void aWordWiderThanTheBoxIsNotCut() {
        List<String> body = boxBody(render("sh", LESSON_LINES.get(3), 30));
        assertTrue(body.contains("    '{{json .Config.Entrypoint}}' \\"), body.toString());
        assertEquals("docker inspect --format \\", body.get(0));
        assertEquals("    webapp", body.get(body.size() - 1));
    }

    @Test
    void aShortStartKeepsAWordThatFitsNowhere() {
        List<String> body = boxBody(render("dockerfile",
                "LABEL io.buildpacks.stack.id=\"com.example.stacks.distroless-python\"", 40));
        assertEquals(List.of("LABEL io.buildpacks.stack.id=\"com.example.stacks.distroless-python\""), body,
                "a backslash after LABEL would gain four columns");
    }

    @Test
    void commentsContinueAsCommentsAndNeverWithABackslash() {
        List<String> body = boxBody(render("sh", "# build the run image again after the edit, from the stack's folder", 40));
        assertEquals(List.of("# build the run image again after the", "# edit, from the stack's folder"), body);
        List<String> trailing = boxBody(render("sh", "docker build -t distroless-python:run ./run # the patched run image", 40));
        assertEquals(List.of("docker build \\", "    -t distroless-python:run ./run \\", "    # the patched run image"), trailing,
                "an option stays with its value; the comment moves whole to a line of its own");
        List<String> inside = boxBody(render("sh", "ls # a comment that is much too long for one line of the box", 40));
        assertEquals(List.of("ls # a comment that is much too long", "    # for one line of the box"), inside,
                "a break inside a comment starts the next line with # (a backslash would not continue a comment)");
    }

    @Test
    void hereDocumentBodiesStayAsTheyAre() {
        String script = "cat > scratch/my-cnb/bin/detect <<'EOF'\n#!/usr/bin/env bash\n"
                + "if [[ -f app.py || -f requirements.txt || -f main.py ]]; then exit 0; else exit 100; fi\nEOF\nls";
        List<String> body = boxBody(render("sh", script, 40));
        assertTrue(body.contains("if [[ -f app.py || -f requirements.txt || -f main.py ]]; then exit 0; else exit 100; fi"),
                body.toString());
        assertEquals("ls", body.get(body.size() - 1));
    }

    @Test
    void consoleOutputWrapsAtBlanksWithoutABackslash() {
        List<String> body = boxBody(render("console", "$ pack build webapp\nERROR: buildpack 'example/my-cnb@0.0.1' (Buildpack API"
                + " 0.5) is incompatible with lifecycle", 40));
        assertEquals(List.of("$ pack build webapp", "ERROR: buildpack", "  'example/my-cnb@0.0.1' (Buildpack",
                "  API 0.5) is incompatible with", "  lifecycle"), body);
    }

    @Test
    void aCommandContinuedInTheLessonKeepsItsOwnBackslashes() {
        String console = "$ docker run --rm -v \"$PWD/sample-app:/workspace:ro\" -w /workspace \\\n"
                + "    -v \"$PWD/buildpacks/python:/cnb/buildpacks/python:ro\" distroless-python:build \\\n"
                + "    bash -c 'echo \"exit code $?\"'";
        List<String> body = boxBody(render("console", console, 60));
        assertEquals(words(console.replace("\\\n", " ").substring(2)), words(joined(body).substring(2)), body.toString());
        assertFalse(body.stream().anyMatch(l -> l.endsWith("\\ \\")), body.toString());
    }

    /** Box lines joined as a shell joins them: each backslash-newline removed. */
    static String joined(List<String> body) {
        return String.join("\n", body).replace("\\\n", "");
    }

    /** The words of a shell line, quotes kept: split at blanks outside quotes. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (Character.isWhitespace(c)) {
                if (w.length() > 0) {
                    words.add(w.toString());
                    w.setLength(0);
                }
                continue;
            }
            w.append(c);
        }
        if (w.length() > 0) {
            words.add(w.toString());
        }
        return words;
    }

    /**
     * What a POSIX shell makes of a command: its words (the command word turned into an argument of
     * printf) and the files it writes, run in a fresh folder holding the lessons' folders.
     */
    private String shell(String command, String name) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(temp.resolve(name));
        Files.createDirectories(dir.resolve("stacks/distroless-python/run"));
        String script = "words() { printf '[%s]\\n' \"$@\"; }\nwords " + command + "\n";
        Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        StringBuilder files = new StringBuilder(out);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.filter(Files::isRegularFile).sorted().toList()) {
                files.append("\n== ").append(dir.relativize(f)).append('\n').append(Files.readString(f));
            }
        }
        return files.toString();
    }
}
