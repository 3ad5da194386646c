package io.packlab.words;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** One rule for step lines and check lines: a table of lines and their words, the refusals, and sh as the judge. */
class ShellWordsTest {

    private static final Map<String, String> ENV = Map.of("HOME", "/home/me", "TAG", "v1", "TWO", "a b", "EMPTY", "");

    /** A line, its words as a step (variables from ENV), and its words as a check (nothing expanded). */
    private record Row(String line, List<String> step, List<String> check) {
    }

    private static Row row(String line, List<String> step, List<String> check) {
        return new Row(line, step, check);
    }

    private static Row same(String line, String... words) {
        return new Row(line, List.of(words), List.of(words));
    }

    private static final List<Row> TABLE = List.of(
            row("docker build -t app:$TAG .", List.of("docker", "build", "-t", "app:v1", "."),
                    List.of("docker", "build", "-t", "app:$TAG", ".")),
            row("echo \"a b\" '$TAG' \"${TAG}!\"", List.of("echo", "a b", "$TAG", "v1!"),
                    List.of("echo", "a b", "$TAG", "${TAG}!")),
            same("a\\ b", "a b"),
            same("'' x \"\"", "", "x", ""),
            same("a'b'\"c\"d", "abcd"),
            row("$HOME/x", List.of("/home/me/x"), List.of("$HOME/x")),
            row("pre-$UNSET", List.of("pre-"), List.of("pre-$UNSET")),
            row("x $UNSET $EMPTY y", List.of("x", "y"), List.of("x", "$UNSET", "$EMPTY", "y")),
            row("x \"$UNSET\" y", List.of("x", "", "y"), List.of("x", "$UNSET", "y")),
            row("echo $TWO \"$TWO\" pre$TWO", List.of("echo", "a", "b", "a b", "prea", "b"),
                    List.of("echo", "$TWO", "$TWO", "pre$TWO")),
            row("$1x ${1}y", List.of("x", "y"), List.of("$1x", "${1}y")),
            same("caf$é", "caf$é"),
            same("echo a#b", "echo", "a#b"),
            same("echo '#x' \"#y\" \\#z", "echo", "#x", "#y", "#z"),
            same("echo a # b 'c", "echo", "a"),
            same("\"a\\\"b\" \"c\\\\d\" \"e\\$f\" \"g\\h\"", "a\"b", "c\\d", "e$f", "g\\h"),
            same("'a\\b' a\\b", "a\\b", "ab"),
            same("'it\\'s", "it\\s"),
            same("ends\\", "ends\\"),
            row("~ ~/x ~nosuchuser9 a~ '~'/x", List.of("/home/me", "/home/me/x", "~nosuchuser9", "a~", "~/x"),
                    List.of("~", "~/x", "~nosuchuser9", "a~", "~/x")),
            same("tab\tseparated  two", "tab", "separated", "two"),
            same("  lead and trail  ", "lead", "and", "trail"),
            same("\"日本語 テキスト\" 日本語", "日本語 テキスト", "日本語"),
            same("\"it costs $'\"", "it costs $'"));

    @Test
    void stepLinesSplitAsShWouldWithVariables() {
        assertAll(TABLE.stream().map(r -> (Executable) () ->
                assertEquals(r.step(), ShellWords.split(r.line(), ENV), r.line())));
    }

    @Test
    void checkLinesSplitByTheSameQuotingAndExpandNothing() {
        assertAll(TABLE.stream().map(r -> (Executable) () ->
                assertEquals(r.check(), ShellWords.literal(r.line()).words(), r.line())));
    }

    /** The table's step words are what /bin/sh makes of the same lines, given the same variables. */
    @Test
    void shAgreesWithEveryStepRow() throws Exception {
        for (Row r : TABLE) {
            assertEquals(r.step(), sh(r.line()), "sh and packlab cut `" + r.line() + "` differently");
        }
    }

    @Test
    void theCommentAndTheCodeBeforeIt() {
        ShellWords.Line hinted = ShellWords.literal("  image a label k = \"a # b\"   # hint: build it  ");
        assertEquals(List.of("image", "a", "label", "k", "=", "a # b"), hinted.words());
        assertEquals("image a label k = \"a # b\"", hinted.code());
        assertEquals(" hint: build it  ", hinted.comment());
        ShellWords.Line plain = ShellWords.literal("image a exists");
        assertNull(plain.comment());
        assertEquals("image a exists", plain.code());
        assertEquals(List.of(), ShellWords.literal("# only a comment").words());
        assertEquals(List.of(), ShellWords.literal("   ").words());
    }

    @Test
    void refusalsNameTheColumnAndAreBadInput() {
        assertRefused("echo 'oops", 6, "the quote ' opened at column 6 in `echo 'oops` is not closed; close it or remove it.");
        assertRefused("  image \"a exists  ", 7,
                "the quote \" opened at column 7 in `image \"a exists` is not closed; close it or remove it.");
        assertRefused("echo 日本 'x", 9, "the quote ' opened at column 9 in `echo 日本 'x`");
        assertRefused("echo \uD834\uDD1E 'x", 8, "the quote ' opened at column 8"); // one column for a character outside the BMP
        assertRefused("echo ${TAG", 6, "the ${ at column 6 in `echo ${TAG` is not closed by }; close it, or write the"
                + " variable as $NAME.");
        assertRefused("echo $'a\\tb'", 6, "`$'` at column 6 in `echo $'a\\tb'` is bash's $'…' quoting (for escapes like"
                + " \\n), which sh reads differently; write the text in '…' or \"…\" (printf turns \\n into a new line).");
        assertRefused("echo $\"x\"", 6, "`$\"` at column 6 in `echo $\"x\"` is bash's $\"…\" quoting (for translations)");
        assertRefused("ls\u3000-l", 3, "column 3 of `ls\u3000-l` holds U+3000 IDEOGRAPHIC SPACE between words, which a"
                + " shell keeps as part of a word; type a plain space there, or put the text in quotes if the character"
                + " belongs to it.");
        assertRefused("a\u00A0b", 2, "U+00A0 NO-BREAK SPACE");
        // a check line is refused the same way
        ShellWordsException check = assertThrows(ShellWordsException.class, () -> ShellWords.literal("x $'y'"));
        assertEquals(3, check.column());
        assertEquals(2, check.exitCode());
        // in quotes, odd spaces belong to the word
        assertEquals(List.of("a\u3000b"), ShellWords.split("'a\u3000b'", ENV));
    }

    private static void assertRefused(String line, int column, String message) {
        ShellWordsException e = assertThrows(ShellWordsException.class, () -> ShellWords.split(line, ENV), line);
        assertEquals(2, e.exitCode(), line);
        assertEquals(column, e.column(), line);
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(e.problem() + ".", e.getMessage());
    }

    @Test
    void shellSyntaxNeedsAShell() {
        for (String line : List.of("ls | wc -l", "echo hi > f", "echo $(date)", "echo \"$(date)\"", "echo \"`date`\"",
                "ls *.md", "a; b", "sleep 1 &", "echo $?", "echo $$", "echo ${TAG:-x}", "echo 'a\\' | wc -l")) {
            assertTrue(ShellWords.needsShell(line), line);
        }
        for (String line : List.of("echo 'a | b' \"c > d\"", "docker build -t a:b ./build", "echo hi # a | b",
                "echo \\| x", "echo '$(date)'", "echo $TAG ${TAG}")) {
            assertFalse(ShellWords.needsShell(line), line);
        }
    }

    @Test
    void afterACommandSubstitutionShJudgesTheQuoting() {
        ShellWords.Line line = ShellWords.parse("echo \"$(echo \"'\")\"", ENV);
        assertTrue(line.needsShell());
    }

    /** The words /bin/sh gives the line as a command's arguments, with ENV as its environment. */
    private static List<String> sh(String line) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "printf '%s\\0' MARK " + line);
        pb.environment().clear();
        pb.environment().putAll(ENV);
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), line);
        List<String> words = new ArrayList<>(Arrays.asList(new String(out, StandardCharsets.UTF_8).split("\0", -1)));
        words.remove(words.size() - 1); // after the last \0
        assertEquals("MARK", words.remove(0), line);
        return words;
    }
}
