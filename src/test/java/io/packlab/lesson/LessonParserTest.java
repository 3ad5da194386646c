package io.packlab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.CheckLanguage;
import io.packlab.check.CheckSyntaxException;
import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessonParserTest {

    private static final Path FILE = Path.of("lessons/en/03-demo.md");
    private final LessonParser parser = new LessonParser(CheckLanguage.standard());

    @Test
    void frontMatterStepsChecksAndHints() {
        Lesson l = parser.parse(FILE, String.join("\n",
                "---",
                "id: demo",
                "title: \"A demo\"",
                "requires: [stack]",
                "---",
                "# Heading",
                "",
                "```sh",
                "cd stacks",
                "# a comment",
                "docker build \\",
                "  -t x ./build",
                "```",
                "",
                "```toml",
                "not = 'run'",
                "```",
                "",
                "```check",
                "image x exists",
                "",
                "image x user not root",
                "```",
                "",
                "```hint",
                "Try again.",
                "```"));
        assertEquals("demo", l.id());
        assertEquals("A demo", l.title());
        assertEquals(List.of("stack"), l.requires());
        assertEquals(1, l.steps().size());
        Step step = l.steps().get(0);
        assertEquals(8, step.location().line());
        assertEquals(List.of("cd stacks", "docker build -t x ./build"),
                step.lines().stream().map(Step.StepLine::command).toList());
        assertEquals(9, step.lines().get(0).location().line());
        assertEquals(11, step.lines().get(1).location().line());
        assertEquals(2, l.checks().size());
        assertEquals(20, l.checks().get(0).location().line());
        assertEquals(22, l.checks().get(1).location().line());
        assertEquals("Try again.", l.hints().get(0).text());
        assertTrue(l.markdown().startsWith("# Heading"));
    }

    @Test
    void idFromFileNameAndTitleFromFirstHeading() {
        Lesson l = parser.parse(Path.of("lessons/en/06-add-buildpack.md"),
                "Intro\n\n# Add a `buildpack`\n\n```check\nimage a exists\n```\n");
        assertEquals("add-buildpack", l.id());
        assertEquals("Add a buildpack", l.title());
    }

    @Test
    void unknownCheckVerbIsReportedAtItsLine() {
        CheckSyntaxException e = assertThrows(CheckSyntaxException.class, () -> parser.parse(FILE,
                "# T\n\n```check\nimage a exists\nimagine a exists\n```\n"));
        assertTrue(e.getMessage().startsWith("lessons/en/03-demo.md:5: unknown check verb `imagine`"), e.getMessage());
    }

    @Test
    void checkLinesAreNumberedAfterFrontMatter() {
        CheckSyntaxException e = assertThrows(CheckSyntaxException.class, () -> parser.parse(FILE,
                "---\nid: x\n---\n# T\n```check\nimage a\n```\n"));
        assertTrue(e.getMessage().startsWith("lessons/en/03-demo.md:6: "), e.getMessage());
    }

    @Test
    void unclosedFenceIsReportedWhereItOpens() {
        LessonFormatException e = assertThrows(LessonFormatException.class, () -> parser.parse(FILE,
                "# T\n\ntext\n\n```sh\nls\n\nmore text\n"));
        assertTrue(e.getMessage().startsWith("lessons/en/03-demo.md:5: the code block opened here with ```"
                + " is never closed"), e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @Test
    void registryBlocksAreKeptApartAndUnknownFlagsRefused() {
        Lesson l = parser.parse(FILE, "# T\n```sh\nls\n```\n```sh registry\ndocker push $PACKLAB_REGISTRY/a\n```\n"
                + "```check\nimage a exists\n```\n```check registry\nregistry a:1 exists\n```\n");
        assertEquals(List.of(false, true), l.steps().stream().map(Step::needsRegistry).toList());
        assertEquals(1, l.checks().size());
        assertEquals("registry a:1 exists", l.registryChecks().get(0).source());
        LessonFormatException e = assertThrows(LessonFormatException.class,
                () -> parser.parse(FILE, "# T\n\n```sh optional\nls\n```\n"));
        assertTrue(e.getMessage().startsWith("lessons/en/03-demo.md:3: unknown flag `optional` on this ```sh block"),
                e.getMessage());
    }

    @Test
    void malformedFrontMatter() {
        assertThrows(LessonFormatException.class, () -> parser.parse(FILE, "---\nid: x\n# T\n"));
        LessonFormatException bad = assertThrows(LessonFormatException.class,
                () -> parser.parse(FILE, "---\nid: Not An Id\n---\n```check\nimage a exists\n```\n"));
        assertTrue(bad.getMessage().startsWith("lessons/en/03-demo.md:2: the lesson id `Not An Id`"), bad.getMessage());
        LessonFormatException key = assertThrows(LessonFormatException.class,
                () -> parser.parse(FILE, "---\nauthor: me\n---\n```check\nimage a exists\n```\n"));
        assertTrue(key.getMessage().contains(":2: unknown front matter key `author`"), key.getMessage());
    }

    @Test
    void aLessonWithNothingToRunOrCheckIsRefused() {
        LessonFormatException e = assertThrows(LessonFormatException.class, () -> parser.parse(FILE, "# Only prose\n"));
        assertTrue(e.getMessage().contains("has no ```sh steps and no ```check block"), e.getMessage());
    }

    @Test
    void danglingContinuationAndEmptyStep() {
        assertThrows(LessonFormatException.class, () -> parser.parse(FILE, "```sh\nls \\\n```\n"));
        LessonFormatException e = assertThrows(LessonFormatException.class,
                () -> parser.parse(FILE, "# T\n```sh\n# only a comment\n```\n"));
        assertTrue(e.getMessage().startsWith("lessons/en/03-demo.md:2: this ```sh block holds no command"), e.getMessage());
    }

    @Test
    void aHereDocumentsBodyBelongsToItsCommandAsWritten() {
        Lesson l = parser.parse(FILE, String.join("\n", "# T", "```sh",
                "cat > bin/detect <<'EOF'",
                "#!/usr/bin/env bash",
                "",
                "  # kept: indented, blank lines and comments are the file's",
                "exit 0",
                "EOF",
                "chmod +x bin/detect",
                "```", ""));
        List<io.packlab.lesson.Step.StepLine> lines = l.steps().get(0).lines();
        assertEquals(2, lines.size());
        assertEquals("cat > bin/detect <<'EOF'\n#!/usr/bin/env bash\n\n  # kept: indented, blank lines and comments"
                + " are the file's\nexit 0\nEOF", lines.get(0).command());
        assertEquals(3, lines.get(0).location().line());
        assertEquals("chmod +x bin/detect", lines.get(1).command());
        LessonFormatException e = assertThrows(LessonFormatException.class,
                () -> parser.parse(FILE, "# T\n```sh\ncat > f <<EOF\ntext\nEOF \n```\n"));
        assertTrue(e.getMessage().startsWith("lessons/en/03-demo.md:3: the here-document opened on this line has no"
                + " line `EOF`"), e.getMessage());
    }

    @Test
    void hereDocumentOpenersFollowTheShellsRules() {
        assertEquals(List.of(new HereDocuments.Opener("EOF", false)), HereDocuments.openers("cat > f <<'EOF'"));
        assertEquals(List.of(new HereDocuments.Opener("END", true)), HereDocuments.openers("cat <<-\"END\" >f"));
        assertEquals(List.of(new HereDocuments.Opener("A", false), new HereDocuments.Opener("B", false)),
                HereDocuments.openers("paste <<A /dev/fd/3 3<<B"));
        assertEquals(List.of(), HereDocuments.openers("echo '<<EOF' \"<<X\" \\<<Y"));
        assertEquals(List.of(), HereDocuments.openers("cat <<< word"));
        assertTrue(HereDocuments.unfinished("cat > f <<'EOF'\nline"));
        assertFalse(HereDocuments.unfinished("cat > f <<'EOF'\nline\nEOF"));
        assertFalse(HereDocuments.unfinished("cat <<-EOF\n\tx\n\t\tEOF"));
        assertFalse(HereDocuments.unfinished("ls -l"));
    }

    @Test
    void catalogOrdersByFileNameAndFindsByIdOrNumber() {
        LessonCatalog c = LessonCatalog.load(Path.of("src/test/resources/lessons/two"), CheckLanguage.standard());
        assertEquals(List.of("first", "second"), c.ids());
        assertEquals("second", c.get("2").id());
        assertEquals("first", c.get("first").id());
        PacklabException e = assertThrows(PacklabException.class, () -> c.get("third"));
        assertEquals("there is no lesson `third`. The lessons are: first, second (or their numbers 1-2).", e.getMessage());
        assertThrows(PacklabException.class, () -> c.get("3"));
    }

    @Test
    void duplicateIdsAreRefusedNamingBothFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("01-a.md"), "---\nid: same\n---\n```check\nimage a exists\n```\n");
        Files.writeString(dir.resolve("02-b.md"), "\n---\n".substring(1) + "title: B\nid: same\n---\n```check\nimage a exists\n```\n");
        LessonFormatException e = assertThrows(LessonFormatException.class,
                () -> LessonCatalog.load(dir, CheckLanguage.standard()));
        assertTrue(e.getMessage().startsWith(dir.resolve("02-b.md") + ":3: the lesson id `same` is already used by "
                + dir.resolve("01-a.md")), e.getMessage());
    }

    @Test
    void emptyFolderAndUnknownRequirement(@TempDir Path dir) throws IOException {
        PacklabException empty = assertThrows(PacklabException.class, () -> LessonCatalog.load(dir, CheckLanguage.standard()));
        assertTrue(empty.getMessage().contains("holds no lessons"), empty.getMessage());
        Files.writeString(dir.resolve("01-a.md"), "---\nrequires: [ghost]\n---\n```check\nimage a exists\n```\n");
        LessonFormatException e = assertThrows(LessonFormatException.class, () -> LessonCatalog.load(dir, CheckLanguage.standard()));
        assertTrue(e.getMessage().contains("requires `ghost`"), e.getMessage());
    }

    @Test
    void theShippedLessonsParse() {
        for (String lang : List.of("en", "ja")) {
            LessonCatalog c = LessonCatalog.load(Path.of("lessons", lang), CheckLanguage.standard());
            assertEquals("stack", c.lessons().get(0).id(), lang);
            assertTrue(c.lessons().get(0).checks().size() >= 8, lang);
        }
        assertEquals(LessonCatalog.load(Path.of("lessons", "en"), CheckLanguage.standard()).ids(),
                LessonCatalog.load(Path.of("lessons", "ja"), CheckLanguage.standard()).ids(),
                "English and Japanese lessons have the same ids in the same order");
    }
}
