package io.packlab.shell;

import io.packlab.lesson.Lesson;
import io.packlab.lesson.Step;
import io.packlab.term.Console;
import io.packlab.term.Wording;
import io.packlab.workshop.Coach;
import io.packlab.workshop.Session;
import io.packlab.workshop.Workshop;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The shell's help for a stuck learner: {@code hint} (one hint at a time) and {@code solution}. */
final class ShellHelpVerbs {

    private ShellHelpVerbs() {
    }

    @Command(name = "hint", description = "Show the current lesson's next hint (the first, then the next on each call).")
    static final class HintVerb implements Callable<Integer> {
        private final Session ctx;
        private final Coach coach;

        /** @param coach keeps which hint comes next; one per shell, so it lasts from line to line */
        HintVerb(Session ctx, Coach coach) {
            this.ctx = ctx;
            this.coach = coach;
        }

        @Override
        public Integer call() {
            Workshop w = ctx.workshop();
            Lesson lesson = w.current();
            Console c = ctx.console();
            Wording words = Wording.of(w.settings().lang());
            var hint = coach.nextHint(lesson);
            if (hint.isEmpty()) {
                c.println(words.text("shell.hint.none"));
                return 0;
            }
            Coach.NumberedHint h = hint.get();
            String label = (h.of() == 1 ? words.text("shell.hint.one")
                    : words.text("shell.hint.numbered", h.number(), h.of())) + ": ";
            c.println(c.style().yellow(label) + h.hint().text());
            if (h.of() > 1 && h.number() < h.of()) {
                c.println(c.style().dim(words.text("shell.hint.more")));
            }
            Coach.stuckAdvice(w.progress().lesson(lesson.id()), words).ifPresent(c::println);
            return 0;
        }
    }

    @Command(name = "solution", description = "Show the current lesson's steps: the commands of its sh blocks, numbered.")
    static final class Solution implements Callable<Integer> {
        private final Session ctx;

        Solution(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Workshop w = ctx.workshop();
            Lesson lesson = w.current();
            Console c = ctx.console();
            Wording words = Wording.of(w.settings().lang());
            List<Coach.SolutionLine> lines = Coach.solution(lesson);
            if (lines.isEmpty()) {
                c.println(words.text("shell.solution.none", lesson.id()));
                return 0;
            }
            c.heading(words.text("shell.solution.heading", w.lessons().indexOf(lesson) + 1, lesson.title()));
            int width = String.valueOf(lines.size()).length();
            Step step = null;
            for (Coach.SolutionLine line : lines) {
                if (line.step() != step) {
                    step = line.step();
                    c.println(c.style().dim(words.text(step.needsRegistry() ? "shell.solution.step.registry"
                            : "shell.solution.step", step.number(), lesson.steps().size())
                            + "  (" + w.relative(step.location().file()) + ":" + step.location().line() + ")"));
                }
                c.println(String.format("  %" + width + "d  ", line.number()) + c.style().cyan(line.line().command()));
            }
            c.println(words.text("shell.solution.end"));
            return 0;
        }
    }
}
