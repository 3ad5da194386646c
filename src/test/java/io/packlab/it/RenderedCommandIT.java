package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.CheckSentences;
import io.packlab.term.MarkdownRenderer;
import io.packlab.term.Style;
import io.packlab.term.Wording;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `show` draws is what a learner copies: the rows of a step box (lesson rebase's patch line) at 60 columns,
 * pasted into the shell in a real pseudo-terminal (tmux, bracketed paste), run as the one command
 * of the lesson; and the shell greets in the lesson's language, wrapped by words.
 */
class RenderedCommandIT {

    @TempDir
    Path work;

    @TempDir
    Path home;

    private Tmux tmux;

    @AfterEach
    void stop() throws Exception {
        if (tmux != null) {
            tmux.close();
        }
    }

    @Test
    void aWrappedStepPastedFromShowRunsAsTheLessonsCommand() throws Exception {
        DockerSupport.requireDocker();
        DockerSupport.requireProgram("tmux");
        // lesson rebase's patch step as written today (the test does not follow later edits of the lesson)
        String lesson = "# Patch\n\n```sh\nprintf 'packlab tutorial: a patch of the run image\\n' >"
                + " stacks/distroless-python/run/patch.txt\ntail -n 3 stacks/distroless-python/run/Dockerfile\n```\n";
        List<String> box = stepRows(lesson, "patch.txt", 60);
        assertEquals(List.of("printf 'packlab tutorial: a patch of the run image\\n' > \\",
                "    stacks/distroless-python/run/patch.txt"), box, "the rows as `show` draws them at 60 columns");
        start("en");
        tmux.await("the prompt", s -> s.contains("packlab [1/7 stack]>"), Duration.ofSeconds(60));
        Path paste = work.resolve("paste.txt");
        // `!` runs a line that is not a step word; the rows are pasted as they were copied from the box
        Files.writeString(paste, "!" + String.join("\n", box));
        tmux.paste(paste);
        tmux.keys("Enter");
        Path patch = work.resolve("stacks/distroless-python/run/patch.txt");
        tmux.await("the command ran", s -> Files.exists(patch) && s.strip().endsWith("packlab [1/7 stack]>"), Duration.ofSeconds(30));
        assertEquals("packlab tutorial: a patch of the run image\n", Files.readString(patch));
        assertTrue(!tmux.screen().contains("error:"), tmux.screen());
    }

    @Test
    void theWelcomeIsInTheLessonsLanguageAndWrappedByWords() throws Exception {
        DockerSupport.requireDocker();
        DockerSupport.requireProgram("tmux");
        start("ja");
        tmux.await("the prompt", s -> s.contains("packlab [1/7 stack]>"), Duration.ofSeconds(60));
        String screen = tmux.pane();
        assertTrue(screen.startsWith("packlab · Cloud Native Buildpacks を一歩ずつ\nレッスン 1/7「"), screen);
        for (String line : screen.lines().toList()) {
            assertTrue(io.packlab.term.DisplayWidth.of(line) <= 60, line);
        }
        tmux.keys("quit", "Enter");
        tmux.await("goodbye in Japanese", s -> s.contains("終了します。進み具合は"), Duration.ofSeconds(20));
    }

    /** The rows of the first command in the step box that holds {@code marker}, frame stripped. */
    private static List<String> stepRows(String markdown, String marker, int width) {
        List<String> lines = new MarkdownRenderer(new Style(false), width, Wording.of("en"),
                CheckSentences.of("en")::sentence).render(markdown);
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("│ ") && lines.get(i).contains(marker)) {
                at = i;
                break;
            }
        }
        assertTrue(at >= 0, "no row with " + marker + " in " + lines);
        while (lines.get(at - 1).startsWith("│ ") && lines.get(at - 1).endsWith(" \\")) {
            at--;
        }
        List<String> rows = new ArrayList<>();
        for (int i = at; lines.get(i).startsWith("│ "); i++) {
            rows.add(lines.get(i).substring(2));
            if (!lines.get(i).endsWith(" \\")) {
                break;
            }
        }
        return rows;
    }

    private void start(String lang) throws Exception {
        String command = "cd " + Launcher.HOME + " && HOME=" + home + " NO_COLOR=1 ./packlab --lang " + lang + " --workdir "
                + work + "; echo \"[packlab exited with $?]\"; sleep 600";
        tmux = Tmux.start("packlab-render-it", 60, 50, command);
    }
}
