package io.packlab.shell;

import io.packlab.error.PacklabException;
import io.packlab.term.Wording;
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
    private int firstNumber;
    private String firstText;

    /** Notes the result of line {@code number} ({@code text}, as read): its exit code, 0 when it succeeded. */
    void record(int number, String text, int exitCode) {
        lines++;
        if (exitCode == 0) {
            return;
        }
        failures++;
        if (firstText == null) {
            firstNumber = number;
            firstText = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        }
        code = Math.max(code, severity(exitCode));
    }

    /** 0, or the most serious exit code of the failed lines. */
    int exitCode() {
        return code;
    }

    /** One sentence on the failures, if there were any, in {@code words}. */
    Optional<String> summary(Wording words) {
        if (failures == 0) {
            return Optional.empty();
        }
        String meaning = words.text(switch (code) {
            case PacklabException.NO_ENGINE -> "script.engine";
            case PacklabException.USAGE -> "script.usage";
            default -> "script.failed";
        });
        // the count key follows the number of lines: "1 of 1 command", "1 of 2 commands"
        return Optional.of(words.text(lines == 1 ? "script.summary.one" : "script.summary.many", failures, lines,
                words.text("script.first", firstNumber, firstText), code, meaning));
    }

    /** The contract's codes keep their rank; any other failure counts as a failed step. */
    private static int severity(int exitCode) {
        return exitCode == PacklabException.NO_ENGINE || exitCode == PacklabException.USAGE ? exitCode
                : PacklabException.FAILED;
    }
}
