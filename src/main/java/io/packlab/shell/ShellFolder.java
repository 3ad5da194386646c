package io.packlab.shell;

import io.packlab.step.StepContext;
import io.packlab.term.Console;
import io.packlab.term.Wording;
import io.packlab.workshop.Workshop;
import java.nio.file.Files;

/**
 * The shell's folder around one typed line: a line that moves to another lesson ({@code next},
 * {@code prev}, {@code run} of another lesson) starts that lesson in the work folder, as its steps
 * are written, and a folder that the line removed ({@code reset}) is left for the work folder; either
 * is said in one line when the folder changes.
 */
final class ShellFolder {

    private final StepContext before;

    private ShellFolder(StepContext before) {
        this.before = before;
    }

    /** Notes the shell's folder before a line runs. */
    static ShellFolder before(Workshop workshop) {
        return new ShellFolder(workshop.shellContext());
    }

    private static Wording words(Workshop workshop) {
        return Wording.of(workshop.settings().lang());
    }

    /** After the line: back in the work folder when the lesson changed or the folder is gone, said in one line. */
    void after(Workshop workshop, Console console) {
        StepContext now = workshop.shellContext();
        if (now != before) {
            if (!before.cwd().equals(now.cwd())) {
                console.println(words(workshop).text("shell.folder.back", before.displayCwd()));
            }
        } else if (!Files.isDirectory(now.cwd())) {
            String gone = now.displayCwd();
            workshop.restartShellContext();
            console.println(words(workshop).text("shell.folder.gone", gone));
        }
    }
}
