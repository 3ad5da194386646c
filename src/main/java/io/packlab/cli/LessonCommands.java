package io.packlab.cli;

import io.packlab.workshop.Session;
import io.packlab.lesson.Lesson;
import io.packlab.term.MarkdownRenderer;
import io.packlab.workshop.CheckReport;
import io.packlab.report.JUnitXml;
import io.packlab.report.ReportFile;
import io.packlab.workshop.ResetPlan;
import io.packlab.workshop.RunRecorder;
import io.packlab.workshop.Workshop;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The verbs shared by the command line and the shell: list, show, run, check, reset. */
final class LessonCommands {

    private LessonCommands() {
    }

    @Command(name = "list", description = "List the lessons with their status (done / current / todo).")
    static final class ListCommand implements Callable<Integer> {
        private final Session ctx;

        ListCommand(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Workshop w = ctx.workshop();
            List<Lesson> lessons = w.lessons().lessons();
            int idWidth = lessons.stream().mapToInt(l -> l.id().length()).max().orElse(5);
            for (int i = 0; i < lessons.size(); i++) {
                Lesson l = lessons.get(i);
                String mark = StatusCommand.mark(ctx.console().style(), w.status(l));
                ctx.console().println(String.format("%2d  %-" + idWidth + "s  %s  %s", i + 1, l.id(), mark, l.title()));
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Print a lesson, rendered for the terminal.")
    static final class ShowCommand implements Callable<Integer> {
        private final Session ctx;

        @Parameters(arity = "0..1", paramLabel = "LESSON", description = "Lesson id or number (default: the current one).")
        String lesson;

        ShowCommand(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Workshop w = ctx.workshop();
            Lesson l = lesson == null ? w.current() : w.lessons().get(lesson);
            String lang = w.settings().lang();
            MarkdownRenderer renderer = new MarkdownRenderer(ctx.console().style(), ctx.console().width(),
                    io.packlab.term.Wording.of(lang), io.packlab.check.CheckSentences.of(lang)::sentence);
            renderer.render(l.markdown()).forEach(ctx.console()::println);
            return 0;
        }
    }

    @Command(name = "run", description = "Run a lesson's steps, then its checks; stop at the first failure.")
    static final class RunCommand implements Callable<Integer> {
        private final Session ctx;

        @Parameters(arity = "0..1", paramLabel = "LESSON", description = "Lesson id or number (default: the current one).")
        String lesson;

        @Option(names = "--all", description = "Run every lesson in order.")
        boolean all;

        @Option(names = "--report", paramLabel = "FILE", description = "Also write a JUnit XML report for CI: a test"
                + " suite per lesson, a test case per step and per check (written also when a step fails or the run is"
                + " stopped).")
        java.nio.file.Path report;

        RunCommand(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            if (all && lesson != null) {
                throw io.packlab.error.PacklabException.usage("give a lesson or --all, not both.");
            }
            ReportFile file = report == null ? null : ReportFile.open(ctx.workingFolder(), report);
            Workshop w = ctx.workshop();
            List<Lesson> planned = all ? w.lessons().lessons()
                    : List.of(lesson == null ? w.current() : w.lessons().get(lesson));
            if (file == null) {
                boolean ok = all ? w.runAll(ctx.cancellation()) : w.run(planned.get(0), ctx.cancellation());
                return ok ? 0 : 1;
            }
            return runWithReport(w, planned, file);
        }

        /**
         * Runs with a report: written when the run ends, however it ends, and at once when a signal stops
         * it (so that a run that does not unwind in time still leaves one).
         */
        private int runWithReport(Workshop w, List<Lesson> planned, ReportFile file) {
            RunRecorder recorder = w.recorder(planned);
            Runnable onSignal = () -> {
                try {
                    file.write(() -> JUnitXml.write(recorder.report()));
                } catch (io.packlab.error.PacklabException e) {
                    // the run's own end writes it again and says why it could not
                }
            };
            ctx.cancellation().onCancel(onSignal);
            boolean ok;
            try {
                ok = all ? w.runAll(ctx.cancellation(), recorder) : w.run(planned.get(0), ctx.cancellation(), recorder);
            } catch (RuntimeException e) {
                try {
                    write(file, recorder);
                } catch (io.packlab.error.PacklabException notWritten) {
                    ctx.console().warn(notWritten.getMessage());
                }
                throw e;
            } finally {
                ctx.cancellation().forget(onSignal);
            }
            write(file, recorder);
            return ok ? 0 : 1;
        }

        private void write(ReportFile file, RunRecorder recorder) {
            io.packlab.report.JUnitReport[] written = new io.packlab.report.JUnitReport[1];
            file.write(() -> {
                written[0] = recorder.report();
                return JUnitXml.write(written[0]);
            });
            io.packlab.report.JUnitReport r = written[0];
            ctx.console().println("JUnit report: " + file.path() + " (" + r.tests() + " tests, " + r.failures()
                    + " failed, " + r.errors() + " errors, " + r.skipped() + " skipped)");
        }
    }

    @Command(name = "check", description = "Check the engine state for a lesson (does not run its steps).")
    static final class CheckCommand implements Callable<Integer> {
        private final Session ctx;

        @Parameters(arity = "0..1", paramLabel = "LESSON", description = "Lesson id or number (default: the current one).")
        String lesson;

        CheckCommand(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Workshop w = ctx.workshop();
            CheckReport report = w.check(lesson == null ? w.current() : w.lessons().get(lesson));
            return report.passed() ? 0 : 1;
        }
    }

    @Command(name = "reset", description = "Remove what lessons made (the images, containers and volumes packlab"
            + " recorded making, by ID) and reset progress; anything of yours stays.")
    static final class ResetCommand implements Callable<Integer> {
        private final Session ctx;

        @Parameters(arity = "0..1", paramLabel = "LESSON", description = "Only this lesson (default: all lessons).")
        String lesson;

        ResetCommand(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Workshop w = ctx.workshop();
            Optional<Lesson> which = Optional.ofNullable(lesson).map(w.lessons()::get);
            ResetPlan plan = w.planReset(which);
            String scope = which.map(l -> "lesson " + l.id()).orElse("all lessons");
            if (plan.size() > 0) {
                ctx.console().println("packlab made these for " + scope + ":");
                plan.names().forEach(n -> ctx.console().println("  " + n));
                if (!ctx.confirm("Remove these " + plan.size() + " resource(s), and reset the progress of " + scope
                        + "? (" + plan.kept().size() + " other(s) stay; the summary says which and why.)")) {
                    ctx.console().println("Nothing removed.");
                    return 1;
                }
            }
            ResetPlan.Result result = w.reset(plan);
            result.removed().forEach(r -> ctx.console().pass("removed " + r));
            result.kept().forEach(k -> ctx.console().note(k.line()));
            ctx.console().println("Reset " + scope + ": " + result.removed().size() + " removed, " + result.kept().size()
                    + " kept. packlab removes only what it recorded making, while its image ID still matches; the label"
                    + " io.packlab.lesson shows where a resource came from, and your images built FROM packlab's carry"
                    + " it too.");
            return 0;
        }
    }
}
