package io.packlab.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Check lines read as short sentences in the learner's language. */
class CheckSentencesTest {

    private final CheckSentences en = CheckSentences.of("en");
    private final CheckSentences ja = CheckSentences.of("ja");

    @Test
    void theLessonsChecksInEnglishAndJapanese() {
        assertEquals("the image `webapp` exists", en.sentence("image webapp exists"));
        assertEquals("イメージ `webapp` がある", ja.sentence("image webapp exists"));
        assertEquals("the label `io.packlab.tutorial.patch` of the image `distroless-python:run` is `1`",
                en.sentence("image distroless-python:run label io.packlab.tutorial.patch = 1"));
        assertEquals("イメージ `distroless-python:run` のラベル `io.packlab.tutorial.patch` が `1`",
                ja.sentence("image distroless-python:run label io.packlab.tutorial.patch = 1"));
        assertEquals("in the label `io.buildpacks.build.metadata` of the image `webapp`, `/buildpacks/0/version` is `0.0.2`",
                en.sentence("image webapp label io.buildpacks.build.metadata json /buildpacks/0/version = 0.0.2"));
        assertEquals("`distroless-python:build` と `distroless-python:run` のラベル `io.buildpacks.stack.id` が同じ",
                ja.sentence("same label io.buildpacks.stack.id on distroless-python:build distroless-python:run"));
        assertEquals("a container of `webapp` answers on port `8080` with status `200` and the text “`Hello, Cloud Native Buildpacks!`”",
                en.sentence("http webapp port 8080 status 200 contains \"Hello, Cloud Native Buildpacks!\""));
        assertEquals("`webapp` のコンテナがポート `8080` でステータス `200` と「`example/python 0.0.2`」を返す",
                ja.sentence("http webapp port 8080 status 200 contains \"example/python 0.0.2\""));
        assertEquals("`webapp` is a new image since the snapshot `before-rebase`",
                en.sentence("image webapp id != snapshot before-rebase"));
        assertEquals("イメージ `distroless-python:run` が root 以外のユーザーで動く",
                ja.sentence("image distroless-python:run user not root"));
    }

    @Test
    void theHintIsNotPartOfTheSentence() {
        String line = "image webapp runs-on distroless-python:run   # hint: webapp still sits on the old run image";
        assertEquals("the image `webapp` sits on the layers of the run image `distroless-python:run`", en.sentence(line));
        assertFalse(ja.sentence(line).contains("hint"), ja.sentence(line));
        assertEquals("", en.sentence("# a comment for authors"));
        assertEquals("", ja.sentence("   "));
    }

    @Test
    void doubleEqualsReadsAsEquals() {
        assertEquals(en.sentence("image a env X = 1"), en.sentence("image a env X == 1"));
    }

    @Test
    void anUnknownVerbOrFormOrABrokenLineGetsTheGenericSentence() {
        assertEquals("the check `image webapp rebased-from before-rebase` passes",
                en.sentence("image webapp rebased-from before-rebase   # hint: run pack rebase"));
        assertEquals("チェック `layers webapp unchanged` に合格する", ja.sentence("layers webapp unchanged"));
        assertEquals("the check `image \"webapp exists` passes", en.sentence("image \"webapp exists"));
        assertEquals("the check ``a `quoted` word`` passes", en.sentence("a `quoted` word"), "backticks in a value stay code");
    }

    @Test
    void everyFormOfEveryVerbHasASentenceInEveryLanguage() throws IOException {
        Properties enWords = load("sentences.properties");
        Properties jaWords = load("sentences_ja.properties");
        assertEquals(enWords.keySet(), jaWords.keySet(), "the same sentences in English and Japanese");
        for (CheckVerb verb : CheckLanguage.standard().verbs()) {
            for (String form : verb.synopsis()) {
                String key = CheckSentences.key(form);
                assertTrue(enWords.containsKey(key) && jaWords.containsKey(key), "the form `" + form
                        + "` has no sentence: add `" + key + "=...` to src/main/resources/io/packlab/check/sentences.properties"
                        + " and sentences_ja.properties");
                String line = form.replaceAll("\\b[A-Z][A-Z0-9_:]*\\b|/[A-Z/]+", "x");
                assertNotEquals(en.sentence("no-such-verb"), en.sentence(line).replace("`x`", ""), form);
                assertFalse(en.sentence(line).contains(" passes"), "`" + line + "` read as an unknown check: " + en.sentence(line));
            }
        }
    }

    @Test
    void englishDoesNotFollowTheMachinesLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.JAPAN);
            assertEquals("the image `webapp` exists", CheckSentences.of("en").sentence("image webapp exists"));
            assertEquals("the image `webapp` exists", CheckSentences.of("fr").sentence("image webapp exists"),
                    "a language without sentences reads English");
        } finally {
            Locale.setDefault(before);
        }
    }

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = CheckSentences.class.getResourceAsStream(name)) {
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return p;
    }
}
