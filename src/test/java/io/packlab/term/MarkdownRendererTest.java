package io.packlab.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {

    @Test
    void displayWidthCountsWideCharactersTwice() {
        assertEquals(5, DisplayWidth.of("stack"));
        assertEquals(8, DisplayWidth.of("スタック"));
        assertEquals(4, DisplayWidth.of("日本"));
        assertEquals(2, DisplayWidth.of("ｱｲ"), "halfwidth katakana is narrow");
        assertEquals(3, DisplayWidth.of("\u001b[1mabc\u001b[0m"), "styles take no columns");
        assertEquals(1, DisplayWidth.of("e\u0301"), "combining marks take no columns");
    }

    @Test
    void headingsListsLinksAndCodeBlocks() {
        MarkdownRenderer r = new MarkdownRenderer(new Style(false), 60);
        List<String> lines = r.render("# Title\n\nSee the [spec](https://example.com/spec) and `pack`.\n\n"
                + "- one\n- two\n\n```sh\ndocker build .\n```\n\n```check\nimage a exists\n```\n\n```hint\nsecret\n```\n");
        assertEquals("Title", lines.get(0));
        assertTrue(lines.contains("See the spec (https://example.com/spec) and pack."), lines.toString());
        assertTrue(lines.contains("• one"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("┌─ step 1 · runs with `run`")), lines.toString());
        assertTrue(lines.contains("│ docker build ."), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("┌─ checks")), lines.toString());
        assertFalse(String.join("\n", lines).contains("secret"), "hints are not shown in the lesson text");
        assertTrue(lines.contains("1 hint: type hint"), lines.toString());
    }

    @Test
    void noLineExceedsTheWidthInEnglishOrJapanese() throws IOException {
        List<Path> lessons;
        try (var files = Files.list(Path.of("lessons", "en"))) {
            lessons = files.sorted().toList();
        }
        for (Path en : lessons) {
          for (String lang : List.of("en", "ja")) {
            String md = Files.readString(Path.of("lessons", lang, en.getFileName().toString()));
            for (int width : List.of(40, 57, 60, 80)) {
                MarkdownRenderer renderer = new MarkdownRenderer(new Style(true), width, Wording.of(lang),
                        io.packlab.check.CheckSentences.of(lang)::sentence);
                String hereEnd = null; // inside a here-document's body: file content, shown as written
                for (String line : renderer.render(md)) {
                    String plain = Style.strip(line);
                    String boxed = plain.startsWith("│ ") ? plain.substring(2).strip() : null;
                    boolean body = hereEnd != null && boxed != null;
                    if (body && boxed.equals(hereEnd)) {
                        hereEnd = null;
                    } else if (!body && boxed != null) {
                        java.util.regex.Matcher m = HERE.matcher(boxed);
                        hereEnd = m.find() ? m.group(1) : null;
                    }
                    // a body line is never wrapped (that would change the file); at 60 columns it still fits
                    assertTrue(DisplayWidth.of(line) <= width || wordPastTheBox(plain, width) || body && width < 60,
                            en.getFileName() + " " + lang + " at width " + width + ": " + DisplayWidth.of(line) + " columns: " + line);
                    String text = plain.stripLeading();
                    assertFalse(text.startsWith("。") || text.startsWith("、") || text.startsWith("）"),
                            lang + " at width " + width + ", a line starts with closing punctuation: " + line);
                    assertFalse(plain.contains("# hint:"), "hints are not shown raw: " + line);
                }
            }
          }
        }
    }

    /**
     * A line of a code box may go past the width only with a word wider than a line of the box
     * (after at most a short start such as LABEL): such a word is never cut.
     */
    private static final java.util.regex.Pattern HERE = java.util.regex.Pattern.compile("<<-?\\s*'?([A-Za-z_]+)'?");

    private static boolean wordPastTheBox(String line, int width) {
        if (!line.startsWith("│ ")) {
            return false;
        }
        String content = line.substring(2).replaceAll(" \\\\$", "");
        int lead = content.length() - content.stripLeading().length();
        List<String> words = CommandWrapTest.words(content.strip());
        String last = words.get(words.size() - 1);
        String start = String.join(" ", words.subList(0, words.size() - 1));
        // the word does not fit on a continuation line (indented four more, with room for " \\")
        return lead + CommandWrap.CONTINUATION + DisplayWidth.of(last) + 2 > width - 2
                && DisplayWidth.of(start) <= CommandWrap.SHORT_START + CommandWrap.CONTINUATION;
    }

    @Test
    void japaneseWrapsBetweenCharacters() {
        MarkdownRenderer r = new MarkdownRenderer(new Style(false), 20);
        List<String> lines = r.render("ビルドパックはソースコードからコンテナイメージを作ります。");
        assertTrue(lines.size() > 1, lines.toString());
        for (String l : lines) {
            assertTrue(DisplayWidth.of(l) <= 20, l);
        }
        assertEquals("ビルドパックはソースコードからコンテナイメージを作ります。", String.join("", lines));
    }

    @Test
    void tablesThatFitStayOneLinePerRow() {
        String table = "| a | b |\n| --- | --- |\n| one | two |\n";
        List<String> wide = new MarkdownRenderer(new Style(false), 80).render(table);
        assertEquals(List.of("a   │ b", "────┼────", "one │ two"), wide);
    }

    @Test
    void aTableTooWideForOneLinePerRowWrapsItsCellsByWords() throws IOException {
        String md = Files.readString(Path.of("lessons", "en", "05-build.md"));
        String table = md.substring(md.indexOf("| phase |"), md.indexOf("\n\n", md.indexOf("| phase |")) + 1);
        List<String> lines = new MarkdownRenderer(new Style(false), 60).render(table);
        assertTrue(lines.get(0).startsWith("phase     │ what the lifecycle does"), lines.toString());
        assertEquals("ANALYZING │ reads the previous webapp image, if there is", lines.get(2));
        assertEquals("          │ one, to know which layers it can reuse", lines.get(3));
        for (String line : lines) {
            assertTrue(DisplayWidth.of(line) <= 60, line);
            assertTrue(line.contains("│") || line.contains("┼"), "every line is part of the columns: " + line);
        }
        assertEquals(1, lines.stream().filter(l -> l.contains("what the lifecycle does")).count());
    }

    @Test
    void aTableThatCannotBeColumnsIsAListWithTheHeaderOnce() throws IOException {
        String md = Files.readString(Path.of("lessons", "ja", "05-build.md"));
        String table = md.substring(md.indexOf("| フェーズ |"), md.indexOf("\n\n", md.indexOf("| フェーズ |")) + 1);
        List<String> lines = new MarkdownRenderer(new Style(false), 24).render(table);
        String text = String.join("\n", lines);
        assertEquals(1, text.split("フェーズ", -1).length - 1, "the header once: " + text);
        assertEquals(List.of("フェーズ · ライフサイク", "ルが行うこと", "• ANALYZING", "  以前の webapp イメージ"),
                lines.subList(0, 4));
        assertEquals(5, lines.stream().filter(l -> l.startsWith("• ")).count(), "one item per row");
        for (String line : lines) {
            assertTrue(DisplayWidth.of(line) <= 24, line);
        }
    }

    @Test
    void columnsKeepTheirLongestWordWholeOrTheTableBecomesAList() {
        String long3 = "| where | what |\n| --- | --- |\n| " + "x".repeat(30) + " | " + "y".repeat(30) + " |\n";
        List<String> narrow = new MarkdownRenderer(new Style(false), 40).render(long3);
        assertEquals(List.of("where · what", "• " + "x".repeat(30), "  " + "y".repeat(30)), narrow);
    }

    @Test
    void checksReadAsSentencesWithoutTheirHints() {
        String md = "```check\nimage webapp exists   # hint: build it\nfile scratch/x exists\n```\n";
        List<String> en = new MarkdownRenderer(new Style(false), 60, Wording.of("en"),
                io.packlab.check.CheckSentences.of("en")::sentence).render(md);
        assertEquals(List.of("┌─ checks " + "─".repeat(30), "│ • the image webapp exists",
                "│ • the file scratch/x exists", "└─"), en);
        List<String> ja = new MarkdownRenderer(new Style(false), 60, Wording.of("ja"),
                io.packlab.check.CheckSentences.of("ja")::sentence).render(md);
        assertEquals("│ • イメージ webapp がある", ja.get(1));
        assertTrue(ja.get(0).startsWith("┌─ チェック ─"), ja.get(0));
        List<String> plain = new MarkdownRenderer(new Style(false), 60).render(md);
        assertEquals("│ • image webapp exists", plain.get(1), "without sentences: the check as written, no hint");
    }

    @Test
    void aLongSentenceWrapsUnderItsBullet() {
        String md = "```check\nimage webapp label io.buildpacks.build.metadata json /buildpacks/0/version = 0.0.2\n```\n";
        List<String> lines = new MarkdownRenderer(new Style(false), 40, Wording.of("en"),
                io.packlab.check.CheckSentences.of("en")::sentence).render(md);
        assertEquals(List.of("┌─ checks " + "─".repeat(30), "│ • in the label",
                "│   io.buildpacks.build.metadata of the", "│   image webapp, /buildpacks/0/version",
                "│   is 0.0.2", "└─"), lines);
    }

    @Test
    void aRunOfHintsIsOneLine() {
        String md = "```check\nimage a exists\n```\n\n```hint\none\n```\n\n```hint\ntwo\n```\n\n```hint\nthree\n```\n\nThe end.\n";
        List<String> en = new MarkdownRenderer(new Style(false), 60).render(md);
        assertEquals(List.of("3 hints: type hint", "", "The end."), en.subList(en.size() - 3, en.size()));
        List<String> ja = new MarkdownRenderer(new Style(false), 60, Wording.of("ja"), l -> l).render(md);
        assertTrue(ja.contains("ヒント 3 件: hint と入力"), ja.toString());
        List<String> one = new MarkdownRenderer(new Style(false), 60).render("```hint\nonly\n```\n");
        assertEquals(List.of("1 hint: type hint"), one);
        assertFalse(String.join("\n", en).contains("┌─ hint"), "no empty hint boxes");
    }

    @Test
    void frameLabelsInJapaneseAndWrappedWhenTheBoxIsNarrow() {
        String md = "```sh\nls\n```\n\n```console\n$ ls\n```\n\n```sh registry\nls\n```\n";
        List<String> ja = new MarkdownRenderer(new Style(false), 60, Wording.of("ja"), l -> l).render(md);
        assertTrue(ja.get(0).startsWith("┌─ ステップ 1 · `run` で実行 ─"), ja.toString());
        assertTrue(ja.contains("┌─ コンソール ──────────────────────────"), ja.toString());
        assertTrue(ja.stream().anyMatch(l -> l.startsWith("┌─ ステップ 2 · --registry 指定時に実行")), ja.toString());
        List<String> narrow = new MarkdownRenderer(new Style(false), 20, Wording.of("en"), l -> l).render("```sh registry\nls\n```\n");
        assertEquals(List.of("┌─ step 1 · runs", "│  with --registry", "│ ls", "└─"), narrow);
    }
}
