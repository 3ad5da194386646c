package io.packlab.workshop;

import io.packlab.lesson.Hint;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.Step;
import io.packlab.progress.LessonState;
import io.packlab.term.Wording;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Help for a learner who is stuck: hints one at a time (the next on each request, cycling), the
 * advice to look at the solution after {@link #STUCK_AFTER} failed checks, and the solution itself.
 */
public final class Coach {

    /** Failed checks of a lesson after which the solution is offered. */
    public static final int STUCK_AFTER = 3;

    private final Map<String, Integer> nextHint = new HashMap<>();

    /** A hint and its place among the lesson's hints (1-based). */
    public record NumberedHint(Hint hint, int number, int of) {
    }

    /** The lesson's next hint: the first on the first request, then the next, and the first again after the last. */
    public synchronized Optional<NumberedHint> nextHint(Lesson lesson) {
        List<Hint> hints = lesson.hints();
        if (hints.isEmpty()) {
            return Optional.empty();
        }
        int i = nextHint.getOrDefault(lesson.id(), 0) % hints.size();
        nextHint.put(lesson.id(), i + 1);
        return Optional.of(new NumberedHint(hints.get(i), i + 1, hints.size()));
    }

    /**
     * The line that offers the solution ({@code coach.stuck} in the learner's words), once a lesson's
     * checks failed {@link #STUCK_AFTER} times since it last passed.
     */
    public static Optional<String> stuckAdvice(LessonState state, Wording words) {
        return state.failures() >= STUCK_AFTER ? Optional.of(words.text("coach.stuck")) : Optional.empty();
    }

    /** One command line of the solution: its number in the lesson, its step, and the command. */
    public record SolutionLine(int number, Step step, Step.StepLine line) {
    }

    /** The commands of the lesson's sh blocks, in order, numbered from 1 across the whole lesson. */
    public static List<SolutionLine> solution(Lesson lesson) {
        List<SolutionLine> out = new ArrayList<>();
        for (Step step : lesson.steps()) {
            for (Step.StepLine line : step.lines()) {
                out.add(new SolutionLine(out.size() + 1, step, line));
            }
        }
        return out;
    }
}
