package io.packlab.workshop;

import io.packlab.check.Check;
import io.packlab.check.CheckResult;
import io.packlab.engine.EngineInfo;
import io.packlab.error.PacklabException;
import io.packlab.lesson.Hint;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.Step;
import io.packlab.report.JUnitReport;
import io.packlab.step.StepCancelledException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps the record of a run for its JUnit report: every lesson planned is a test suite, every step
 * and every check of it a test case, known from the start as "not reached" and filled in as the run
 * goes. {@link #report()} may be called at any moment, also from another thread while a step runs
 * (a signal): it then says what ran, what was running (an error: the run was stopped while it ran)
 * and what was not reached.
 */
public final class RunRecorder implements RunListener {

    /** The name of the whole report ({@code <testsuites name>}). */
    static final String REPORT_NAME = "packlab";

    private enum State { PENDING, RUNNING, DONE }

    private static final class CaseRecord {
        final String name;
        State state = State.PENDING;
        Instant start;
        Duration took = Duration.ZERO;
        JUnitReport.Outcome outcome;

        CaseRecord(String name) {
            this.name = name;
        }
    }

    private static final class LessonRecord {
        final Lesson lesson;
        final List<CaseRecord> cases = new ArrayList<>();
        final Map<Object, CaseRecord> byPart = new IdentityHashMap<>();
        Instant start;
        Instant end;
        boolean inChecks;
        RuntimeException recorded;
        String failedAt;

        LessonRecord(Lesson lesson) {
            this.lesson = lesson;
        }

        CaseRecord add(Object part, String name) {
            CaseRecord c = new CaseRecord(name);
            cases.add(c);
            byPart.put(part, c);
            return c;
        }
    }

    private final Settings settings;
    private final Supplier<EngineInfo> engineInfo;
    private final Clock clock;
    private final Instant created;
    private final List<LessonRecord> lessons = new ArrayList<>();
    private final Map<String, String> engineProperties = new LinkedHashMap<>();
    private boolean engineAsked;
    /** Why lessons after the one that failed were not reached. */
    private String stoppedBy;

    /**
     * @param planned    the lessons the run means to run, in order (all for {@code run --all})
     * @param engineInfo the engine's description, asked once, when the first step or check starts
     */
    public RunRecorder(Settings settings, List<Lesson> planned, Supplier<EngineInfo> engineInfo, Clock clock) {
        this.settings = settings;
        this.engineInfo = engineInfo;
        this.clock = clock;
        this.created = clock.instant();
        for (Lesson lesson : planned) {
            LessonRecord r = new LessonRecord(lesson);
            for (Step step : lesson.steps()) {
                r.add(step, stepName(step));
            }
            lesson.checks().forEach(c -> r.add(c, c.source()));
            for (Check c : lesson.registryChecks()) {
                CaseRecord rc = r.add(c, c.source());
                if (settings.registry().isEmpty()) {
                    rc.state = State.DONE;
                    rc.outcome = new JUnitReport.Skipped("a registry check: it runs only with --registry HOST:PORT");
                }
            }
            lessons.add(r);
        }
        engineProperties.put("packlab.engine", "not asked: no step or check reached the engine");
    }

    /** A step's test case name: its number and its command lines (a here-document by its first line). */
    static String stepName(Step step) {
        StringBuilder sb = new StringBuilder("step ").append(step.number()).append(": ");
        for (int i = 0; i < step.lines().size(); i++) {
            String command = step.lines().get(i).command();
            int nl = command.indexOf('\n');
            sb.append(i == 0 ? "" : " && ").append(nl < 0 ? command : command.substring(0, nl));
        }
        return sb.length() > 300 ? sb.substring(0, 299) + "…" : sb.toString();
    }

    @Override
    public synchronized void lessonStarted(Lesson lesson) {
        find(lesson).ifPresent(r -> r.start = clock.instant());
    }

    @Override
    public synchronized void stepSkipped(Lesson lesson, Step step, String why) {
        part(lesson, step).ifPresent(c -> {
            c.state = State.DONE;
            c.outcome = new JUnitReport.Skipped(why);
        });
    }

    @Override
    public void stepStarted(Lesson lesson, Step step) {
        askEngine();
        synchronized (this) {
            part(lesson, step).ifPresent(c -> {
                c.state = State.RUNNING;
                c.start = clock.instant();
            });
        }
    }

    @Override
    public synchronized void stepEnded(Lesson lesson, Step step, RuntimeException failure) {
        Optional<LessonRecord> r = find(lesson);
        part(lesson, step).ifPresent(c -> {
            c.state = State.DONE;
            c.took = since(c.start);
            c.outcome = failure == null ? new JUnitReport.Passed()
                    : failed(failure, String.join("\n", step.lines().stream().map(Step.StepLine::command).toList()),
                            firstHint(lesson), step.location().file(), step.location().line());
        });
        if (failure != null && r.isPresent()) {
            r.get().recorded = failure;
            r.get().failedAt = "step " + step.number() + (failure instanceof StepCancelledException
                    ? " was stopped (Ctrl-C or a signal)" : " failed");
        }
    }

    @Override
    public void checksStarted(Lesson lesson) {
        askEngine();
        synchronized (this) {
            find(lesson).ifPresent(r -> {
                r.inChecks = true;
                Instant now = clock.instant();
                r.cases.stream().filter(c -> c.state == State.PENDING && !isStep(r, c)).forEach(c -> {
                    c.state = State.RUNNING;
                    c.start = now;
                });
            });
        }
    }

    @Override
    public synchronized void checkDone(Lesson lesson, CheckResult result, Duration took) {
        part(lesson, result.check()).ifPresent(c -> {
            c.state = State.DONE;
            c.took = took;
            if (result.passed()) {
                c.outcome = new JUnitReport.Passed();
                return;
            }
            String hint = result.check().hint().or(() -> firstHint(lesson)).orElse(null);
            StringBuilder detail = new StringBuilder(result.check().source()).append('\n')
                    .append("expected: ").append(result.expected()).append('\n')
                    .append("found:    ").append(result.found()).append('\n');
            if (hint != null) {
                detail.append("hint:     ").append(hint.strip()).append('\n');
            }
            detail.append("at:       ").append(where(result.check().location().file(), result.check().location().line()));
            c.outcome = new JUnitReport.Failed(false, "expected " + result.expected() + ", found " + result.found(),
                    "packlab.check", detail.toString());
        });
    }

    @Override
    public synchronized void lessonEnded(Lesson lesson, RuntimeException failure) {
        Optional<LessonRecord> found = find(lesson);
        if (found.isEmpty()) {
            return;
        }
        LessonRecord r = found.get();
        r.end = clock.instant();
        if (failure != null && failure != r.recorded) {
            Optional<CaseRecord> running = r.cases.stream().filter(c -> c.state == State.RUNNING).findFirst();
            JUnitReport.Outcome outcome = failed(failure, null, firstHint(lesson), lesson.file(), 0);
            if (running.isPresent()) {
                // the step, or the first check whose result did not come: what was under way when it failed
                CaseRecord c = running.get();
                c.state = State.DONE;
                c.took = since(c.start);
                c.outcome = outcome;
                r.failedAt = isStep(r, c) ? c.name.substring(0, c.name.indexOf(':')) + " failed"
                        : "the checks stopped at `" + c.name + "`";
            } else {
                CaseRecord c = new CaseRecord("before step 1: the lesson's prerequisites and set-up");
                c.state = State.DONE;
                c.outcome = outcome;
                r.cases.add(0, c);
                r.failedAt = "the lesson could not start";
            }
            r.recorded = failure;
        }
        // checks that were under way when the lesson ended without their result
        r.cases.stream().filter(c -> c.state == State.RUNNING).forEach(c -> {
            c.state = State.PENDING;
            c.start = null;
        });
        boolean passed = r.cases.stream().noneMatch(c -> c.outcome instanceof JUnitReport.Failed);
        if (!passed && stoppedBy == null) {
            stoppedBy = "lesson `" + lesson.id() + "` did not pass";
        }
    }

    /** The report as the run stands now. */
    public synchronized JUnitReport report() {
        Instant now = clock.instant();
        Map<String, String> properties = properties();
        List<JUnitReport.Suite> suites = new ArrayList<>();
        for (LessonRecord r : lessons) {
            List<JUnitReport.Case> cases = new ArrayList<>();
            boolean running = false;
            for (CaseRecord c : r.cases) {
                cases.add(new JUnitReport.Case(r.lesson.id(), c.name, seconds(c, now), outcome(r, c, running)));
                running |= c.state == State.RUNNING;
            }
            Map<String, String> suiteProperties = new LinkedHashMap<>();
            suiteProperties.put("lesson.title", r.lesson.title());
            suiteProperties.put("lesson.file", settings.relative(r.lesson.file()));
            suiteProperties.putAll(properties);
            Instant start = r.start != null ? r.start : created;
            double seconds = r.start == null ? 0 : Duration.between(r.start, r.end != null ? r.end : now).toNanos() / 1e9;
            suites.add(new JUnitReport.Suite(r.lesson.id(), LocalDateTime.ofInstant(start, clock.getZone()), seconds,
                    suiteProperties, cases));
        }
        return new JUnitReport(REPORT_NAME, suites);
    }

    /** A case's outcome now; {@code afterRunning}: a case before it is still running (checks run side by side). */
    private JUnitReport.Outcome outcome(LessonRecord r, CaseRecord c, boolean afterRunning) {
        if (c.state == State.DONE) {
            return c.outcome;
        }
        if (c.state == State.RUNNING && afterRunning) {
            return new JUnitReport.Skipped("not finished: the run was stopped while the checks were evaluated");
        }
        if (c.state == State.RUNNING) {
            return new JUnitReport.Failed(true, "still running when this report was written: the run was stopped"
                    + " (a signal, or packlab ended) while " + (isStep(r, c) ? "this step ran" : "the checks were evaluated"),
                    "packlab.interrupted", c.name);
        }
        if (r.failedAt != null) {
            return new JUnitReport.Skipped("not reached: " + r.failedAt);
        }
        if (stoppedBy != null && r.start == null) {
            return new JUnitReport.Skipped("not reached: " + stoppedBy);
        }
        return new JUnitReport.Skipped("not reached: the run ended before it");
    }

    private static double seconds(CaseRecord c, Instant now) {
        if (c.state == State.RUNNING && c.start != null) {
            return Duration.between(c.start, now).toNanos() / 1e9;
        }
        return c.took.toNanos() / 1e9;
    }

    private Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("packlab.version", settings.version());
        p.put("packlab.lang", settings.lang());
        p.put("packlab.lessons", settings.relative(settings.lessons()));
        p.put("packlab.workdir", settings.relative(settings.workdir()));
        p.put("packlab.pack", settings.packEngine().name().toLowerCase(java.util.Locale.ROOT));
        settings.registry().ifPresent(r -> p.put("packlab.registry", r));
        p.put("DOCKER_HOST", settings.env().getOrDefault("DOCKER_HOST", "(not set: the default socket)"));
        p.putAll(engineProperties);
        return p;
    }

    /** Asks the engine about itself once, on the lesson's thread, so that a report written later needs no engine. */
    private void askEngine() {
        synchronized (this) {
            if (engineAsked) {
                return;
            }
            engineAsked = true;
        }
        Map<String, String> p = new LinkedHashMap<>();
        try {
            EngineInfo info = engineInfo.get();
            p.put("packlab.engine", engineName(info) + " " + info.serverVersion());
            p.put("packlab.engine.name", engineName(info));
            p.put("packlab.engine.version", info.serverVersion());
            p.put("packlab.engine.api", info.apiVersion());
            p.put("packlab.engine.endpoint", info.endpoint());
            p.put("packlab.engine.os", info.operatingSystem() + " (" + info.architecture() + ")");
        } catch (PacklabException e) {
            p.put("packlab.engine", "unknown: " + e.getMessage());
        }
        synchronized (this) {
            engineProperties.clear();
            engineProperties.putAll(p);
        }
    }

    /** The engine's product name, as the report names it. */
    static String engineName(EngineInfo info) {
        return info.kind().title();
    }

    private JUnitReport.Failed failed(RuntimeException e, String command, Optional<String> hint, java.nio.file.Path file,
            int line) {
        String type;
        boolean error = true;
        String message = e.getMessage();
        if (e instanceof StepCancelledException) {
            type = "packlab.cancelled";
        } else if (e instanceof PacklabException p) {
            switch (p.exitCode()) {
                case PacklabException.FAILED -> {
                    type = "packlab.failed";
                    error = false;
                }
                case PacklabException.USAGE -> type = "packlab.input";
                case PacklabException.NO_ENGINE -> type = "packlab.engine";
                default -> type = "packlab.exit" + p.exitCode();
            }
        } else {
            type = "packlab.internal";
            message = "packlab failed unexpectedly: " + e + ". This is a bug in packlab; run again with --stacktrace"
                    + " and report the output.";
        }
        StringBuilder detail = new StringBuilder();
        if (command != null) {
            detail.append(command).append("\n\n");
        }
        detail.append(message).append('\n');
        hint.ifPresent(h -> detail.append("hint: ").append(h.strip()).append('\n'));
        detail.append("at:   ").append(line > 0 ? where(file, line) : settings.relative(file));
        return new JUnitReport.Failed(error, message, type, detail.toString());
    }

    private String where(java.nio.file.Path file, int line) {
        return settings.relative(file) + ":" + line;
    }

    private static Optional<String> firstHint(Lesson lesson) {
        return lesson.hints().stream().findFirst().map(Hint::text);
    }

    private Duration since(Instant start) {
        return start == null ? Duration.ZERO : Duration.between(start, clock.instant());
    }

    private static boolean isStep(LessonRecord r, CaseRecord c) {
        return c.name.startsWith("step ") && r.lesson.steps().stream().anyMatch(s -> r.byPart.get(s) == c);
    }

    private Optional<LessonRecord> find(Lesson lesson) {
        return lessons.stream().filter(r -> r.lesson == lesson || r.lesson.id().equals(lesson.id())).findFirst();
    }

    private Optional<CaseRecord> part(Lesson lesson, Object part) {
        return find(lesson).map(r -> r.byPart.get(part));
    }
}
