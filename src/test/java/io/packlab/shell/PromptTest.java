package io.packlab.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.term.DisplayWidth;
import io.packlab.term.Style;
import org.junit.jupiter.api.Test;

/** The shell's prompt: the lesson, the folder relative to the work folder, short at 60 columns. */
class PromptTest {

    private static final Style PLAIN = new Style(false);

    @Test
    void atTheWorkFolderTheLessonAlone() {
        assertEquals("packlab [2/7 buildpack]> ", Prompt.of(PLAIN, 2, 7, "buildpack", ".", 80));
        assertEquals("packlab [6/7 add-buildpack]> ", Prompt.of(PLAIN, 6, 7, "add-buildpack", ".", 60));
    }

    @Test
    void inAFolderTheFolderRelativeToTheWorkFolder() {
        assertEquals("packlab [1/7 stack] stacks/distroless-python> ",
                Prompt.of(PLAIN, 1, 7, "stack", "stacks/distroless-python", 80));
        assertEquals("packlab [5/7 build] sample-app> ", Prompt.of(PLAIN, 5, 7, "build", "sample-app", 60));
    }

    @Test
    void at60ColumnsTheLessonIdGivesWayToTheFolder() {
        String p = Prompt.of(PLAIN, 2, 7, "buildpack", "stacks/distroless-python", 60);
        assertEquals("packlab [2/7] stacks/distroless-python> ", p);
        assertTrue(DisplayWidth.of(p) <= 40, "two thirds of 60 columns at most: " + p);
    }

    @Test
    void narrowerStillTheFolderKeepsItsLastParts() {
        assertEquals("packlab [7/7] …/distroless-python/run> ",
                Prompt.of(PLAIN, 7, 7, "rebase", "stacks/distroless-python/run", 60));
        assertEquals("packlab [7/7] …/run> ", Prompt.of(PLAIN, 7, 7, "rebase", "stacks/distroless-python/run", 36));
        String tiny = Prompt.of(PLAIN, 7, 7, "rebase", "a-folder-with-a-very-long-name-indeed", 20);
        assertTrue(tiny.startsWith("packlab [7/7] …") && tiny.endsWith("indeed> ")
                && DisplayWidth.of(tiny) <= Prompt.MIN_BUDGET, tiny);
        assertEquals("packlab [6/7]> ", Prompt.of(PLAIN, 6, 7, "add-buildpack", ".", 30),
                "at the root on a very narrow terminal, the number alone");
    }

    @Test
    void outsideTheWorkFolderTheAbsolutePathShortened() {
        assertEquals("packlab [1/7 stack] /tmp> ", Prompt.of(PLAIN, 1, 7, "stack", "/tmp", 60));
        assertEquals("packlab [1/7] …/a/b/c/d> ",
                Prompt.of(PLAIN, 1, 7, "stack", "/home/learner/some/deep/folder/a/b/c/d", 40));
    }

    @Test
    void colourOnlyOnTheLessonPart() {
        assertEquals("\u001b[36mpacklab [1/7 stack]\u001b[0m sample-app> ",
                Prompt.of(new Style(true), 1, 7, "stack", "sample-app", 80));
    }
}
