package io.packlab.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import io.packlab.step.StepRunner;
import io.packlab.term.Console;
import io.packlab.term.Wording;
import io.packlab.workshop.Session;
import io.packlab.workshop.Settings;
import io.packlab.workshop.Workshop;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The shell's own lines in the learner's language: every shell word in Japanese too, and said in Japanese under ja. */
class ShellWordingTest {

    @TempDir
    Path work;

    private final StringWriter out = new StringWriter();
    private Workshop workshop;
    private Session session;

    @CommandLine.Command(name = "")
    static final class NoVerbs {
    }

    private static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Wording.class.getResourceAsStream(name)) {
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return p;
    }

    private static TreeSet<String> placeholders(String text) {
        TreeSet<String> found = new TreeSet<>();
        Matcher m = Pattern.compile("\\{\\d}").matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    @Test
    void everyShellLineHasItsJapaneseWithTheSamePlacesAndTheLessonsWordForms() throws Exception {
        Properties en = load("wording.properties");
        Properties ja = load("wording_ja.properties");
        List<String> wrong = new ArrayList<>();
        for (String key : new TreeSet<>(en.stringPropertyNames())) {
            if (!List.of("shell.", "run.", "check.", "coach.", "script.", "edit.").contains(key.substring(0,
                    key.indexOf('.') + 1))) {
                continue;
            }
            String j = ja.getProperty(key);
            if (j == null) {
                wrong.add(key + ": no Japanese");
            } else if (!placeholders(j).equals(placeholders(en.getProperty(key)))) {
                wrong.add(key + ": " + placeholders(j) + " instead of " + placeholders(en.getProperty(key)));
            } else if (j.contains("フォルダ") || j.contains("ディレクトリー") || j.contains("コンテナー")) {
                wrong.add(key + ": write ディレクトリ and コンテナ, as the lessons do");
            }
        }
        assertEquals(List.of(), wrong);
    }

    private PacklabShell shell(String lang) {
        Path home = Path.of("").toAbsolutePath();
        Settings settings = new Settings(home, work, home.resolve("lessons/" + lang), lang, StepRunner.PackEngine.BUILTIN,
                Map.of("PATH", System.getenv("PATH")), "test", Optional.empty());
        Console console = new Console(new PrintWriter(out, true), new PrintWriter(out, true), false, 200);
        workshop = new Workshop(settings, console, () -> {
            throw new AssertionError("these lines never need the engine");
        });
        session = session(console);
        return new PacklabShell(session, s -> new CommandLine(new NoVerbs()));
    }

    private Session session(Console console) {
        return new Session() {
            @Override
            public Workshop workshop() {
                return workshop;
            }

            @Override
            public Console console() {
                return console;
            }

            @Override
            public boolean yes() {
                return false;
            }

            @Override
            public Cancellation cancellation() {
                return new Cancellation();
            }

            @Override
            public boolean interactive() {
                return true;
            }
        };
    }

    @AfterEach
    void close() {
        if (workshop != null) {
            workshop.close();
        }
    }

    private String type(PacklabShell shell, String line) {
        out.getBuffer().setLength(0);
        shell.execute(line, session);
        return out.toString();
    }

    @Test
    void theJapaneseShellSpeaksJapanese() {
        PacklabShell typed = shell("ja");
        type(typed, "cd stacks");
        String next = type(typed, "next --force");
        assertTrue(next.contains("ディレクトリ: 作業ディレクトリに戻りました（stacks にいました）。"), next);
        assertTrue(next.contains("レッスン 2 · "), next);
        assertTrue(type(typed, "prev").contains("レッスン 1 · "), out.toString());
        assertTrue(type(typed, "prev").contains("これが最初のレッスンです。"), out.toString());
        String unknown = type(typed, "frobnicate");
        assertTrue(unknown.contains("`frobnicate` というコマンドはありません。"), unknown);
        assertFalse(unknown.contains("unknown command"), unknown);
        String help = type(typed, "help");
        assertTrue(help.contains("コマンド") && help.contains("で始まる行は、いまのレッスンのステップとして"), help);
        String solution = type(typed, "solution");
        assertTrue(solution.contains("レッスン 1 の解答 · ") && solution.contains("ステップ 1/"), solution);
        assertTrue(solution.contains("どのステップも作業ディレクトリから始まります。"), solution);
    }

    @Test
    void theEnglishShellSaysWhatItAlwaysSaid() {
        PacklabShell shell = shell("en");
        assertEquals("unknown command `frobnicate`. Type `help` for the verbs; lines starting with docker, pack, cd,"
                + " ls, cat, picture, " + String.join(", ", PacklabShell.FILE_WORDS) + " or edit run as steps, and `!`"
                + " runs any other command.", type(shell, "frobnicate").strip().replaceFirst("^error: ", ""));
        assertTrue(type(shell, "help").contains("Ctrl-C stops a running step; Ctrl-D or `quit` leaves."));
    }
}
