package io.packlab.workshop;

import io.packlab.check.CheckLanguage;
import io.packlab.check.CheckResult;
import io.packlab.config.PacklabConfig;
import io.packlab.engine.Cancellation;
import io.packlab.engine.Created;
import io.packlab.engine.Engine;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.LessonCatalog;
import io.packlab.lesson.Step;
import io.packlab.progress.Progress;
import io.packlab.progress.ProgressStore;
import io.packlab.step.StepContext;
import io.packlab.step.StepRunner;
import io.packlab.term.Console;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A learner's workshop, as the command line and the shell see it: the lessons, their progress, the
 * engine, the step runner. Each job is done by its own class; this one wires them: the engine's
 * lifetime ({@link EngineKeeper}, {@link Leftovers}), progress and its lock ({@link ProgressBook},
 * {@link WorkdirLock}), running lessons ({@link LessonRunner}) and lines ({@link LineRunner}), the
 * checks ({@link CheckRunner}) and their printing ({@link CheckPrinter}), reset ({@link WorkshopReset})
 * and the work folder's material ({@link WorkdirSeed}).
 */
public final class Workshop implements AutoCloseable {

    /** The folder of the work folder where lessons scaffold things; a reset of all lessons empties it. */
    public static final String SCRATCH = "scratch";

    private final Settings settings;
    private final Console console;
    private final LessonCatalog catalog;
    private final PacklabConfig config;
    private final EngineKeeper engines;
    private final ProgressBook book;
    private final LineRunner lines;
    private final LessonRunner lessonRunner;
    private final CheckRunner checks;
    private final CheckPrinter printer;
    private final WorkshopReset resetter;
    private volatile io.packlab.classroom.Classroom classroom;

    public Workshop(Settings settings, Console console, Supplier<Engine> engineFactory) {
        this.settings = settings;
        this.console = console;
        this.catalog = LessonCatalog.load(settings.lessons(), CheckLanguage.standard());
        WorkdirSeed.seed(settings);
        this.config = PacklabConfig.load(settings.workdir().resolve("packlab.toml"), settings.env());
        this.engines = new EngineKeeper(engineFactory, Leftovers.of(settings, console), console);
        this.book = new ProgressBook(catalog, new ProgressStore(settings.progressFile(), console::warn),
                new WorkdirLock(settings));
        this.lines = new LineRunner(settings, book, engines, stepRunner(console));
        this.checks = new CheckRunner(engines::engine, settings.workdir(), book::snapshot, settings.registry());
        this.printer = new CheckPrinter(console, settings::relative, l -> book.progress().lesson(l.id()),
                io.packlab.term.Wording.of(settings.lang()));
        this.lessonRunner = new LessonRunner(settings, catalog, book, engines, this::evaluate,
                (lesson, listener) -> check(lesson, listener));
        this.resetter = new WorkshopReset(settings, book, engines::engine);
    }

    private StepRunner stepRunner(Console stepConsole) {
        return new StepRunner(engines::engine, config, stepConsole, settings.packEngine(), settings.version())
                .language(settings.lang());
    }

    public LessonCatalog lessons() {
        return catalog;
    }

    public Settings settings() {
        return settings;
    }

    /** The engine, made on first use; the leftovers of interrupted steps and the orphans of killed packlabs go then. */
    public Engine engine() {
        return engines.engine();
    }

    /**
     * The engine as packlab finds it, with the orphans of killed packlabs still there: for doctor,
     * which reports them (see {@link #orphans()}) and leaves their removal to the next command.
     */
    public Engine engineAsFound() {
        return engines.engineAsFound();
    }

    /** The containers and temporary folders that packlab processes killed on this machine left. */
    public Orphans.Found orphans() {
        return engines.orphans();
    }

    /**
     * After a signal stopped the command: removes whatever of this process is still in the engine or
     * the temp folder (normally nothing: the step removed it as it unwound); returns what could not be.
     */
    public Orphans.Found removeOwn() {
        return engines.removeOwn();
    }

    public Progress progress() {
        return book.progress();
    }

    /** The lesson the learner is on: the recorded one, else the first not passed, else the last. */
    public Lesson current() {
        return book.current();
    }

    public void moveTo(Lesson lesson) {
        book.moveTo(lesson);
    }

    /** Where a lesson stands: done, current or todo. */
    public LessonStatus status(Lesson lesson) {
        return book.status(lesson);
    }

    /**
     * The context of lines typed in the shell: its folder persists from line to line within a lesson;
     * when the current lesson changes, a new context starts in the work folder, labelled for that lesson.
     */
    public StepContext shellContext() {
        return lines.shellContext();
    }

    /** Starts the shell's context again in the work folder (the folder it was in is gone, for example after reset). */
    public StepContext restartShellContext() {
        return lines.restartShellContext();
    }

    /** Runs one typed line as a step of the current lesson and records what it made. */
    public void runLine(String line, Cancellation cancellation) {
        lines.runLine(line, cancellation);
    }

    /**
     * Runs one line given on the command line as a step of the current lesson, in {@code folder} (the
     * caller's: relative paths start there), and records what it made.
     */
    public void runLine(String line, Path folder, Cancellation cancellation) {
        lines.runLine(line, folder, cancellation);
    }

    /** Runs a docker build given as CLI arguments, in {@code folder} (the caller's), labelled for the current lesson. */
    public void dockerBuild(List<String> args, Path folder, Cancellation cancellation) {
        lines.dockerBuild(args, folder, cancellation);
    }

    /**
     * Records the images a kit load put in the engine (new to it, or newly tagged) under the lesson
     * that made them, as their {@code io.packlab.lesson} label says; the bases (no lesson label) are
     * the tutorial's prerequisites, not a lesson's product, and {@code reset} leaves them.
     */
    public void recordLoaded(List<Created> created) {
        for (Created c : created) {
            engine().inspectImage(c.id()).flatMap(i -> i.label(Engine.LESSON_LABEL)).flatMap(catalog::find)
                    .ifPresent(l -> book.recordCreated(l, List.of(c)));
        }
    }

    /**
     * Runs a lesson: checks that the lessons it builds on still hold, runs its steps in order
     * (stopping at the first failure), then its checks. Returns true when every check passed.
     */
    public boolean run(Lesson lesson, Cancellation cancellation) {
        return lessonRunner.run(lesson, cancellation, lines.runner(), console, (line, ctx) -> { });
    }

    /**
     * Runs a lesson as {@link #run(Lesson, Cancellation)} does, for the instructor demo: the lesson's
     * heading, step lines and step output go to {@code stepConsole}, and {@code beforeLine} is called
     * with each command line and its step context just before it runs (it may type the line, wait,
     * or throw to stop); the checks are printed by {@link #check}.
     */
    public boolean run(Lesson lesson, Cancellation cancellation, Console stepConsole,
            BiConsumer<Step.StepLine, StepContext> beforeLine) {
        return lessonRunner.run(lesson, cancellation, stepRunner(stepConsole), stepConsole, beforeLine);
    }

    /** Runs every lesson in order, stopping at the first that fails. */
    public boolean runAll(Cancellation cancellation) {
        for (Lesson lesson : catalog.lessons()) {
            if (!run(lesson, cancellation)) {
                return false;
            }
        }
        return true;
    }

    /** Runs a lesson as {@link #run(Lesson, Cancellation)} does, telling {@code listener} of each step and check. */
    public boolean run(Lesson lesson, Cancellation cancellation, RunListener listener) {
        return lessonRunner.run(lesson, cancellation, lines.runner(), console, (line, ctx) -> { }, listener);
    }

    /** Runs every lesson in order, stopping at the first that fails, telling {@code listener} of each step and check. */
    public boolean runAll(Cancellation cancellation, RunListener listener) {
        for (Lesson lesson : catalog.lessons()) {
            if (!run(lesson, cancellation, listener)) {
                return false;
            }
        }
        return true;
    }

    /** A record of a run of {@code planned} (in order), for its JUnit report; the engine is described when first used. */
    public RunRecorder recorder(List<Lesson> planned) {
        return new RunRecorder(settings, planned, () -> engine().info(), java.time.Clock.systemDefaultZone());
    }

    /** Evaluates a lesson's checks without printing or recording anything. */
    public CheckReport evaluate(Lesson lesson) {
        return evaluate(lesson, r -> { });
    }

    /**
     * Evaluates a lesson's checks, handing each result to {@code onEach} in the lesson's order as soon
     * as it and the ones before it are known; they run side by side (see {@link CheckRunner}).
     */
    public CheckReport evaluate(Lesson lesson, Consumer<CheckResult> onEach) {
        return checks.evaluate(lesson, onEach);
    }

    /** Evaluates, prints (each check as soon as it is known) and records a lesson's checks. */
    public CheckReport check(Lesson lesson) {
        return check(lesson, RunListener.NONE);
    }

    /** As {@link #check(Lesson)}, handing each result and its time to {@code listener} too. */
    CheckReport check(Lesson lesson, RunListener listener) {
        CheckReport report = checks.evaluate(lesson, (r, took) -> {
            printer.result(lesson, r);
            listener.checkDone(lesson, r, took);
        });
        Optional<String> notRecorded = book.recordCheck(report.passed() ? progress().withPassed(lesson.id())
                : progress().withFailed(lesson.id(), report.summary(),
                        report.firstFailure().map(r -> r.check().source()).orElse(null),
                        report.firstFailure().flatMap(r -> CheckPrinter.hintFor(lesson, r)).orElse(null)));
        printer.summary(report);
        notRecorded.ifPresent(console::note);
        return report;
    }

    public void print(CheckReport report) {
        printer.print(report);
    }

    /**
     * What {@link #reset} would do for a lesson (or for all lessons): remove the images, containers
     * and volumes that progress records packlab making, while their IDs still match; keep, and say
     * why, everything else, labelled or not.
     */
    public ResetPlan planReset(Optional<Lesson> lesson) {
        return resetter.plan(lesson);
    }

    /** Removes what the plan names (never forced) and forgets the lessons' progress; says what it removed and kept. */
    public ResetPlan.Result reset(ResetPlan plan) {
        return resetter.reset(plan);
    }

    /** Checks the current lesson again after a restart, so drift is reported instead of trusted. */
    public Optional<CheckReport> recheckCurrent() {
        Lesson lesson = current();
        if (!progress().hasPassed(lesson.id()) && progress().lesson(lesson.id()).failures() == 0
                && progress().lesson(lesson.id()).createdNothing()) {
            return Optional.empty();
        }
        return Optional.of(check(lesson));
    }

    /** The classroom the learner's status is shown in, if one was given (doctor checks it). */
    public java.util.Optional<io.packlab.classroom.Classroom> classroom() {
        return java.util.Optional.ofNullable(classroom);
    }

    public void classroom(io.packlab.classroom.Classroom room) {
        this.classroom = room;
    }

    /**
     * Calls {@code listener} after every change of the recorded progress (a check, a step, a move to
     * another lesson), on the thread that made it: it must return at once.
     */
    public void onProgressChange(Runnable listener) {
        book.onChange(listener);
    }

    /** A file's path as packlab shows it: relative to packlab's own folder when inside it, else absolute. */
    public String relative(Path file) {
        return settings.relative(file);
    }

    @Override
    public void close() {
        engines.close();
        book.close();
    }
}
