package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lint DIR}: the tutorial's lessons are clean; broken fixtures give every problem as file:line. */
class LintCommandTest {

    @TempDir
    Path work;

    private static final String BROKEN = "src/test/resources/lint/broken";
    private static final String MALFORMED = "src/test/resources/lint/malformed";

    @Test
    void theTutorialLessonsLintCleanInBothLanguages() {
        for (String dir : new String[] {"lessons/en", "lessons/ja"}) {
            InProcessCli.Run r = InProcessCli.run(work, "lint", dir);
            assertEquals(0, r.code(), r.out() + r.err());
            assertEquals("✔ " + dir + ": 7 lessons, no problems.", r.out().strip());
        }
    }

    @Test
    void theTutorialLessonsLintCleanAgainstPacklabsOwnFolder() {
        // the default work folder is packlab's own: lint the way an instructor would, without --workdir
        InProcessCli.Run r = runWithoutWorkdir("lint", "lessons/en");
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void aCleanFixture() {
        InProcessCli.Run r = InProcessCli.run(work, "lint", "src/test/resources/lint/clean");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("✔ src/test/resources/lint/clean: 1 lesson, no problems.", r.out().strip());
    }

    @Test
    void everyProblemIsReportedWithFileAndLineThenASummary() {
        InProcessCli.Run r = InProcessCli.run(work, "lint", BROKEN);
        assertEquals(2, r.code(), r.out() + r.err());
        List<String> lines = r.out().strip().lines().toList();
        String f1 = BROKEN + "/01-untitled.md:";
        String f2 = BROKEN + "/02-no-check.md:";
        String f3 = BROKEN + "/03-mostly-fine.md:";
        List<String> expected = List.of(
                f1 + "1: lesson `untitled` has no title.",
                f1 + "4: `cat nope.txt`: there is no nope.txt in the work folder",
                f2 + "1: lesson `no-check` has no ```check block",
                f2 + "9: `cd stacks/nowhere`: there is no folder stacks/nowhere in the work folder.",
                f2 + "15: `docker build`: the context ./missing-context is not a folder: there is no"
                        + " stacks/distroless-python/missing-context in the work folder (the step is in"
                        + " stacks/distroless-python).",
                f2 + "16: `docker build -f ./build/Nofile`: there is no stacks/distroless-python/build/Nofile",
                f2 + "20: `pack --path ./no-app`: there is no no-app in the work folder",
                f2 + "20: `pack --buildpack ./no-buildpack`: there is no no-buildpack in the work folder",
                f2 + "21: `pack --config ./builders/none/builder.toml`: there is no builders/none/builder.toml",
                f2 + "22: `pack --config ./packages/none/package.toml`: there is no packages/none/package.toml",
                f3 + "4: lesson `mostly-fine` requires `nothing-here`, which no lesson in " + BROKEN + " has as its id.",
                "✘ " + BROKEN + ": 11 problems in 3 files (3 read, 3 lessons parsed).");
        assertEquals(expected.size(), lines.size(), r.out());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(lines.get(i).startsWith(expected.get(i)), "line " + (i + 1) + ":\n" + lines.get(i)
                    + "\nshould start with\n" + expected.get(i));
        }
    }

    @Test
    void malformedLessonsAreAllReportedNotJustTheFirst() {
        InProcessCli.Run r = InProcessCli.run(work, "lint", MALFORMED);
        assertEquals(2, r.code(), r.out() + r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith(MALFORMED + "/02-bad-check.md:5: "), lines.get(0));
        assertTrue(lines.get(1).startsWith(MALFORMED + "/03-unclosed.md:3: the code block opened here"), lines.get(1));
        assertEquals("✘ " + MALFORMED + ": 2 problems in 2 files (3 read, 1 lesson parsed).", lines.get(2));
    }

    @Test
    void aBrokenFolderThatIsAlsoTheLessonsFolderIsStillLinted() {
        InProcessCli.Run r = InProcessCli.run(work, "--lessons", MALFORMED, "lint", MALFORMED);
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("02-bad-check.md:5: "), r.out());
    }

    @Test
    void aMissingFolderIsAUsageError() {
        InProcessCli.Run r = InProcessCli.run(work, "lint", "src/test/resources/lint/none");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: there is no lesson folder src/test/resources/lint/none."), r.err());
        InProcessCli.Run none = InProcessCli.run(work, "lint");
        assertEquals(2, none.code());
    }

    @Test
    void lessonLinksThatLoopOrLeadNowhereAreProblemsAtTheirPath() throws Exception {
        Path lessons = Files.createDirectories(work.resolve("lessons"));
        Files.copy(Path.of("src/test/resources/lint/clean/01-one.md"), lessons.resolve("01-one.md"));
        Files.createSymbolicLink(lessons.resolve("02-loop.md"), Path.of("02-loop.md"));
        Files.createSymbolicLink(lessons.resolve("03-a.md"), Path.of("04-b.md"));
        Files.createSymbolicLink(lessons.resolve("04-b.md"), Path.of("03-a.md"));
        Files.createSymbolicLink(lessons.resolve("05-gone.md"), Path.of("nowhere.md"));
        Files.createDirectories(lessons.resolve("06-folder.md"));
        InProcessCli.Run r = InProcessCli.run(work, "lint", lessons.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(List.of(
                lessons.resolve("02-loop.md") + ":1: this is a symbolic link that loops (through 02-loop.md back to"
                        + " itself), so it is no lesson. Point it at a lesson file, or remove it.",
                lessons.resolve("03-a.md") + ":1: this is a symbolic link that loops (through 04-b.md back to itself),"
                        + " so it is no lesson. Point it at a lesson file, or remove it.",
                lessons.resolve("04-b.md") + ":1: this is a symbolic link that loops (through 03-a.md back to itself),"
                        + " so it is no lesson. Point it at a lesson file, or remove it.",
                lessons.resolve("05-gone.md") + ":1: this is a symbolic link to nowhere.md, which does not exist, so it"
                        + " is no lesson. Point it at a lesson file, or remove it.",
                lessons.resolve("06-folder.md") + ":1: this is a folder, not a lesson file; lessons are the *.md files"
                        + " of the lesson folder. Rename it.",
                "✘ " + lessons + ": 5 problems in 5 files (6 read, 1 lesson parsed)."), lines);
        assertEquals("", r.err());
    }

    @Test
    void aFolderOfLinksThatAllLoopIsNotCleanAndNotEmpty() throws Exception {
        Path lessons = Files.createDirectories(work.resolve("only-loops"));
        Files.createSymbolicLink(lessons.resolve("01-loop.md"), Path.of("01-loop.md"));
        InProcessCli.Run r = InProcessCli.run(work, "lint", lessons.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith(lessons.resolve("01-loop.md") + ":1: this is a symbolic link that loops"), r.out());
    }

    private InProcessCli.Run runWithoutWorkdir(String... args) {
        // --workdir given as packlab's own folder is what the default means
        return InProcessCli.run(Path.of("").toAbsolutePath(), args);
    }
}
