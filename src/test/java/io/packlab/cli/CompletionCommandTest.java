package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code completion}: a script from the picocli model, valid bash, that completes the verbs. */
class CompletionCommandTest {

    @TempDir
    Path work;

    private static final List<String> VERBS = List.of("list", "show", "run", "check", "reset", "doctor", "docker",
            "pack", "status", "lint", "completion");

    record Bash(int code, String out) {
    }

    private static Bash bash(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash ended");
        return new Bash(p.exitValue(), out);
    }

    @Test
    void bashScriptNamesTheVerbsAndIsValidBash() throws Exception {
        InProcessCli.Run r = InProcessCli.run(work, "completion");
        assertEquals(0, r.code(), r.err());
        for (String verb : VERBS) {
            assertTrue(r.out().contains(verb), verb + " in the script");
        }
        assertTrue(r.out().contains("complete -F _complete_packlab"), "registers for packlab");
        Path script = work.resolve("packlab.bash");
        Files.writeString(script, r.out());
        Bash syntax = bash("bash", "-n", script.toString());
        assertEquals(0, syntax.code(), syntax.out());
        assertEquals(r.out(), InProcessCli.run(work, "completion", "bash").out());
    }

    @Test
    void bashCompletesTheVerbsOfTheCommandLine() throws Exception {
        Path script = work.resolve("packlab.bash");
        Files.writeString(script, InProcessCli.run(work, "completion").out());
        Bash verbs = bash("bash", "-c", "source " + script + " 2>/dev/null;"
                + " COMP_WORDS=(./packlab ''); COMP_CWORD=1; COMP_LINE='./packlab '; COMP_POINT=${#COMP_LINE};"
                + " _complete_packlab 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"");
        List<String> words = verbs.out().lines().map(String::strip).toList();
        for (String verb : VERBS) {
            assertTrue(words.contains(verb), verb + " completed: " + words);
        }
        Bash st = bash("bash", "-c", "source " + script + " 2>/dev/null;"
                + " COMP_WORDS=(packlab st); COMP_CWORD=1; COMP_LINE='packlab st'; COMP_POINT=${#COMP_LINE};"
                + " _complete_packlab 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertEquals(List.of("status"), st.out().lines().map(String::strip).toList());
    }

    @Test
    void zshGetsThePreludeAndTheSameScript() throws Exception {
        InProcessCli.Run bash = InProcessCli.run(work, "completion", "bash");
        InProcessCli.Run zsh = InProcessCli.run(work, "completion", "zsh");
        assertEquals(0, zsh.code(), zsh.err());
        assertTrue(zsh.out().startsWith("# packlab completion for zsh"), zsh.out());
        assertTrue(zsh.out().contains("autoload -U +X bashcompinit && bashcompinit\n"), zsh.out());
        assertTrue(zsh.out().endsWith(bash.out()), "the bash script after the prelude");
        Path script = work.resolve("packlab.zsh");
        Files.writeString(script, zsh.out());
        assertEquals(0, bash("bash", "-n", script.toString()).code(), "the zsh script is also valid bash syntax");
    }

    @Test
    void otherShellsAreAUsageError() {
        InProcessCli.Run r = InProcessCli.run(work, "completion", "fish");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("bash and zsh, not `fish`"), r.err());
    }
}
