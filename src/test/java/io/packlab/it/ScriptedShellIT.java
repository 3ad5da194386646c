package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell fed from a pipe ({@code printf '...' | ./packlab}), as a script uses it: no logger lines,
 * and an exit code that says whether the lines succeeded: 0 when all did, else the most serious
 * exit code of those that failed (3 engine, 2 bad input, 1 failed), also after {@code quit}.
 */
class ScriptedShellIT {

    private static final String LESSONS = Launcher.HOME.resolve("src/test/resources/lessons/two").toString();
    private static final String MISSING_IMAGE = "packlab-test-first:latest";

    @TempDir
    Path work;

    @BeforeAll
    static void docker() {
        try (var engine = DockerSupport.engine()) {
            // lesson first checks this image: its check must fail here
            engine.removeImage(MISSING_IMAGE, true);
        }
    }

    private Launcher.Result fed(String input) throws Exception {
        return fed(input, Map.of());
    }

    private Launcher.Result fed(String input, Map<String, String> env) throws Exception {
        return Launcher.runFed(input, env, "--workdir=" + work, "--lessons", LESSONS);
    }

    /** Nothing of java.util.logging (its "WARNING:" lines and dated headers) nor a stack trace. */
    private static void noNoise(Launcher.Result r) {
        for (String line : r.err().lines().toList()) {
            assertFalse(line.startsWith("WARNING") || line.startsWith("SEVERE") || line.startsWith("INFO")
                    || line.contains("org.jline") || line.contains("Exception")
                    || line.matches("[A-Z][a-z]{2} \\d{1,2}, \\d{4} .*"),
                    "a logger line on stderr: " + line + "\n" + r.err());
        }
        assertFalse(r.all().contains("Unable to create a system terminal"), r.all());
    }

    @Test
    void linesThatAllSucceedExitWithZero() throws Exception {
        Launcher.Result r = fed("list\nstatus\nshow first\n# a comment\n\nls\nprev\n");
        noNoise(r);
        assertEquals(0, r.code(), r.all());
        assertEquals("", r.err(), "nothing on stderr");
        assertTrue(r.out().contains("The first lesson"), r.out());
        assertTrue(r.out().contains("bye: your progress is kept"), r.out());
    }

    @Test
    void endOfInputWithoutALineExitsWithZero() throws Exception {
        Launcher.Result r = fed("");
        noNoise(r);
        assertEquals(0, r.code(), r.all());
    }

    @Test
    void aBadLessonNumberMakesTheExitCodeTwo() throws Exception {
        Launcher.Result r = fed("list\nrun 99\n");
        noNoise(r);
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("error: there is no lesson `99`."), r.err());
        assertTrue(r.err().contains("error: 1 of 2 commands failed (the first: line 2, `run 99`); exit code 2, the most"
                + " serious of them: bad input."), r.err());
    }

    @Test
    void aFailingCheckMakesTheExitCodeOneAndLaterLinesStillRun() throws Exception {
        Launcher.Result r = fed("check first\nlist\n");
        noNoise(r);
        assertEquals(1, r.code(), r.all());
        assertTrue(r.out().contains("✘ image " + MISSING_IMAGE + " exists"), r.out());
        assertTrue(r.out().contains("first   current"), "the line after the failure ran: " + r.out());
        assertTrue(r.err().contains("1 of 2 commands failed (the first: line 1, `check first`); exit code 1"), r.err());
    }

    @Test
    void theMostSeriousFailureDecidesWhateverItsPlace() throws Exception {
        Launcher.Result r = fed("check first\nrun 99\nnot-a-verb\n", Map.of("DOCKER_HOST", "unix:///nonexistent.sock"));
        noNoise(r);
        assertEquals(3, r.code(), "no engine (3) outranks bad input (2): " + r.all());
        assertTrue(r.err().contains("3 of 3 commands failed (the first: line 1, `check first`); exit code 3"), r.err());

        Launcher.Result input = fed("run 99\ncheck first\n");
        noNoise(input);
        assertEquals(2, input.code(), "bad input (2) outranks a failed check (1): " + input.all());
    }

    @Test
    void quitAfterAFailureKeepsItsExitCodeAndRunsNothingMore() throws Exception {
        Launcher.Result r = fed("run 99\nquit\nlist\n");
        noNoise(r);
        assertEquals(2, r.code(), r.all());
        assertFalse(r.out().contains(" 1  first"), "nothing after quit ran: " + r.out());

        Launcher.Result clean = fed("list\nquit\nrun 99\n");
        assertEquals(0, clean.code(), "quit before the failing line: " + clean.all());
    }
}
