package io.packlab.cli;

import io.packlab.check.CheckLanguage;
import io.packlab.error.PacklabException;
import io.packlab.term.Console;
import io.packlab.authoring.LessonLinter;
import io.packlab.workshop.Session;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code lint DIR}: validates a lesson folder without running anything; every problem as
 * {@code file:line: message}, then a summary. Exit 0 when clean, 2 when there are problems.
 */
@Command(name = "lint", description = "Validate a lesson folder (syntax, ids, titles, checks, files its steps name) without running it.")
public final class LintCommand implements Callable<Integer> {

    private final Session ctx;

    @Parameters(index = "0", paramLabel = "DIR", description = "The lesson folder (its *.md files).")
    Path folder;

    public LintCommand(Session ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        return report(LessonLinter.lint(folder, workdir(), CheckLanguage.standard()));
    }

    /**
     * The work folder steps run in. The workshop prepares it (a separate --workdir receives the
     * tutorial material); when the workshop cannot start (say --lessons names this broken folder),
     * the folder from the command line.
     */
    private Path workdir() {
        try {
            return ctx.workshop().settings().workdir();
        } catch (PacklabException e) {
            if (ctx instanceof PacklabCommand root) {
                return root.workdir != null ? root.workdir : root.environment().home();
            }
            throw e;
        }
    }

    private int report(LessonLinter.Result result) {
        Console c = ctx.console();
        result.problems().forEach(p -> c.println(p.toString()));
        String lessons = result.lessons() + " lesson" + (result.lessons() == 1 ? "" : "s");
        if (result.clean()) {
            c.pass(folder + ": " + lessons + ", no problems.");
            return 0;
        }
        int n = result.problems().size();
        long files = result.problems().stream().map(LessonLinter.Problem::file).distinct().count();
        c.fail(folder + ": " + n + " problem" + (n == 1 ? "" : "s") + " in " + files + " file" + (files == 1 ? "" : "s")
                + " (" + result.files() + " read, " + lessons + " parsed).");
        return PacklabException.USAGE;
    }
}
