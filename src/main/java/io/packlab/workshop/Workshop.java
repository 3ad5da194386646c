package io.packlab.workshop;

import io.packlab.check.Check;
import io.packlab.check.CheckContext;
import io.packlab.check.CheckLanguage;
import io.packlab.check.CheckResult;
import io.packlab.config.PacklabConfig;
import io.packlab.engine.Cancellation;
import io.packlab.engine.Created;
import io.packlab.engine.Engine;
import io.packlab.engine.EngineUnavailableException;
import io.packlab.engine.ImageSnapshot;
import io.packlab.error.PacklabException;
import io.packlab.lesson.Hint;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.LessonCatalog;
import io.packlab.lesson.Step;
import io.packlab.progress.LessonState;
import io.packlab.progress.Progress;
import io.packlab.progress.ProgressStore;
import io.packlab.step.StepContext;
import io.packlab.step.StepRunner;
import io.packlab.term.Console;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;

import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A learner's workshop: the lessons, their progress, the engine, the step runner. Runs lessons
 * (steps, then checks), reports checks, and removes what lessons made.
 */
public final class Workshop implements AutoCloseable {

    private final Settings settings;
    private final Console console;
    private final LessonCatalog catalog;
    private final ProgressStore store;
    private final Supplier<Engine> engineFactory;
    private final PacklabConfig config;
    private final StepRunner runner;
    private Engine engine;
    private Progress progress;
    private FileLock lock;
    private StepContext shellContext;
    private boolean orphansSwept;

    public Workshop(Settings settings, Console console, Supplier<Engine> engineFactory) {
        this.settings = settings;
        this.console = console;
        this.engineFactory = engineFactory;
        this.catalog = LessonCatalog.load(settings.lessons(), CheckLanguage.standard());
        seedWorkdir();
        this.config = PacklabConfig.load(settings.workdir().resolve("packlab.toml"), settings.env());
        this.store = new ProgressStore(settings.progressFile(), console::warn);
        this.runner = new StepRunner(this::stepEngine, config, console, settings.packEngine(), settings.version())
                .language(settings.lang());
    }

    public LessonCatalog lessons() {
        return catalog;
    }

    public Settings settings() {
        return settings;
    }

    public synchronized Engine engine() {
        if (engine == null) {
            engine = engineFactory.get();
            removeLeftovers();
            removeOrphans();
        }
        return engine;
    }

    /** The engine for steps (asked for only when a line needs it, so `cd` and `ls` never wait for one). */
    private synchronized Engine stepEngine() {
        return engine();
    }

    /**
     * The engine as packlab finds it, with the orphans of killed packlabs still there: for doctor,
     * which reports them (see {@link #orphans()}) and leaves their removal to the next command.
     */
    public synchronized Engine engineAsFound() {
        if (engine == null) {
            engine = engineFactory.get();
            removeLeftovers();
        }
        return engine;
    }

    /** The containers and temporary folders that packlab processes killed on this machine left. */
    public Orphans.Found orphans() {
        return Orphans.find(engineAsFound(), Orphans.systemTemp());
    }

    /**
     * Removes the orphans of killed packlabs (see {@link Orphans}) once per process, when it first
     * reaches the engine (one label-filtered container listing), saying in one line what it removed;
     * quietly leaves them if the engine does not answer now (the command that needs it says so).
     */
    private synchronized void removeOrphans() {
        if (orphansSwept) {
            return;
        }
        orphansSwept = true;
        try {
            Orphans.Found removed = Orphans.remove(engine, Orphans.find(engine, Orphans.systemTemp()));
            if (!removed.isEmpty()) {
                console.note("removed what a packlab that was killed had left: " + removed.describe()
                        + " (no longer running)");
            }
        } catch (PacklabException e) {
            // the engine is away: the step that needs it says so
        }
    }

    /**
     * After a signal stopped the command: removes whatever of this process is still in the engine or
     * the temp folder (normally nothing: the step removed it as it unwound); returns what could not be.
     */
    public synchronized Orphans.Found removeOwn() {
        return Orphans.removeOwn(engine, Orphans.systemTemp());
    }

    private Path leftoversFile() {
        return settings.progressFile().resolveSibling("leftovers");
    }

    /**
     * Keeps the IDs of the containers an interrupted step left in an engine that stopped answering, so
     * that {@link #removeLeftovers()} removes them once it answers again (in this process or the next).
     */
    private void remember(EngineUnavailableException e) {
        if (e.leftovers().isEmpty()) {
            return;
        }
        Path file = leftoversFile();
        try {
            Set<String> ids = new TreeSet<>(e.leftovers());
            if (Files.exists(file)) {
                ids.addAll(Files.readAllLines(file));
            }
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "leftovers", ".tmp");
            Files.write(temp, ids);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException io) {
            console.warn("could not note the containers left in the engine (" + io.getMessage() + "): remove them"
                    + " with `docker rm -f " + String.join(" ", e.leftovers()) + "` once the engine is back.");
        }
    }

    /** Removes the containers that {@link #remember} noted, if the engine answers; quietly keeps them noted if not. */
    private void removeLeftovers() {
        Path file = leftoversFile();
        if (!Files.exists(file)) {
            return;
        }
        try {
            List<String> ids = Files.readAllLines(file).stream().map(String::strip)
                    .filter(id -> id.matches("[0-9a-f]{12,64}")).toList();
            for (String id : ids) {
                engine.removeContainer(id);
            }
            Files.deleteIfExists(file);
            if (!ids.isEmpty()) {
                console.note("removed " + (ids.size() == 1 ? "the container" : "the " + ids.size() + " containers")
                        + " that an interrupted step left when the Docker engine stopped");
            }
        } catch (IOException | PacklabException e) {
            // the engine is still away (or the note unreadable): try again next time
        }
    }

    /** Runs an engine-using action; notes leftovers when the engine stops answering in the middle. */
    private void engineStep(Runnable action) {
        synchronized (this) {
            if (engine != null) {
                removeLeftovers();
            }
        }
        try {
            action.run();
        } catch (EngineUnavailableException e) {
            remember(e);
            throw e;
        }
    }

    public synchronized Progress progress() {
        if (progress == null) {
            progress = store.load();
        }
        return progress;
    }

    private synchronized void update(Progress next) {
        lockWorkdir();
        progress = next;
        store.save(next);
    }

    /**
     * Before the first change of progress, this process takes the work folder's lock, so that two
     * packlabs never interleave their steps and writes in one folder; the second one refuses, naming
     * the first. The lock goes with the process (or {@link #close()}).
     */
    private void lockWorkdir() {
        if (lock != null) {
            return;
        }
        Path file = settings.progressFile().resolveSibling("lock");
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock taken;
            try {
                taken = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                taken = null;
            }
            if (taken == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                channel.close();
                throw PacklabException.failed("another packlab" + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + " is working in " + settings.workdir() + ". Wait until it has finished, or quit that shell,"
                        + " then try again; two at once would mix their steps and progress. (Use --workdir for a"
                        + " second, separate work folder.)");
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(
                    StandardCharsets.UTF_8)));
            channel.force(true);
            lock = taken;
        } catch (IOException e) {
            throw PacklabException.usage("cannot record progress in the work folder " + settings.workdir() + ": "
                    + io.packlab.error.IoReasons.reason(e) + " (" + relativeToWorkdir(io.packlab.error.IoReasons.path(e)
                            .orElse(file)) + "). Use --workdir with a"
                    + " folder you can write (a new folder receives the tutorial material), or make this one writable"
                    + " (its owner and permissions, or a read-write mount).");
        }
    }

    private String relativeToWorkdir(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path work = settings.workdir().toAbsolutePath().normalize();
        return abs.startsWith(work) ? work.relativize(abs).toString() : abs.toString();
    }

    /**
     * Records what a check found when this packlab can. A check only reads: it does not need the work
     * folder's lock, so when another packlab holds it or the folder cannot be written, the check still
     * runs and prints, and the one line returned says that its result was not recorded.
     */
    private Optional<String> recordCheck(Progress next) {
        try {
            update(next);
            return Optional.empty();
        } catch (PacklabException e) {
            String m = e.getMessage();
            int end = m.indexOf(". ");
            return Optional.of("this check is not recorded in the progress: " + (end < 0 ? m : m.substring(0, end + 1)));
        }
    }

    /** The lesson the learner is on: the recorded one, else the first not passed, else the last. */
    public Lesson current() {
        Progress p = progress();
        if (p.current() != null) {
            Optional<Lesson> recorded = catalog.find(p.current());
            if (recorded.isPresent()) {
                return recorded.get();
            }
        }
        return catalog.lessons().stream().filter(l -> !p.hasPassed(l.id())).findFirst()
                .orElse(catalog.lessons().get(catalog.lessons().size() - 1));
    }

    public void moveTo(Lesson lesson) {
        update(progress().withCurrent(lesson.id()));
    }

    /** Where a lesson stands: done, current or todo. */
    public LessonStatus status(Lesson lesson) {
        if (progress().hasPassed(lesson.id())) {
            return LessonStatus.DONE;
        }
        return lesson.equals(current()) ? LessonStatus.CURRENT : LessonStatus.TODO;
    }

    /**
     * The context of lines typed in the shell: its folder persists from line to line within a lesson;
     * when the current lesson changes, a new context starts in the work folder, labelled for that lesson.
     */
    public StepContext shellContext() {
        if (shellContext == null || !shellContext.lessonId().equals(current().id())) {
            shellContext = new StepContext(settings.workdir(), settings.workdir(), current().id(), settings.stepEnv(),
                    snapshots());
        }
        return shellContext;
    }

    /** Starts the shell's context again in the work folder (the folder it was in is gone, for example after reset). */
    public StepContext restartShellContext() {
        shellContext = null;
        return shellContext();
    }

    /** Runs one typed line as a step of the current lesson and records what it made. */
    public void runLine(String line, Cancellation cancellation) {
        StepContext ctx = shellContext();
        int before = ctx.created().size();
        try {
            engineStep(() -> runner.run(line, ctx, cancellation));
        } finally {
            recordCreated(current(), ctx.created().subList(before, ctx.created().size()));
        }
    }

    /**
     * Runs one line given on the command line as a step of the current lesson, in {@code folder} (the
     * caller's: relative paths start there), and records what it made.
     */
    public void runLine(String line, Path folder, Cancellation cancellation) {
        StepContext ctx = new StepContext(settings.workdir(), folder, current().id(), settings.stepEnv(), snapshots());
        try {
            engineStep(() -> runner.run(line, ctx, cancellation));
        } finally {
            recordCreated(current(), ctx.created());
        }
    }

    /** Runs a docker build given as CLI arguments, in {@code folder} (the caller's), labelled for the current lesson. */
    public void dockerBuild(List<String> args, Path folder, Cancellation cancellation) {
        StepContext ctx = new StepContext(settings.workdir(), folder, current().id(),
                settings.stepEnv());
        try {
            engineStep(() -> runner.dockerBuild(args, ctx, cancellation));
        } finally {
            recordCreated(current(), ctx.created());
        }
    }

    /** Snapshots kept in the progress file, so checks after a restart still compare with them. */
    private StepContext.Snapshots snapshots() {
        return new StepContext.Snapshots() {
            @Override
            public void put(String name, ImageSnapshot snapshot) {
                update(progress().withSnapshot(name, snapshot));
            }

            @Override
            public Optional<ImageSnapshot> get(String name) {
                return Optional.ofNullable(progress().snapshots().get(name));
            }
        };
    }

    /** Records, by ID, what a lesson's steps created, so that {@link #reset} removes exactly that. */
    private void recordCreated(Lesson lesson, List<Created> created) {
        if (!created.isEmpty()) {
            update(progress().withLesson(lesson.id(), progress().lesson(lesson.id()).withCreated(created)));
        }
    }

    /**
     * Records the images a kit load put in the engine (new to it, or newly tagged) under the lesson
     * that made them, as their {@code io.packlab.lesson} label says; the bases (no lesson label) are
     * the tutorial's prerequisites, not a lesson's product, and {@code reset} leaves them.
     */
    public void recordLoaded(List<Created> created) {
        for (Created c : created) {
            engine().inspectImage(c.id()).flatMap(i -> i.label(Engine.LESSON_LABEL)).flatMap(catalog::find)
                    .ifPresent(l -> recordCreated(l, List.of(c)));
        }
    }

    /**
     * Runs a lesson: checks that the lessons it builds on still hold, runs its steps in order
     * (stopping at the first failure), then its checks. Returns true when every check passed.
     */
    public boolean run(Lesson lesson, Cancellation cancellation) {
        return run(lesson, cancellation, runner, console, (line, ctx) -> { });
    }

    /**
     * Runs a lesson as {@link #run(Lesson, Cancellation)} does, for the instructor demo: the lesson's
     * heading, step lines and step output go to {@code stepConsole}, and {@code beforeLine} is called
     * with each command line and its step context just before it runs (it may type the line, wait,
     * or throw to stop); the checks are printed by {@link #check}.
     */
    public boolean run(Lesson lesson, Cancellation cancellation, Console stepConsole,
            java.util.function.BiConsumer<Step.StepLine, StepContext> beforeLine) {
        return run(lesson, cancellation, new StepRunner(this::stepEngine, config, stepConsole, settings.packEngine(),
                settings.version()).language(settings.lang()), stepConsole, beforeLine);
    }

    private boolean run(Lesson lesson, Cancellation cancellation, StepRunner stepRunner, Console stepConsole,
            java.util.function.BiConsumer<Step.StepLine, StepContext> beforeLine) {
        moveTo(lesson);
        requirePrerequisites(lesson);
        stepConsole.heading("Lesson " + (catalog.indexOf(lesson) + 1) + " · " + lesson.title());
        for (Step step : lesson.steps()) {
            if (step.needsRegistry() && settings.registry().isEmpty()) {
                stepConsole.println(stepConsole.style().dim("step " + step.number() + " of " + lesson.steps().size()
                        + " skipped: it pushes to a registry; start packlab with --registry HOST:PORT to run it"));
                continue;
            }
            stepConsole.println(stepConsole.style().dim("step " + step.number() + " of " + lesson.steps().size()
                    + "  (" + relative(step.location().file()) + ":" + step.location().line() + ")"));
            StepContext ctx = new StepContext(settings.workdir(), settings.workdir(), lesson.id(), settings.stepEnv(),
                    snapshots());
            try {
                for (Step.StepLine line : step.lines()) {
                    beforeLine.accept(line, ctx);
                    engineStep(() -> stepRunner.run(line.command(), ctx, cancellation));
                }
            } catch (PacklabException e) {
                update(progress().withFailed(lesson.id(), "step " + step.number() + ": " + e.getMessage()));
                throw e;
            } finally {
                recordCreated(lesson, ctx.created());
            }
        }
        return check(lesson).passed();
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

    private void requirePrerequisites(Lesson lesson) {
        for (String id : lesson.requires()) {
            Lesson required = catalog.get(id);
            CheckReport report = evaluate(required);
            if (!report.passed()) {
                throw PacklabException.failed("lesson `" + lesson.id() + "` builds on what lesson `" + id + "` makes, and"
                        + " its checks do not pass (" + report.summary() + "). Run `./packlab run " + id + "` first.");
            }
        }
    }

    /** Evaluates a lesson's checks without printing or recording anything. */
    public CheckReport evaluate(Lesson lesson) {
        return evaluate(lesson, r -> { });
    }

    /**
     * Evaluates a lesson's checks, handing each result to {@code onEach} in the lesson's order as soon
     * as it and the ones before it are known. The checks only read (images, labels, files, a
     * throw-away container for http), so they run side by side: a lesson's checks cost about as much
     * as its slowest one, not the sum.
     */
    public CheckReport evaluate(Lesson lesson, Consumer<CheckResult> onEach) {
        CheckContext context = new CheckContext(engine(), settings.workdir(),
                name -> Optional.ofNullable(progress().snapshots().get(name)), settings.registry());
        List<Check> checks = new ArrayList<>(lesson.checks());
        if (settings.registry().isPresent()) {
            checks.addAll(lesson.registryChecks());
        }
        List<CheckResult> results = new ArrayList<>();
        if (checks.size() < 2) {
            checks.forEach(c -> {
                CheckResult r = c.evaluate(context);
                results.add(r);
                onEach.accept(r);
            });
            return new CheckReport(lesson, results);
        }
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.min(CHECK_THREADS, checks.size()), task -> {
                    Thread t = new Thread(task, "packlab-check");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<Future<CheckResult>> pending = checks.stream()
                    .map(c -> pool.submit(() -> c.evaluate(context))).toList();
            for (Future<CheckResult> f : pending) {
                CheckResult r = await(f);
                results.add(r);
                onEach.accept(r);
            }
        } finally {
            pool.shutdownNow();
        }
        return new CheckReport(lesson, results);
    }

    /** How many checks run at once: enough to overlap the engine's answers, few enough for 2 cores. */
    private static final int CHECK_THREADS = 4;

    private static CheckResult await(Future<CheckResult> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PacklabException(PacklabException.FAILED, "interrupted while the checks ran");
        }
    }

    /** Evaluates, prints (each check as soon as it is known) and records a lesson's checks. */
    public CheckReport check(Lesson lesson) {
        CheckReport report = evaluate(lesson, r -> printResult(lesson, r));
        Optional<String> notRecorded = recordCheck(report.passed() ? progress().withPassed(lesson.id())
                : progress().withFailed(lesson.id(), report.summary()));
        printSummary(report);
        notRecorded.ifPresent(console::note);
        return report;
    }

    public void print(CheckReport report) {
        report.results().forEach(r -> printResult(report.lesson(), r));
        printSummary(report);
    }

    private void printResult(Lesson lesson, CheckResult r) {
        if (r.passed()) {
            console.pass(r.check().source());
            return;
        }
        console.fail(r.check().source());
        console.detail("expected", r.expected());
        console.detail("found   ", r.found());
        Optional<String> hint = r.check().hint().or(() -> lesson.hints().stream().findFirst().map(Hint::text));
        hint.ifPresent(h -> console.detail("hint    ", h.replace("\n", " ")));
        console.detail("at      ", relative(r.check().location().file()) + ":" + r.check().location().line());
    }

    private void printSummary(CheckReport report) {
        Lesson lesson = report.lesson();
        int n = report.results().size();
        if (report.passed()) {
            console.pass(console.style().bold("lesson " + lesson.id() + ": all " + n + " checks passed"));
        } else {
            console.fail(console.style().bold("lesson " + lesson.id() + ": " + report.failures() + " of " + n
                    + " checks failed"));
            Coach.stuckAdvice(progress().lesson(lesson.id())).ifPresent(console::println);
        }
    }

    /**
     * What {@link #reset} would do for a lesson (or for all lessons): remove the images, containers
     * and volumes that progress records packlab making, while their IDs still match; keep, and say
     * why, everything else, labelled or not.
     */
    public ResetPlan planReset(Optional<Lesson> lesson) {
        return new ResetPlanner(engine(), progress(), lesson).plan();
    }

    /** Removes what the plan names (never forced) and forgets the lessons' progress; says what it removed and kept. */
    public ResetPlan.Result reset(ResetPlan plan) {
        lockWorkdir(); // before anything is removed: a folder that cannot record the reset refuses it whole
        ResetPlanner planner = new ResetPlanner(engine(), progress(), plan.lesson());
        ResetPlan.Result result = planner.perform(plan);
        List<String> removed = new ArrayList<>(result.removed());
        Map<String, LessonState> left = planner.remaining();
        if (plan.lesson().isPresent()) {
            String id = plan.lesson().get().id();
            Progress next = progress().without(id).withCurrent(id);
            update(left.containsKey(id) ? next.withLesson(id, left.get(id)) : next);
        } else {
            Path scratch = settings.workdir().resolve(SCRATCH);
            if (Files.isDirectory(scratch)) {
                try {
                    deleteTree(scratch);
                } catch (IOException e) {
                    throw PacklabException.failed("cannot remove " + scratch + ": " + e.getMessage());
                }
                removed.add("folder " + SCRATCH + "/ (what lessons scaffolded)");
            }
            Progress next = Progress.start();
            for (Map.Entry<String, LessonState> e : left.entrySet()) {
                next = next.withLesson(e.getKey(), e.getValue());
            }
            update(next);
        }
        return new ResetPlan.Result(removed, result.kept());
    }

    /** The folder of the work folder where lessons scaffold things; a reset of all lessons empties it. */
    public static final String SCRATCH = "scratch";

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
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

    public String relative(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (abs.startsWith(settings.home())) {
            return settings.home().relativize(abs).toString();
        }
        return abs.toString();
    }

    /** A separate work folder receives the tutorial material it lacks; nothing there is overwritten. */
    private void seedWorkdir() {
        if (settings.workdir().equals(settings.home())) {
            return;
        }
        try {
            Files.createDirectories(settings.workdir());
            for (String name : Settings.MATERIAL) {
                Path from = settings.home().resolve(name);
                if (Files.exists(from)) {
                    copyMissing(from, settings.workdir().resolve(name));
                }
            }
        } catch (IOException e) {
            throw PacklabException.usage("cannot prepare the work folder " + settings.workdir() + ": "
                    + io.packlab.error.IoReasons.of(e, settings.workdir()) + ". Choose a folder you can write with"
                    + " --workdir (packlab makes it, and its parents, when they do not exist).");
        }
    }

    private static void copyMissing(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                if (!Files.exists(target)) {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
        }
        if (lock != null) {
            try {
                lock.channel().close();
            } catch (IOException e) {
                // the lock goes with the process anyway
            }
            lock = null;
        }
    }

}
