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
            for (int width : List.of(40, 57, 80)) {
                for (String line : new MarkdownRenderer(new Style(true), width).render(md)) {
                    assertTrue(DisplayWidth.of(line) <= width,
                            en.getFileName() + " " + lang + " at width " + width + ": " + DisplayWidth.of(line) + " columns: " + line);
                    String plain = Style.strip(line).stripLeading();
                    assertFalse(plain.startsWith("。") || plain.startsWith("、") || plain.startsWith("）"),
                            lang + " at width " + width + ", a line starts with closing punctuation: " + line);
                }
            }
          }
        }
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
    void narrowTablesBecomeLists() {
        String table = "| a | b |\n| --- | --- |\n| one | two |\n";
        List<String> wide = new MarkdownRenderer(new Style(false), 80).render(table);
        assertEquals("a   │ b", wide.get(0));
        assertEquals("one │ two", wide.get(2));
        String long3 = "| where | what |\n| --- | --- |\n| " + "x".repeat(30) + " | " + "y".repeat(30) + " |\n";
        List<String> narrow = new MarkdownRenderer(new Style(false), 40).render(long3);
        assertTrue(narrow.get(0).startsWith("• where: "), narrow.toString());
    }
}
