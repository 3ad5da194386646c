package io.packlab.shell;

import io.packlab.workshop.Session;

import io.packlab.lesson.Lesson;
import io.packlab.lesson.LessonCatalog;
import io.packlab.term.Wording;
import io.packlab.workshop.CheckReport;
import io.packlab.workshop.Workshop;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The verbs that exist only inside the shell: next, prev, hint, status, quit. */
final class ShellVerbs {

    private ShellVerbs() {
    }

    @Command(name = "next", description = "Go to the next lesson (once the current lesson's checks pass).")
    static final class Next implements Callable<Integer> {
        private final Session ctx;

        @Option(names = "--force", description = "Go on even though the checks have not passed.")
        boolean force;

        Next(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Workshop w = ctx.workshop();
            LessonCatalog catalog = w.lessons();
            Lesson current = w.current();
            Wording words = Wording.of(w.settings().lang());
            int i = catalog.indexOf(current);
            if (i + 1 >= catalog.lessons().size()) {
                ctx.console().println(words.text("shell.next.last"));
                return 0;
            }
            if (!force) {
                CheckReport report = w.evaluate(current);
                if (!report.passed()) {
                    w.print(report);
                    ctx.console().println(words.text("shell.next.notDone", current.id()));
                    return 1;
                }
            }
            Lesson next = catalog.lessons().get(i + 1);
            w.moveTo(next);
            ctx.console().heading(words.text("shell.next.heading", i + 2, next.title()));
            return 0;
        }
    }

    @Command(name = "prev", description = "Go back to the previous lesson.")
    static final class Prev implements Callable<Integer> {
        private final Session ctx;

        Prev(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Workshop w = ctx.workshop();
            Wording words = Wording.of(w.settings().lang());
            int i = w.lessons().indexOf(w.current());
            if (i == 0) {
                ctx.console().println(words.text("shell.prev.first"));
                return 0;
            }
            Lesson prev = w.lessons().lessons().get(i - 1);
            w.moveTo(prev);
            ctx.console().heading(words.text("shell.prev.heading", i, prev.title()));
            return 0;
        }
    }

    @Command(name = "quit", aliases = "exit", description = "Leave the shell (progress is kept).")
    static final class Quit implements Callable<Integer> {
        private final Runnable onQuit;

        Quit(Runnable onQuit) {
            this.onQuit = onQuit;
        }

        @Override
        public Integer call() {
            onQuit.run();
            return 0;
        }
    }
}
