package io.packlab.workshop;

import io.packlab.engine.Cancellation;
import io.packlab.error.PacklabException;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.LessonCatalog;
import io.packlab.lesson.Step;
import io.packlab.step.StepContext;
import io.packlab.step.StepRunner;
import io.packlab.term.Console;
import io.packlab.term.Wording;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs a lesson: checks that the lessons it builds on still hold, runs its steps in order (each in
 * the work folder, stopping at the first failure, which is recorded), records what they made, then
 * has its checks checked.
 */
final class LessonRunner {

    private final Settings settings;
    private final LessonCatalog catalog;
    private final ProgressBook book;
    private final EngineKeeper engines;
    private final Function<Lesson, CheckReport> evaluate;
    private final BiFunction<Lesson, RunListener, CheckReport> check;

    /**
     * @param evaluate a lesson's checks, evaluated without printing or recording (for the lessons a lesson builds on)
     * @param check    a lesson's checks, evaluated, printed and recorded (after its steps)
     */
    LessonRunner(Settings settings, LessonCatalog catalog, ProgressBook book, EngineKeeper engines,
            Function<Lesson, CheckReport> evaluate, Function<Lesson, CheckReport> check) {
        this(settings, catalog, book, engines, evaluate, (lesson, listener) -> check.apply(lesson));
    }

    /**
     * @param check a lesson's checks, evaluated, printed and recorded (after its steps), each result also
     *              handed to the listener
     */
    LessonRunner(Settings settings, LessonCatalog catalog, ProgressBook book, EngineKeeper engines,
            Function<Lesson, CheckReport> evaluate, BiFunction<Lesson, RunListener, CheckReport> check) {
        this.settings = settings;
        this.catalog = catalog;
        this.book = book;
        this.engines = engines;
        this.evaluate = evaluate;
        this.check = check;
    }

    /**
     * Runs the lesson's steps with {@code stepRunner}, saying each on {@code stepConsole};
     * {@code beforeLine} is called with each command line and its step context just before it runs.
     * Returns true when every check passed.
     */
    boolean run(Lesson lesson, Cancellation cancellation, StepRunner stepRunner, Console stepConsole,
            BiConsumer<Step.StepLine, StepContext> beforeLine) {
        return run(lesson, cancellation, stepRunner, stepConsole, beforeLine, RunListener.NONE);
    }

    /** Runs the lesson as above, telling {@code listener} of each step and check as it starts and ends. */
    boolean run(Lesson lesson, Cancellation cancellation, StepRunner stepRunner, Console stepConsole,
            BiConsumer<Step.StepLine, StepContext> beforeLine, RunListener listener) {
        listener.lessonStarted(lesson);
        try {
            boolean passed = runSteps(lesson, cancellation, stepRunner, stepConsole, beforeLine, listener);
            listener.lessonEnded(lesson, null);
            return passed;
        } catch (RuntimeException e) {
            listener.lessonEnded(lesson, e);
            throw e;
        }
    }

    private boolean runSteps(Lesson lesson, Cancellation cancellation, StepRunner stepRunner, Console stepConsole,
            BiConsumer<Step.StepLine, StepContext> beforeLine, RunListener listener) {
        book.moveTo(lesson);
        requirePrerequisites(lesson);
        Wording words = Wording.of(settings.lang());
        stepConsole.heading(words.text("run.heading", catalog.indexOf(lesson) + 1, lesson.title()));
        for (Step step : lesson.steps()) {
            if (step.needsRegistry() && settings.registry().isEmpty()) {
                stepConsole.println(stepConsole.style().dim(words.text("run.step.skipped", step.number(),
                        lesson.steps().size())));
                listener.stepSkipped(lesson, step, "a registry step: it runs only with --registry HOST:PORT");
                continue;
            }
            stepConsole.println(stepConsole.style().dim(words.text("run.step", step.number(), lesson.steps().size(),
                    settings.relative(step.location().file()) + ":" + step.location().line())));
            StepContext ctx = new StepContext(settings.workdir(), settings.workdir(), lesson.id(), settings.stepEnv(),
                    book.snapshots());
            String running = null;
            listener.stepStarted(lesson, step);
            try {
                for (Step.StepLine line : step.lines()) {
                    running = line.command();
                    beforeLine.accept(line, ctx);
                    engines.run(() -> stepRunner.run(line.command(), ctx, cancellation));
                }
            } catch (PacklabException e) {
                book.recordFailed(lesson, "step " + step.number() + ": " + e.getMessage(), running);
                listener.stepEnded(lesson, step, e);
                throw e;
            } finally {
                book.recordCreated(lesson, ctx.created());
            }
            listener.stepEnded(lesson, step, null);
        }
        listener.checksStarted(lesson);
        return check.apply(lesson, listener).passed();
    }

    private void requirePrerequisites(Lesson lesson) {
        for (String id : lesson.requires()) {
            CheckReport report = evaluate.apply(catalog.get(id));
            if (!report.passed()) {
                throw PacklabException.failed("lesson `" + lesson.id() + "` builds on what lesson `" + id + "` makes, and"
                        + " its checks do not pass (" + report.summary() + "). Run `./packlab run " + id + "` first.");
            }
        }
    }
}
