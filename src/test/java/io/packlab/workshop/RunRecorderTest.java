package io.packlab.workshop;

import static io.packlab.workshop.WorkshopParts.failing;
import static io.packlab.workshop.WorkshopParts.passing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.Check;
import io.packlab.check.CheckResult;
import io.packlab.engine.EngineInfo;
import io.packlab.error.PacklabException;
import io.packlab.error.SourceLocation;
import io.packlab.lesson.Hint;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.Step;
import io.packlab.report.JUnitReport;
import io.packlab.step.StepCancelledException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunRecorderTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-03-04T05:06:07Z");

        void advance(long millis) {
            now = now.plusMillis(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static final Path HOME = Path.of("").toAbsolutePath();

    private final TestClock clock = new TestClock();
    private final AtomicInteger engineAsked = new AtomicInteger();
    private Settings settings = WorkshopParts.settings(HOME, HOME.resolve("target/work"));

    private EngineInfo info() {
        engineAsked.incrementAndGet();
        return new EngineInfo("unix:///var/run/docker.sock", "20.10.24", "1.41", "overlay2", "Debian GNU/Linux 12",
                "x86_64", "/var/lib/docker", "");
    }

    private static Step step(int number, String... lines) {
        SourceLocation at = new SourceLocation(HOME.resolve("lessons/en/0" + number + ".md"), 10 * number);
        return new Step(number, at, java.util.Arrays.stream(lines).map(l -> new Step.StepLine(l, at)).toList(), false);
    }

    private static Lesson lesson(String id, List<Step> steps, List<Check> checks, List<Check> registryChecks) {
        return WorkshopParts.lesson(id, steps, checks, registryChecks,
                List.of(new Hint("Build both images first.", new SourceLocation(Path.of(id + ".md"), 40))), List.of());
    }

    private RunRecorder recorder(Lesson... planned) {
        return new RunRecorder(settings, List.of(planned), this::info, clock);
    }

    private static List<String> outcomes(JUnitReport.Suite suite) {
        List<String> out = new ArrayList<>();
        for (JUnitReport.Case c : suite.cases()) {
            JUnitReport.Outcome o = c.outcome();
            out.add(c.name() + " -> " + (o instanceof JUnitReport.Passed ? "passed"
                    : o instanceof JUnitReport.Skipped s ? "skipped: " + s.message()
                    : ((JUnitReport.Failed) o).type() + ": " + ((JUnitReport.Failed) o).message()));
        }
        return out;
    }

    private static CheckResult result(Check check) {
        return check.evaluate(null);
    }

    @Test
    void aStepThatFailsMidwayLeavesTheRestNotReachedAndTheNextLessonToo() {
        Check image = passing("image a exists");
        Lesson one = lesson("one", List.of(step(1, "cd stacks", "docker build -t a .")), List.of(image), List.of());
        Lesson two = lesson("two", List.of(step(1, "ls"), step(2, "pack build app"), step(3, "ls")),
                List.of(passing("image app exists")), List.of());
        Lesson three = lesson("three", List.of(step(1, "ls")), List.of(passing("image b exists")), List.of());
        RunRecorder r = recorder(one, two, three);

        r.lessonStarted(one);
        r.stepStarted(one, one.steps().get(0));
        clock.advance(1500);
        r.stepEnded(one, one.steps().get(0), null);
        r.checksStarted(one);
        r.checkDone(one, result(image), Duration.ofMillis(7));
        r.lessonEnded(one, null);

        r.lessonStarted(two);
        r.stepStarted(two, two.steps().get(0));
        r.stepEnded(two, two.steps().get(0), null);
        r.stepStarted(two, two.steps().get(1));
        clock.advance(250);
        PacklabException failure = PacklabException.failed("pack build failed: no buildpack group passed detection.");
        r.stepEnded(two, two.steps().get(1), failure);
        r.lessonEnded(two, failure);

        JUnitReport report = r.report();
        assertEquals(List.of("one", "two", "three"), report.suites().stream().map(JUnitReport.Suite::name).toList());
        assertEquals(List.of(8L, 1L, 0L, 4L), List.of(report.tests(), report.failures(), report.errors(), report.skipped()));
        JUnitReport.Suite first = report.suites().get(0);
        assertEquals(List.of("step 1: cd stacks && docker build -t a . -> passed", "image a exists -> passed"),
                outcomes(first));
        assertEquals(1.5, first.cases().get(0).seconds(), 1e-9);
        assertEquals(0.007, first.cases().get(1).seconds(), 1e-9);
        assertEquals(1.5, first.seconds(), 1e-9);
        assertEquals(List.of("step 1: ls -> passed",
                "step 2: pack build app -> packlab.failed: pack build failed: no buildpack group passed detection.",
                "step 3: ls -> skipped: not reached: step 2 failed",
                "image app exists -> skipped: not reached: step 2 failed"), outcomes(report.suites().get(1)));
        JUnitReport.Failed failed = (JUnitReport.Failed) report.suites().get(1).cases().get(1).outcome();
        assertEquals(false, failed.error());
        assertEquals("pack build app\n\npack build failed: no buildpack group passed detection.\n"
                + "hint: Build both images first.\nat:   lessons/en/02.md:20", failed.detail());
        assertEquals(0.25, report.suites().get(1).cases().get(1).seconds(), 1e-9);
        assertEquals(List.of("step 1: ls -> skipped: not reached: lesson `two` did not pass",
                "image b exists -> skipped: not reached: lesson `two` did not pass"), outcomes(report.suites().get(2)));
        assertEquals(1, engineAsked.get(), "the engine is described once");
        Map<String, String> p = first.properties();
        assertEquals("Docker 20.10.24", p.get("packlab.engine"));
        assertEquals("1.41", p.get("packlab.engine.api"));
        assertEquals("unix:///var/run/docker.sock", p.get("packlab.engine.endpoint"));
        assertEquals("(not set: the default socket)", p.get("DOCKER_HOST"));
        assertEquals("test", p.get("packlab.version"));
        assertEquals("en", p.get("packlab.lang"));
        assertEquals("src/test/resources/lessons/two", p.get("packlab.lessons"));
        assertEquals("Lesson one", p.get("lesson.title"));
    }

    @Test
    void aFailedCheckCarriesExpectedFoundAndTheHint() {
        Check own = WorkshopParts.check("image a label x = 1", HOME.resolve("lessons/en/01.md"), 33,
                Optional.of("set LABEL x=1"), c -> CheckResult.fail(c, "x=1", "x=2"));
        Check bare = failing("image a user not root");
        Lesson one = lesson("one", List.of(), List.of(own, bare), List.of());
        RunRecorder r = recorder(one);
        r.lessonStarted(one);
        r.checksStarted(one);
        r.checkDone(one, result(own), Duration.ofMillis(3));
        r.checkDone(one, result(bare), Duration.ofMillis(4));
        r.lessonEnded(one, null);
        JUnitReport.Suite suite = r.report().suites().get(0);
        JUnitReport.Failed f = (JUnitReport.Failed) suite.cases().get(0).outcome();
        assertEquals("expected x=1, found x=2", f.message());
        assertEquals("packlab.check", f.type());
        assertEquals("image a label x = 1\nexpected: x=1\nfound:    x=2\nhint:     set LABEL x=1\nat:       lessons/en/01.md:33",
                f.detail());
        assertTrue(((JUnitReport.Failed) suite.cases().get(1).outcome()).detail().contains("hint:     Build both images"
                + " first."), "without a hint of its own, the lesson's first");
        assertEquals(2, suite.failures());
    }

    @Test
    void anEngineThatGoesAwayDuringTheChecksIsAnErrorAtTheCheckWhoseResultDidNotCome() {
        Check a = passing("image a exists");
        Check b = passing("image b exists");
        Check c = passing("image c exists");
        Lesson one = lesson("one", List.of(), List.of(a, b, c), List.of());
        RunRecorder r = recorder(one);
        r.lessonStarted(one);
        r.checksStarted(one);
        r.checkDone(one, result(a), Duration.ofMillis(3));
        r.lessonEnded(one, new PacklabException(PacklabException.NO_ENGINE, "the Docker engine stopped answering."));
        assertEquals(List.of("image a exists -> passed",
                "image b exists -> packlab.engine: the Docker engine stopped answering.",
                "image c exists -> skipped: not reached: the checks stopped at `image b exists`"),
                outcomes(r.report().suites().get(0)));
        assertTrue(((JUnitReport.Failed) r.report().suites().get(0).cases().get(1).outcome()).error());
    }

    @Test
    void aReportWrittenWhileAStepRunsSaysItWasStopped() {
        Lesson one = lesson("one", List.of(step(1, "sleep 300"), step(2, "ls")), List.of(passing("image a exists")),
                List.of());
        RunRecorder r = recorder(one);
        r.lessonStarted(one);
        r.stepStarted(one, one.steps().get(0));
        clock.advance(4000);
        JUnitReport mid = r.report();
        assertEquals(List.of("step 1: sleep 300 -> packlab.interrupted: still running when this report was written: the"
                + " run was stopped (a signal, or packlab ended) while this step ran",
                "step 2: ls -> skipped: not reached: the run ended before it",
                "image a exists -> skipped: not reached: the run ended before it"), outcomes(mid.suites().get(0)));
        assertEquals(4.0, mid.suites().get(0).cases().get(0).seconds(), 1e-9);
        assertEquals(4.0, mid.suites().get(0).seconds(), 1e-9);

        StepCancelledException cancelled = new StepCancelledException("sleep 300");
        r.stepEnded(one, one.steps().get(0), cancelled);
        r.lessonEnded(one, cancelled);
        assertEquals(List.of("step 1: sleep 300 -> packlab.cancelled: " + cancelled.getMessage(),
                "step 2: ls -> skipped: not reached: step 1 was stopped (Ctrl-C or a signal)",
                "image a exists -> skipped: not reached: step 1 was stopped (Ctrl-C or a signal)"),
                outcomes(r.report().suites().get(0)));
    }

    @Test
    void aReportWrittenWhileTheChecksRunHasOneErrorAtTheFirstCheckWithoutAResult() {
        Check a = passing("image a exists");
        Check b = passing("image b exists");
        Check c = passing("image c exists");
        Lesson one = lesson("one", List.of(), List.of(a, b, c), List.of());
        RunRecorder r = recorder(one);
        r.lessonStarted(one);
        r.checksStarted(one);
        r.checkDone(one, result(a), Duration.ofMillis(3));
        JUnitReport.Suite mid = r.report().suites().get(0);
        assertEquals(List.of("image a exists -> passed",
                "image b exists -> packlab.interrupted: still running when this report was written: the run was stopped"
                        + " (a signal, or packlab ended) while the checks were evaluated",
                "image c exists -> skipped: not finished: the run was stopped while the checks were evaluated"),
                outcomes(mid));
        assertEquals(List.of(1L, 1L), List.of(mid.errors(), mid.skipped()));
    }

    @Test
    void aLessonThatCannotStartHasACaseSayingWhy() {
        Lesson one = lesson("one", List.of(step(1, "ls")), List.of(passing("image a exists")), List.of());
        RunRecorder r = recorder(one);
        r.lessonStarted(one);
        r.lessonEnded(one, PacklabException.failed("lesson `one` builds on what lesson `stack` makes."));
        assertEquals(List.of("before step 1: the lesson's prerequisites and set-up -> packlab.failed: lesson `one` builds"
                + " on what lesson `stack` makes.",
                "step 1: ls -> skipped: not reached: the lesson could not start",
                "image a exists -> skipped: not reached: the lesson could not start"), outcomes(r.report().suites().get(0)));
        assertEquals(0, engineAsked.get(), "nothing reached the engine");
        assertEquals("not asked: no step or check reached the engine",
                r.report().suites().get(0).properties().get("packlab.engine"));
    }

    @Test
    void registryStepsAndChecksWithoutARegistryAreSkippedWithTheReason() {
        Step push = new Step(1, new SourceLocation(HOME.resolve("x.md"), 3), List.of(new Step.StepLine("docker push x",
                new SourceLocation(HOME.resolve("x.md"), 3))), true);
        Lesson one = lesson("one", List.of(push), List.of(), List.of(passing("image x in registry")));
        RunRecorder r = recorder(one);
        r.lessonStarted(one);
        r.stepSkipped(one, push, "a registry step: it runs only with --registry HOST:PORT");
        r.checksStarted(one);
        r.lessonEnded(one, null);
        assertEquals(List.of("step 1: docker push x -> skipped: a registry step: it runs only with --registry HOST:PORT",
                "image x in registry -> skipped: a registry check: it runs only with --registry HOST:PORT"),
                outcomes(r.report().suites().get(0)));
    }

    @Test
    void anEngineThatCannotDescribeItselfIsNamedInTheProperties() {
        Lesson one = lesson("one", List.of(step(1, "ls")), List.of(), List.of());
        RunRecorder r = new RunRecorder(settings, List.of(one), () -> {
            throw new PacklabException(PacklabException.NO_ENGINE, "no Docker engine answers at unix:///x.sock.");
        }, clock);
        r.lessonStarted(one);
        r.stepStarted(one, one.steps().get(0));
        r.stepEnded(one, one.steps().get(0), null);
        assertEquals("unknown: no Docker engine answers at unix:///x.sock.",
                r.report().suites().get(0).properties().get("packlab.engine"));
    }

    @Test
    void aStepOfManyLinesIsNamedByItsCommandsAndAHereDocumentByItsFirstLine() {
        assertEquals("step 2: cd app && cat > a.txt <<EOF && ls",
                RunRecorder.stepName(step(2, "cd app", "cat > a.txt <<EOF\nhello\nEOF", "ls")));
    }
}
