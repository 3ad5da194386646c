package io.packlab.workshop;

import io.packlab.check.CheckResult;
import io.packlab.lesson.Hint;
import io.packlab.lesson.Lesson;
import io.packlab.progress.LessonState;
import io.packlab.term.Console;
import io.packlab.term.Wording;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Prints check results: a passed check in one line; a failed one with what was expected, what was
 * found, its hint (or the lesson's first) and where it is written; then the lesson's summary line and,
 * for a learner stuck on it, the coach's advice.
 */
final class CheckPrinter {

    private final Console console;
    private final Function<Path, String> relative;
    private final Function<Lesson, LessonState> state;
    private final Wording words;

    /**
     * @param relative how a lesson file's path is shown
     * @param state    the lesson's recorded progress (for the advice after repeated failures)
     * @param words    the learner's language, for the summary line and the advice
     */
    CheckPrinter(Console console, Function<Path, String> relative, Function<Lesson, LessonState> state, Wording words) {
        this.console = console;
        this.relative = relative;
        this.state = state;
        this.words = words;
    }

    /** A whole report: each result, then the summary. */
    void print(CheckReport report) {
        report.results().forEach(r -> result(report.lesson(), r));
        summary(report);
    }

    void result(Lesson lesson, CheckResult r) {
        if (r.passed()) {
            console.pass(r.check().source());
            return;
        }
        console.fail(r.check().source());
        console.detail("expected", r.expected());
        console.detail("found   ", r.found());
        Optional<String> hint = hintFor(lesson, r);
        hint.ifPresent(h -> console.detail("hint    ", h.replace("\n", " ")));
        console.detail("at      ", relative.apply(r.check().location().file()) + ":" + r.check().location().line());
    }

    /** The hint a failed check is shown with: its own, or else the lesson's first. */
    static Optional<String> hintFor(Lesson lesson, CheckResult r) {
        return r.check().hint().or(() -> lesson.hints().stream().findFirst().map(Hint::text));
    }

    void summary(CheckReport report) {
        Lesson lesson = report.lesson();
        int n = report.results().size();
        if (report.passed()) {
            console.pass(console.style().bold(words.text("check.passed", lesson.id(), n)));
        } else {
            console.fail(console.style().bold(words.text("check.failed", lesson.id(), report.failures(), n)));
            Coach.stuckAdvice(state.apply(lesson), words).ifPresent(console::println);
        }
    }
}
