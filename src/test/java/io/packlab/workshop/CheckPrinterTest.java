package io.packlab.workshop;

import static io.packlab.workshop.WorkshopParts.check;
import static io.packlab.workshop.WorkshopParts.lesson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.packlab.check.Check;
import io.packlab.check.CheckResult;
import io.packlab.error.SourceLocation;
import io.packlab.lesson.Hint;
import io.packlab.lesson.Lesson;
import io.packlab.progress.LessonState;
import io.packlab.progress.Progress;
import io.packlab.term.Wording;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckPrinterTest {

    private final Path home = Path.of("/opt/packlab");
    private final Check exists = check("image app exists", home.resolve("lessons/en/01.md"), 12,
            Optional.of("build it first"), c -> CheckResult.pass(c, "sha256:1"));
    private final Check noHint = check("image app runs", home.resolve("lessons/en/01.md"), 13, Optional.empty(),
            c -> CheckResult.pass(c, ""));
    private final Lesson lesson = lesson("stack", List.of(), List.of(exists, noHint), List.of(),
            List.of(new Hint("Read step 1\nagain.", new SourceLocation(Path.of("01.md"), 30))), List.of());

    private String print(CheckReport report, LessonState state) {
        return print(report, state, "en");
    }

    private String print(CheckReport report, LessonState state, String lang) {
        StringWriter out = new StringWriter();
        new CheckPrinter(WorkshopParts.console(out), file -> home.relativize(file).toString(), l -> state,
                Wording.of(lang)).print(report);
        return out.toString();
    }

    @Test
    void aFailedCheckSaysWhatWasExpectedFoundItsHintAndWhere() {
        CheckReport report = new CheckReport(lesson, List.of(CheckResult.pass(exists, "sha256:1"),
                CheckResult.fail(noHint, "exit code 0", "exit code 3")));
        assertEquals("""
                ✔ image app exists
                ✘ image app runs
                    expected exit code 0
                    found    exit code 3
                    hint     Read step 1 again.
                    at       lessons/en/01.md:13
                ✘ lesson stack: 1 of 2 checks failed
                """, print(report, Progress.start().lesson("stack")));
    }

    @Test
    void aCheckWithItsOwnHintShowsThatOne() {
        CheckReport report = new CheckReport(lesson, List.of(CheckResult.fail(exists, "an image", "none")));
        String printed = print(report, Progress.start().lesson("stack"));
        assertEquals(List.of("✘ image app exists", "    expected an image", "    found    none",
                "    hint     build it first", "    at       lessons/en/01.md:12", "✘ lesson stack: 1 of 1 checks failed"),
                printed.lines().toList());
    }

    @Test
    void allPassedIsOneLineAndAStuckLearnerIsOfferedTheSolution() {
        CheckReport passed = new CheckReport(lesson, List.of(CheckResult.pass(exists, ""), CheckResult.pass(noHint, "")));
        assertEquals("✔ image app exists\n✔ image app runs\n✔ lesson stack: all 2 checks passed\n",
                print(passed, Progress.start().lesson("stack")));
        Progress stuck = Progress.start();
        for (int i = 0; i < Coach.STUCK_AFTER; i++) {
            stuck = stuck.withFailed("stack", "image app runs");
        }
        CheckReport failed = new CheckReport(lesson, List.of(CheckResult.fail(exists, "an image", "none")));
        List<String> lines = print(failed, stuck.lesson("stack")).lines().toList();
        assertEquals("Stuck? `solution` shows the steps.", lines.get(lines.size() - 1));
    }

    @Test
    void theSummaryAndTheAdviceAreInTheLearnersLanguage() {
        CheckReport passed = new CheckReport(lesson, List.of(CheckResult.pass(exists, ""), CheckResult.pass(noHint, "")));
        assertEquals("✔ image app exists\n✔ image app runs\n✔ レッスン stack: 2 件のチェックがすべて通りました\n",
                print(passed, Progress.start().lesson("stack"), "ja"));
        Progress stuck = Progress.start();
        for (int i = 0; i < Coach.STUCK_AFTER; i++) {
            stuck = stuck.withFailed("stack", "image app runs");
        }
        CheckReport failed = new CheckReport(lesson, List.of(CheckResult.fail(exists, "an image", "none"),
                CheckResult.pass(noHint, "")));
        List<String> lines = print(failed, stuck.lesson("stack"), "ja").lines().toList();
        assertEquals(List.of("✘ レッスン stack: 2 件のチェックのうち 1 件が通りませんでした",
                "行き詰まったら `solution` でステップを表示できます。"), lines.subList(lines.size() - 2, lines.size()));
    }
}
