package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cli.InProcessCli.Run;
import io.packlab.support.ReadOnlyFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input of every kind the command line meets (work folders that cannot be used, arguments that
 * cannot be decoded or are 100 kB long, a docker build context that is not there), with no engine:
 * each is exit code 2 and one paragraph that says what is wrong and what to do, never a stack trace,
 * and nothing of the learner's is changed.
 */
class BadInputTest {

    private static final Map<String, String> NO_ENGINE = Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock",
            "PATH", "/nonexistent");
    private static final String FILE_LESSONS = Path.of("src/test/resources/lessons/files").toAbsolutePath().toString();

    @TempDir
    Path tmp;

    private static void onlyAParagraph(Run r) {
        assertEquals(1, r.err().strip().lines().count(), "one paragraph: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat ") || r.err().contains("failed unexpectedly"),
                r.err());
    }

    private Path seeded() {
        Path work = tmp.resolve("work");
        Run r = InProcessCli.run(work, NO_ENGINE, "--lessons", FILE_LESSONS, "status");
        assertEquals(0, r.code(), r.out() + r.err());
        return work;
    }

    // --- a read-only work folder --------------------------------------------------------------------

    @Test
    void aCheckInAReadOnlyWorkFolderRunsPrintsAndSaysItDidNotRecord() throws Exception {
        Path work = seeded();
        Run before = InProcessCli.run(work, NO_ENGINE, "--lessons", FILE_LESSONS, "check", "missing");
        assertEquals(1, before.code(), before.out() + before.err());
        String progress = Files.readString(work.resolve(".packlab/progress.json"));
        try (ReadOnlyFolder ro = ReadOnlyFolder.of(work)) {
            Run passed = InProcessCli.run(work, NO_ENGINE, "--lessons", FILE_LESSONS, "check", "files");
            assertEquals(0, passed.code(), "the exit code is that of the checks: " + passed.out() + passed.err());
            assertTrue(passed.out().contains("✔ lesson files: all 2 checks passed"), passed.out());
            List<String> notes = passed.out().lines().filter(l -> l.startsWith("! ")).toList();
            assertEquals(List.of("! this check is not recorded in the progress: cannot record progress in the work folder "
                    + work + ": the file system there is read-only (.packlab/lock)."), notes, passed.out());
            assertEquals("", passed.err());

            Run failed = InProcessCli.run(work, NO_ENGINE, "--lessons", FILE_LESSONS, "check", "missing");
            assertEquals(1, failed.code(), failed.out() + failed.err());
            assertTrue(failed.out().contains("this check is not recorded in the progress"), failed.out());
        }
        assertEquals(progress, Files.readString(work.resolve(".packlab/progress.json")), "progress is as it was");
    }

    @Test
    void runningALessonInAReadOnlyWorkFolderIsRefusedWithAdvice() throws Exception {
        Path work = seeded();
        try (ReadOnlyFolder ro = ReadOnlyFolder.of(work)) {
            Run r = InProcessCli.run(work, NO_ENGINE, "--lessons", FILE_LESSONS, "run", "files");
            assertEquals(2, r.code(), r.out() + r.err());
            onlyAParagraph(r);
            assertTrue(r.err().contains("cannot record progress in the work folder " + work + ": the file system there"
                    + " is read-only (.packlab). Use --workdir with a folder you can write"), r.err());
            assertTrue(r.err().contains("or make this one writable"), r.err());
            assertFalse(r.out().contains("step 1"), "no step ran: " + r.out());
        }
    }

    @Test
    void anEmptyReadOnlyWorkFolderSaysWhyItCannotBePrepared() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("empty"));
        try (ReadOnlyFolder ro = ReadOnlyFolder.of(work)) {
            Run r = InProcessCli.run(work, NO_ENGINE, "--lessons", FILE_LESSONS, "status");
            assertEquals(2, r.code(), r.out() + r.err());
            onlyAParagraph(r);
            assertTrue(r.err().contains("error: cannot prepare the work folder " + work + ": " + work.resolve("stacks")
                    + ": the file system there is read-only. Choose a folder you can write with --workdir"), r.err());
        }
    }

    // --- --workdir that cannot be a work folder ------------------------------------------------------

    @Test
    void aWorkdirThatIsAFileSaysSo() throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "mine\n");
        Run r = InProcessCli.run(file, NO_ENGINE, "status");
        assertEquals(2, r.code(), r.err());
        onlyAParagraph(r);
        assertTrue(r.err().contains("cannot prepare the work folder " + file + ": it is a file, not a folder."), r.err());
        assertEquals("mine\n", Files.readString(file));

        Run below = InProcessCli.run(file.resolve("sub"), NO_ENGINE, "status");
        assertEquals(2, below.code(), below.err());
        assertTrue(below.err().contains(": a part of the path is a file, not a folder."), below.err());
    }

    @Test
    void aWorkdirWherNoFolderCanBeMadeSaysWhy() {
        Run r = InProcessCli.run(Path.of("/proc/packlab-x"), NO_ENGINE, "status");
        assertEquals(2, r.code(), r.err());
        onlyAParagraph(r);
        assertTrue(r.err().contains("cannot prepare the work folder /proc/packlab-x: it cannot be created there (/proc"
                + " does not let folders be made in it)."), r.err());
    }

    // --- arguments ----------------------------------------------------------------------------------

    @Test
    void anArgumentThatWasNotUtf8IsRefusedBeforeAnythingIsMade() {
        Path work = tmp.resolve("w\uFFFD\uFFFD");
        Run r = InProcessCli.run(work, NO_ENGINE, "status");
        assertEquals(2, r.code(), r.err());
        onlyAParagraph(r);
        assertTrue(r.err().contains("error: argument 1 (`--workdir=" + tmp + "/w??`, ? where the bytes could not be"
                + " read)"), r.err());
        assertTrue(r.err().contains("so packlab cannot know which name you meant"), r.err());
        assertFalse(Files.exists(work), "no folder of another name was made");
    }

    @Test
    void aHundredKilobyteArgumentIsNamedNotEchoed() {
        String big = "a".repeat(100_000);
        Path work = tmp.resolve("work");
        List<List<String>> cases = List.of(
                List.of("show", big),
                List.of("check", big),
                List.of(big),
                List.of("--lang", big, "list"),
                List.of("--engine", big, "list"),
                List.of("--lessons", "/" + big, "list"),
                List.of("show", "--no-such-option" + big),
                List.of("lint", "/" + big),
                List.of("--record", "/" + big + "/rec.cast", "list"),
                List.of("docker", "build", "-t", "x", "/" + big));
        for (List<String> args : cases) {
            Run r = InProcessCli.run(work, NO_ENGINE, args.toArray(String[]::new));
            String what = String.join(" ", args).replace(big, "<100 kB>");
            assertEquals(2, r.code(), what + ": " + r.err());
            onlyAParagraph(r);
            assertTrue(r.err().length() < 600, what + " echoes " + r.err().length() + " characters");
            assertTrue(java.util.regex.Pattern.compile("aaaaaaaaaa… \\(1000\\d\\d characters\\)").matcher(r.err()).find(),
                    what + ": " + r.err());
        }
    }

    @Test
    void aLessonFolderThatIsAFileSaysSo() throws Exception {
        Path file = Files.writeString(tmp.resolve("lessons.md"), "# not a folder\n");
        Run r = InProcessCli.run(tmp.resolve("work"), NO_ENGINE, "--lessons", file.toString(), "list");
        assertEquals(2, r.code(), r.err());
        onlyAParagraph(r);
        assertTrue(r.err().contains("the lesson folder " + file + " is a file, not a folder."), r.err());
    }

    @Test
    void aLessonLinkThatLoopsIsALessonErrorAtItsPath() throws Exception {
        Path lessons = Files.createDirectories(tmp.resolve("lessons"));
        Files.copy(Path.of("src/test/resources/lint/clean/01-one.md"), lessons.resolve("01-one.md"));
        Files.createSymbolicLink(lessons.resolve("02-loop.md"), Path.of("02-loop.md"));
        Run r = InProcessCli.run(tmp.resolve("work"), NO_ENGINE, "--lessons", lessons.toString(), "list");
        assertEquals(2, r.code(), r.out() + r.err());
        onlyAParagraph(r);
        assertTrue(r.err().contains(lessons.resolve("02-loop.md") + ":1: this is a symbolic link that loops"), r.err());
    }

    @Test
    void unknownLanguagesAndLessonsAreUsageErrors() {
        Path work = tmp.resolve("work");
        Run lang = InProcessCli.run(work, NO_ENGINE, "--lang", "xx", "list");
        assertEquals(2, lang.code(), lang.err());
        assertTrue(lang.err().contains("there are no lessons in language `xx`"), lang.err());
        Run show = InProcessCli.run(work, NO_ENGINE, "show", "99");
        assertEquals(2, show.code(), show.err());
        assertTrue(show.err().contains("there is no lesson `99`. The lessons are: stack"), show.err());
    }

    @Test
    void anOptionValueThatIsAlsoACommandNameIsTheOptionsValue() {
        Path work = tmp.resolve("work");
        // --engine pack with pack missing from PATH: the pack line is refused for want of pack, not for the option
        Run pack = InProcessCli.run(work, NO_ENGINE, "--engine", "pack", "pack", "buildpack", "new", "example/x");
        assertEquals(2, pack.code(), pack.out() + pack.err());
        assertFalse(pack.err().contains("Expected parameter for option"), pack.err());
        Run lang = InProcessCli.run(work, NO_ENGINE, "--lang", "list", "list");
        assertEquals(2, lang.code(), lang.err());
        assertTrue(lang.err().contains("--lang takes a two-letter language code such as en or ja, not `list`."),
                lang.err());
    }

    // --- docker build --------------------------------------------------------------------------------

    @Test
    void aDockerBuildContextThatDoesNotExistIsBadInputNamedAsGivenAndAsResolved() throws Exception {
        Path work = seeded();
        Run r = InProcessCli.run(work, NO_ENGINE, "docker", "build", "-t", "x", "./no-such-context");
        assertEquals(2, r.code(), r.out() + r.err());
        onlyAParagraph(r);
        assertTrue(r.err().contains("docker build: the context `./no-such-context` does not exist (resolved from "),
                r.err());
        assertTrue(r.err().contains(" to ") && r.err().contains("/no-such-context)."), r.err());

        Files.writeString(work.resolve("a-file"), "x");
        Run file = InProcessCli.run(work, NO_ENGINE, "docker", "build", "-t", "x", work.resolve("a-file").toString());
        assertEquals(2, file.code(), file.err());
        assertTrue(file.err().contains("the context `" + work.resolve("a-file") + "` is a file, not a folder"), file.err());
    }
}
