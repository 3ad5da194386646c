package io.packlab.workshop;

import static io.packlab.workshop.WorkshopParts.check;
import static io.packlab.workshop.WorkshopParts.failing;
import static io.packlab.workshop.WorkshopParts.lesson;
import static io.packlab.workshop.WorkshopParts.passing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.Check;
import io.packlab.check.CheckResult;
import io.packlab.engine.ImageSnapshot;
import io.packlab.error.PacklabException;
import io.packlab.lesson.Lesson;
import io.packlab.support.FakeEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CheckRunnerTest {

    private static CheckRunner runner(Optional<String> registry) {
        return new CheckRunner(FakeEngine::new, Path.of("work"), name -> Optional.empty(), registry);
    }

    /** A check that passes once {@code all} checks have started: it passes only when they run side by side. */
    private static Check together(String source, CountDownLatch all) {
        return check(source, Path.of("lesson.md"), 1, Optional.empty(), c -> {
            all.countDown();
            try {
                return CheckResult.of(c, all.await(10, TimeUnit.SECONDS), "the others running", "alone");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void checksRunSideBySideAndReportInTheLessonsOrder() {
        CountDownLatch all = new CountDownLatch(CheckRunner.THREADS);
        List<Check> checks = new ArrayList<>();
        for (int i = 1; i <= CheckRunner.THREADS; i++) {
            checks.add(together("check " + i, all));
        }
        checks.add(0, check("slow", Path.of("lesson.md"), 1, Optional.empty(), c -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return CheckResult.pass(c, "late");
        }));
        List<String> seen = new ArrayList<>();
        CheckReport report = runner(Optional.empty()).evaluate(lesson("l", checks), r -> seen.add(r.check().source()));
        assertTrue(report.passed(), report.summary());
        assertEquals(List.of("slow", "check 1", "check 2", "check 3", "check 4"), seen);
        assertEquals(seen, report.results().stream().map(r -> r.check().source()).toList());
    }

    @Test
    void registryChecksRunOnlyWithARegistry() {
        Lesson lesson = lesson("l", List.of(), List.of(passing("local")), List.of(failing("pushed")), List.of(),
                List.of());
        CheckReport without = runner(Optional.empty()).evaluate(lesson, r -> { });
        assertEquals(List.of("local"), without.results().stream().map(r -> r.check().source()).toList());
        assertTrue(without.passed());
        CheckReport with = runner(Optional.of("localhost:5000")).evaluate(lesson, r -> { });
        assertEquals(List.of("local", "pushed"), with.results().stream().map(r -> r.check().source()).toList());
        assertFalse(with.passed());
        assertEquals("pushed (found: nothing)", with.summary());
    }

    @Test
    void aCheckThatThrowsStopsTheEvaluationWithItsOwnException() {
        PacklabException broken = PacklabException.failed("the engine sent garbage");
        Lesson lesson = lesson("l", List.of(passing("one"), check("two", Path.of("lesson.md"), 2, Optional.empty(),
                c -> {
                    throw broken;
                }), passing("three")));
        List<String> seen = new ArrayList<>();
        PacklabException e = assertThrows(PacklabException.class, () -> runner(Optional.empty()).evaluate(lesson,
                r -> seen.add(r.check().source())));
        assertSame(broken, e);
        assertEquals(List.of("one"), seen, "the checks before it were handed on");
    }

    @Test
    void checksSeeTheWorkFolderAndTheKeptSnapshots() {
        ImageSnapshot kept = new ImageSnapshot("app", "sha256:1", List.of("sha256:a"), "sha256:a", null, null);
        CheckRunner runner = new CheckRunner(FakeEngine::new, Path.of("/work/here"),
                name -> name.equals("before") ? Optional.of(kept) : Optional.empty(), Optional.empty());
        List<Object> seen = new ArrayList<>();
        Check looking = new Check() {
            public io.packlab.error.SourceLocation location() {
                return new io.packlab.error.SourceLocation(Path.of("lesson.md"), 1);
            }

            public String source() {
                return "sees";
            }

            public Optional<String> hint() {
                return Optional.empty();
            }

            public CheckResult evaluate(io.packlab.check.CheckContext context) {
                seen.add(context.workdir());
                seen.add(context.snapshot("before"));
                seen.add(context.snapshot("other"));
                return CheckResult.pass(this, "");
            }
        };
        runner.evaluate(lesson("l", List.of(looking)), r -> { });
        assertEquals(List.of(Path.of("/work/here"), Optional.of(kept), Optional.empty()), seen);
    }
}
