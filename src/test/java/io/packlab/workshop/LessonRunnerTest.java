package io.packlab.workshop;

import static io.packlab.workshop.WorkshopParts.failing;
import static io.packlab.workshop.WorkshopParts.lesson;
import static io.packlab.workshop.WorkshopParts.passing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.CheckLanguage;
import io.packlab.config.PacklabConfig;
import io.packlab.engine.Cancellation;
import io.packlab.error.PacklabException;
import io.packlab.error.SourceLocation;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.LessonCatalog;
import io.packlab.lesson.Step;
import io.packlab.progress.ProgressStore;
import io.packlab.step.StepContext;
import io.packlab.step.StepRunner;
import io.packlab.support.FakeEngine;
import io.packlab.term.Console;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessonRunnerTest {

    @TempDir
    Path work;

    private final StringWriter out = new StringWriter();
    private final Console console = WorkshopParts.console(out);
    private final LessonCatalog catalog = LessonCatalog.load(Path.of("src/test/resources/lessons/three"),
            CheckLanguage.standard());
    private final List<String> checked = new ArrayList<>();
    private Settings settings;
    private ProgressBook book;

    private LessonRunner runner(Optional<String> registry, Function<Lesson, CheckReport> evaluate) {
        return runner(WorkshopParts.settings(Path.of("").toAbsolutePath(), work, registry), evaluate);
    }

    private LessonRunner runner(Settings settings, Function<Lesson, CheckReport> evaluate) {
        if (book != null) {
            book.close();
        }
        this.settings = settings;
        book = new ProgressBook(catalog, new ProgressStore(settings.progressFile(), w -> { }), new WorkdirLock(settings));
        EngineKeeper engines = new EngineKeeper(FakeEngine::new, Leftovers.of(settings, console), console);
        return new LessonRunner(settings, catalog, book, engines, evaluate, l -> {
            checked.add(l.id());
            return new CheckReport(l, List.of());
        });
    }

    private StepRunner steps() {
        return new StepRunner(FakeEngine::new, PacklabConfig.defaults(), console, StepRunner.PackEngine.BUILTIN, "test");
    }

    private static Step step(int number, boolean registry, String... lines) {
        SourceLocation at = new SourceLocation(Path.of("").toAbsolutePath().resolve("lessons/en/01.md"), 10 * number);
        return new Step(number, at, java.util.Arrays.stream(lines).map(l -> new Step.StepLine(l, at)).toList(), registry);
    }

    @Test
    void stepsRunInTheWorkFolderInOrderThenTheChecks() throws Exception {
        Files.createDirectories(work.resolve("stacks"));
        Files.writeString(work.resolve("stacks/README"), "read me");
        Lesson lesson = lesson("two", List.of(step(1, false, "cd stacks", "cat README"), step(2, false, "ls")),
                List.of(), List.of(), List.of(), List.of());
        List<String> seen = new ArrayList<>();
        boolean passed = runner(Optional.empty(), l -> new CheckReport(l, List.of())).run(lesson, new Cancellation(),
                steps(), console, (line, ctx) -> seen.add(line.command() + " @ " + ctx.displayCwd()));
        assertTrue(passed);
        assertEquals(List.of("cd stacks @ .", "cat README @ stacks", "ls @ ."), seen, "each step starts in the work folder");
        assertEquals(List.of("two"), checked);
        assertEquals("two", book.current().id());
        String printed = out.toString();
        assertTrue(printed.startsWith("Lesson ") && printed.contains(" · Lesson two\n"), printed);
        assertTrue(printed.contains("step 1 of 2  (lessons/en/01.md:10)"), printed);
        assertTrue(printed.contains("read me"), printed);
    }

    @Test
    void aFailingStepStopsTheLessonAndIsRecorded() {
        Lesson lesson = lesson("two", List.of(step(1, false, "cat missing.txt"), step(2, false, "ls")), List.of(),
                List.of(), List.of(), List.of());
        PacklabException e = assertThrows(PacklabException.class, () -> runner(Optional.empty(),
                l -> new CheckReport(l, List.of())).run(lesson, new Cancellation(), steps(), console, (l, c) -> { }));
        assertEquals(1, e.exitCode());
        assertEquals(List.of(), checked, "no checks after a failed step");
        assertFalse(out.toString().contains("step 2 of 2"), out.toString());
        assertEquals("step 1: " + e.getMessage(), book.progress().lesson("two").lastFailure());
        assertEquals("cat missing.txt", book.progress().lesson("two").failingCheck(), "the line that failed");
        assertEquals(null, book.progress().lesson("two").hint(), "no hint is shown for a failed step");
    }

    @Test
    void aRegistryStepIsSkippedWithoutARegistry() {
        Lesson lesson = lesson("two", List.of(step(1, true, "cat missing.txt")), List.of(), List.of(), List.of(),
                List.of());
        runner(Optional.empty(), l -> new CheckReport(l, List.of())).run(lesson, new Cancellation(), steps(), console,
                (l, c) -> { });
        assertTrue(out.toString().contains("step 1 of 1 skipped: it pushes to a registry; start packlab with"
                + " --registry HOST:PORT to run it"), out.toString());
        assertEquals(List.of("two"), checked);
    }

    @Test
    void aLessonWhosePrerequisiteFailsDoesNotStart() {
        Lesson lesson = lesson("three", List.of(step(1, false, "ls")), List.of(), List.of(), List.of(), List.of("one"));
        LessonRunner runner = runner(Optional.empty(), l -> new CheckReport(l, List.of(
                new io.packlab.check.CheckResult(failing("image packlab-test-one:latest exists"), false, "it", "none"))));
        PacklabException e = assertThrows(PacklabException.class, () -> runner.run(lesson, new Cancellation(), steps(),
                console, (l, c) -> { }));
        assertEquals(1, e.exitCode());
        assertEquals("lesson `three` builds on what lesson `one` makes, and its checks do not pass (image"
                + " packlab-test-one:latest exists (found: none)). Run `./packlab run one` first.", e.getMessage());
        assertFalse(out.toString().contains("step 1"), out.toString());
        LessonRunner passing = runner(Optional.empty(), l -> new CheckReport(l, List.of(
                io.packlab.check.CheckResult.pass(passing("ok"), ""))));
        assertTrue(passing.run(lesson, new Cancellation(), steps(), console, (l, c) -> { }));
    }

    @Test
    void theLinesAroundTheStepsAreInTheLearnersLanguage() {
        Settings ja = new Settings(Path.of("").toAbsolutePath(), work, Path.of("src/test/resources/lessons/two"), "ja",
                StepRunner.PackEngine.BUILTIN, Map.of(), "test", Optional.empty());
        Lesson lesson = lesson("two", List.of(step(1, false, "ls"), step(2, true, "ls")), List.of(), List.of(),
                List.of(), List.of());
        runner(ja, l -> new CheckReport(l, List.of())).run(lesson, new Cancellation(), steps(), console, (l, c) -> { });
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("レッスン ") && l.endsWith(" · Lesson two")), out.toString());
        assertTrue(lines.contains("ステップ 1/2（lessons/en/01.md:10）"), out.toString());
        assertTrue(lines.contains("ステップ 2/2 は飛ばしました。レジストリにプッシュするステップです。実行するには packlab を"
                + " --registry HOST:PORT を付けて起動してください。"), out.toString());
        assertFalse(out.toString().contains("step "), out.toString());
    }

    /** Tells each event as one line. */
    private static final class Heard implements RunListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void lessonStarted(Lesson lesson) {
            events.add("lesson " + lesson.id());
        }

        @Override
        public void stepSkipped(Lesson lesson, Step step, String why) {
            events.add("skipped " + step.number());
        }

        @Override
        public void stepStarted(Lesson lesson, Step step) {
            events.add("step " + step.number());
        }

        @Override
        public void stepEnded(Lesson lesson, Step step, RuntimeException failure) {
            events.add("step " + step.number() + (failure == null ? " passed" : " failed: exit " + ((PacklabException) failure)
                    .exitCode()));
        }

        @Override
        public void checksStarted(Lesson lesson) {
            events.add("checks");
        }

        @Override
        public void lessonEnded(Lesson lesson, RuntimeException failure) {
            events.add("end" + (failure == null ? "" : ": " + failure.getMessage()));
        }
    }

    @Test
    void aListenerHearsEachStepItsEndAndWhatStoppedTheLesson() {
        Lesson lesson = lesson("two", List.of(step(1, true, "ls"), step(2, false, "ls"), step(3, false, "cat missing.txt"),
                step(4, false, "ls")), List.of(), List.of(), List.of(), List.of());
        Heard heard = new Heard();
        PacklabException e = assertThrows(PacklabException.class, () -> runner(Optional.empty(),
                l -> new CheckReport(l, List.of())).run(lesson, new Cancellation(), steps(), console, (l, c) -> { },
                        heard));
        assertEquals(List.of("lesson two", "skipped 1", "step 2", "step 2 passed", "step 3", "step 3 failed: exit 1",
                "end: " + e.getMessage()), heard.events);

        Heard passing = new Heard();
        Lesson ok = lesson("two", List.of(step(1, false, "ls")), List.of(), List.of(), List.of(), List.of());
        assertTrue(runner(Optional.empty(), l -> new CheckReport(l, List.of())).run(ok, new Cancellation(), steps(),
                console, (l, c) -> { }, passing));
        assertEquals(List.of("lesson two", "step 1", "step 1 passed", "checks", "end"), passing.events);
    }
}
