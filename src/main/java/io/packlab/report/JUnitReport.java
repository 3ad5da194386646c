package io.packlab.report;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * A JUnit report as CI servers read it (the Ant/Surefire form): test suites, each with its
 * properties and test cases; a case passed, failed (a failed assertion), errored (it could not be
 * carried out) or was skipped.
 */
public record JUnitReport(String name, List<Suite> suites) {

    public JUnitReport {
        suites = List.copyOf(suites);
    }

    public long tests() {
        return suites.stream().mapToLong(Suite::tests).sum();
    }

    public long failures() {
        return suites.stream().mapToLong(Suite::failures).sum();
    }

    public long errors() {
        return suites.stream().mapToLong(Suite::errors).sum();
    }

    public long skipped() {
        return suites.stream().mapToLong(Suite::skipped).sum();
    }

    public double seconds() {
        return suites.stream().mapToDouble(Suite::seconds).sum();
    }

    /** One test suite: its name, when it started (local time, as Ant and Surefire write it), how long it took. */
    public record Suite(String name, LocalDateTime timestamp, double seconds, Map<String, String> properties,
            List<Case> cases) {

        public Suite {
            properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
            cases = List.copyOf(cases);
        }

        public long tests() {
            return cases.size();
        }

        public long failures() {
            return cases.stream().filter(c -> c.outcome() instanceof Failed f && !f.error()).count();
        }

        public long errors() {
            return cases.stream().filter(c -> c.outcome() instanceof Failed f && f.error()).count();
        }

        public long skipped() {
            return cases.stream().filter(c -> c.outcome() instanceof Skipped).count();
        }
    }

    /** One test case: {@code classname} groups it (the suite's name), {@code name} says what it is. */
    public record Case(String classname, String name, double seconds, Outcome outcome) {
    }

    /** How a test case ended. */
    public sealed interface Outcome permits Passed, Failed, Skipped {
    }

    /** The case passed. */
    public record Passed() implements Outcome {
    }

    /**
     * The case failed: {@code error} false for a failed assertion ({@code <failure>}), true when it could
     * not be carried out ({@code <error>}); {@code message} in one paragraph, {@code detail} the body.
     */
    public record Failed(boolean error, String message, String type, String detail) implements Outcome {
    }

    /** The case did not run, and why. */
    public record Skipped(String message) implements Outcome {
    }
}
