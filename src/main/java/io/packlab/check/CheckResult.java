package io.packlab.check;

/** The outcome of one check: passed or not, and on failure what was expected and what was found. */
public record CheckResult(Check check, boolean passed, String expected, String found) {

    public static CheckResult pass(Check check, String found) {
        return new CheckResult(check, true, "", found);
    }

    public static CheckResult fail(Check check, String expected, String found) {
        return new CheckResult(check, false, expected, found);
    }

    /** Passed when {@code ok}, else failed with expected/found. */
    public static CheckResult of(Check check, boolean ok, String expected, String found) {
        return ok ? pass(check, found) : fail(check, expected, found);
    }
}
