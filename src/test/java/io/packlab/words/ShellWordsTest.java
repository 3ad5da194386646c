package io.packlab.words;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellWordsTest {

    private static final Map<String, String> ENV = Map.of("HOME", "/home/me", "TAG", "v1");

    @Test
    void splitsQuotesAndExpands() {
        assertEquals(List.of("docker", "build", "-t", "app:v1", "."), ShellWords.split("docker build -t app:$TAG .", ENV));
        assertEquals(List.of("echo", "a b", "$TAG", "v1!"), ShellWords.split("echo \"a b\" '$TAG' \"${TAG}!\"", ENV));
        assertEquals(List.of("a b"), ShellWords.split("a\\ b", ENV));
        assertEquals(List.of("", "x"), ShellWords.split("'' x", ENV));
        assertEquals(List.of("/home/me/x"), ShellWords.split("$HOME/x", ENV));
        assertEquals(List.of("pre-"), ShellWords.split("pre-$UNSET", ENV));
    }

    @Test
    void unclosedQuoteIsAUsageError() {
        PacklabException e = assertThrows(PacklabException.class, () -> ShellWords.split("echo 'oops", ENV));
        assertEquals(2, e.exitCode());
    }

    @Test
    void shellSyntaxNeedsAShell() {
        assertTrue(ShellWords.needsShell("ls | wc -l"));
        assertTrue(ShellWords.needsShell("echo hi > f"));
        assertTrue(ShellWords.needsShell("echo $(date)"));
        assertTrue(ShellWords.needsShell("ls *.md"));
        assertFalse(ShellWords.needsShell("echo 'a | b' \"c > d\""));
        assertFalse(ShellWords.needsShell("docker build -t a:b ./build"));
    }
}
