package io.packlab.workshop;

import io.packlab.check.CheckResult;
import io.packlab.lesson.Lesson;
import java.util.List;
import java.util.Optional;

/** The results of one lesson's checks. */
public record CheckReport(Lesson lesson, List<CheckResult> results) {

    public CheckReport {
        results = List.copyOf(results);
    }

    public boolean passed() {
        return results.stream().allMatch(CheckResult::passed);
    }

    public long failures() {
        return results.stream().filter(r -> !r.passed()).count();
    }

    public Optional<CheckResult> firstFailure() {
        return results.stream().filter(r -> !r.passed()).findFirst();
    }

    /** One line for the progress file: the first failing check and what was found. */
    public String summary() {
        return firstFailure().map(r -> r.check().source() + " (found: " + r.found() + ")").orElse("passed");
    }
}
