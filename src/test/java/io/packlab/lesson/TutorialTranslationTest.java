package io.packlab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.Check;
import io.packlab.check.CheckLanguage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The tutorial's two languages: the same steps and checks in both, and one written form of each Japanese word. */
class TutorialTranslationTest {

    private static final Path EN = Path.of("lessons/en");
    private static final Path JA = Path.of("lessons/ja");

    /**
     * The written form the Japanese lessons use for each word, after the original tutorial (ディレクトリ, never フォルダー):
     * no long-vowel mark at the end of コンテナ and of the words in -ry/-ure. Other words keep theirs (ユーザー, レイヤー).
     */
    private static final Map<String, String> FORMS = forms(
            "コンテナー", "コンテナ",
            "ライブラリー", "ライブラリ",
            "ディレクトリー", "ディレクトリ",
            "フォルダ", "ディレクトリ",
            "レジストリー", "レジストリ",
            "リポジトリー", "リポジトリ",
            "アーキテクチャー", "アーキテクチャ",
            "プロキシー", "プロキシ");

    /** Lessons being rewritten on another branch of issue 12; each leaves this set once it follows FORMS. */
    private static final Set<String> PENDING = Set.of();

    private static Map<String, String> forms(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static List<Path> lessons(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().toList();
        }
    }

    /** Every other form of a listed word in {@code file}, as file:line: found → wanted. */
    private static List<String> otherForms(Path file) throws IOException {
        List<String> found = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int n = 0; n < lines.size(); n++) {
            for (Map.Entry<String, String> form : FORMS.entrySet()) {
                if (lines.get(n).contains(form.getKey())) {
                    found.add(file + ":" + (n + 1) + ": " + form.getKey() + " → " + form.getValue());
                }
            }
        }
        return found;
    }

    @Test
    void theJapaneseLessonsWriteEachWordOneWay() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : lessons(JA)) {
            if (!PENDING.contains(file.getFileName().toString())) {
                found.addAll(otherForms(file));
            }
        }
        assertEquals(List.of(), found, "write these words as the other Japanese lessons do");
    }

    @Test
    void packlabsOwnJapaneseTextWritesEachWordAsTheLessonsDo() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "resources"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("_ja.properties")).sorted().toList()) {
                found.addAll(otherForms(file));
            }
        }
        assertEquals(List.of(), found, "packlab's Japanese words (sentences, wording) follow the lessons' forms");
    }

    @Test
    void aPendingLessonLeavesTheListOnceItFollowsTheForms() throws IOException {
        for (String name : PENDING) {
            Path file = JA.resolve(name);
            assertTrue(Files.exists(file), file + " is gone: remove it from PENDING");
            assertFalse(otherForms(file).isEmpty(), file + " now writes every listed word as FORMS says: remove it from"
                    + " PENDING, so that the rule holds for it too");
        }
    }

    @Test
    void bothLanguagesRunTheSameStepsAndChecks() throws IOException {
        LessonParser parser = new LessonParser(CheckLanguage.standard());
        List<Path> en = lessons(EN);
        assertEquals(en.stream().map(Path::getFileName).toList(), lessons(JA).stream().map(Path::getFileName).toList(),
                "the same lesson files in both languages");
        for (Path enFile : en) {
            Path jaFile = JA.resolve(enFile.getFileName());
            Lesson e = parser.parse(enFile, Files.readString(enFile));
            Lesson j = parser.parse(jaFile, Files.readString(jaFile));
            assertEquals(e.id(), j.id(), jaFile.toString());
            assertEquals(commands(e), commands(j), jaFile + " runs the steps of " + enFile);
            assertEquals(e.checks().stream().map(Check::source).toList(), j.checks().stream().map(Check::source).toList(),
                    jaFile + " checks what " + enFile + " checks (hints aside)");
        }
    }

    private static List<List<String>> commands(Lesson lesson) {
        return lesson.steps().stream().map(s -> s.lines().stream().map(Step.StepLine::command).toList()).toList();
    }
}
