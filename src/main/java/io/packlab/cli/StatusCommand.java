package io.packlab.cli;

import io.packlab.term.Console;
import io.packlab.term.Style;
import io.packlab.workshop.LessonStatus;
import io.packlab.workshop.Session;
import io.packlab.workshop.StatusReport;
import io.packlab.workshop.Workshop;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code status [--json]}: where the learner stands, from the progress file (no engine is asked).
 * The same class serves the command line and the shell, where it also shows the shell's folder.
 */
@Command(name = "status", description = "Where you stand: the current lesson, the ones done, the last failures.")
public final class StatusCommand implements Callable<Integer> {

    private final Session ctx;

    @Option(names = "--json", description = "Print a JSON document (format 1) for an instructor to collect.")
    boolean json;

    public StatusCommand(Session ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Workshop w = ctx.workshop();
        StatusReport report = StatusReport.of(w);
        Console c = ctx.console();
        if (json) {
            c.println(report.toJson());
            return 0;
        }
        StatusReport.Entry current = report.currentEntry();
        c.println("Lesson " + current.number() + " of " + report.lessons().size() + ": " + current.id() + " ("
                + current.title() + "); " + report.done() + " done."
                + (ctx.interactive() ? " Folder: " + w.shellContext().displayCwd() : ""));
        int idWidth = report.lessons().stream().mapToInt(e -> e.id().length()).max().orElse(5);
        for (StatusReport.Entry e : report.lessons()) {
            String mark = mark(c.style(), e.status());
            String failures = e.failures() == 0 ? "" : "  " + e.failures() + (e.failures() == 1 ? " failure" : " failures");
            c.println((String.format("%2d  %-" + idWidth + "s  %s", e.number(), e.id(), mark) + failures).stripTrailing());
            if (e.lastFailure() != null) {
                c.detail("last failure", e.lastFailure().replace("\n", " "));
            }
        }
        return 0;
    }

    /** A lesson's status as listings show it: its word, padded to one width, in its colour. */
    static String mark(Style style, LessonStatus status) {
        String word = String.format("%-7s", status.word());
        return switch (status) {
            case DONE -> style.green(word);
            case CURRENT -> style.yellow(word);
            case TODO -> style.dim(word);
        };
    }
}
