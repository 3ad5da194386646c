package io.packlab.term;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The words around lessons, in the lesson's language whatever the machine's locale. */
class WordingTest {

    @Test
    void labelsInEnglishAndJapanese() {
        assertEquals("step 2 · runs with `run`", Wording.of("en").text("frame.step", 2));
        assertEquals("ステップ 2 · `run` で実行", Wording.of("ja").text("frame.step", 2));
        assertEquals("3 hints: type `hint`", Wording.of("en").count("hints", 3));
        assertEquals("1 hint: type `hint`", Wording.of("en").count("hints", 1));
        assertEquals("ヒント 3 件: `hint` と入力", Wording.of("ja").count("hints", 3));
        assertEquals("レッスン 1/7「スタックを作る」。`show` で読み、`run` でステップを実行し、`check` でチェックします。"
                + "`help` ですべてのコマンドを表示します。", Wording.of("ja").text("shell.welcome", 1, 7, "スタックを作る"));
    }

    @Test
    void englishOnAJapaneseMachineAndForALanguageWithoutWords() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.JAPAN);
            assertEquals("checks", Wording.of("en").text("frame.checks"));
            assertEquals("checks", Wording.of("de").text("frame.checks"));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void valuesAreFilledOnceAndLiterally() {
        assertEquals("a {1} b $1 c", Wording.fill("a {0} b {1} c", "{1}", "$1"));
        assertEquals("it's {2}", Wording.fill("it's {2}", "x"), "an apostrophe is not special, a missing value stays");
    }

    @Test
    void japaneseHasEveryKeyOfEnglish() throws IOException {
        assertEquals(load("wording.properties").keySet(), load("wording_ja.properties").keySet());
    }

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Wording.class.getResourceAsStream(name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
