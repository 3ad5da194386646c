package io.packlab.shell;

import io.packlab.error.PacklabException;
import java.util.Optional;

/**
 * What the lines of a shell fed from a pipe or a file came to, as one exit code: 0 when every line
 * succeeded, else the most serious exit code among the lines that failed (3 the engine, over 2 bad
 * input, over 1 a check or step failed), so that a script learns the worst of what happened
 * whatever the order of its lines.
 */
final class ScriptOutcome {

    private int lines;
    private int failures;
    private int code;
    private String first;

    /** Notes the result of line {@code number} ({@code text}, as read): its exit code, 0 when it succeeded. */
    void record(int number, String text, int exitCode) {
        lines++;
        if (exitCode == 0) {
            return;
        }
        failures++;
        if (first == null) {
            first = "line " + number + ", `" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "`";
        }
        code = Math.max(code, severity(exitCode));
    }

    /** 0, or the most serious exit code of the failed lines. */
    int exitCode() {
        return code;
    }

    /** One sentence on the failures, if there were any. */
    Optional<String> summary() {
        if (failures == 0) {
            return Optional.empty();
        }
        String meaning = switch (code) {
            case PacklabException.NO_ENGINE -> "the Docker engine could not be used";
            case PacklabException.USAGE -> "bad input";
            default -> "a check or step failed";
        };
        return Optional.of(failures + " of " + lines + " command" + (lines == 1 ? "" : "s") + " failed (the first: "
                + first + "); exit code " + code + ", the most serious of them: " + meaning + ".");
    }

    /** The contract's codes keep their rank; any other failure counts as a failed step. */
    private static int severity(int exitCode) {
        return exitCode == PacklabException.NO_ENGINE || exitCode == PacklabException.USAGE ? exitCode
                : PacklabException.FAILED;
    }
}
