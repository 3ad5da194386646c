package io.packlab.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A command copied from a box of `show` (rows ending in \) runs in the shell as one line. */
class ContinuationTest {

    @Test
    void backslashNewlineJoinsTheRowsAsAShellDoes() {
        assertEquals("pack build webapp --builder python:distroless --pull-policy if-not-present",
                PacklabShell.joinContinuations("pack build webapp --builder python:distroless \\\n    --pull-policy if-not-present"));
        assertEquals("printf 'x\\n' > stacks/distroless-python/run/patch.txt",
                PacklabShell.joinContinuations("printf 'x\\n' > \\\n    stacks/distroless-python/run/patch.txt"));
    }

    @Test
    void withoutABlankBeforeTheBackslashTheIndentationSeparatesTheWords() {
        assertEquals("ls    sample-app", PacklabShell.joinContinuations("ls\\\n    sample-app"));
        assertEquals("lssample-app", PacklabShell.joinContinuations("ls\\\nsample-app"), "as sh: the word goes on");
    }

    @Test
    void insideSingleQuotesABackslashNewlineStays() {
        assertEquals("printf 'a \\\n b'", PacklabShell.joinContinuations("printf 'a \\\n b'"));
        assertEquals("echo \"a b\"", PacklabShell.joinContinuations("echo \"a \\\nb\""), "in double quotes it goes, as in sh");
    }

    @Test
    void aLineWithoutRowsIsUntouched() {
        assertEquals("docker build -t a\\ b .", PacklabShell.joinContinuations("docker build -t a\\ b ."));
    }
}
