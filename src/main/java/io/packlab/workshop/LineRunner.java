package io.packlab.workshop;

import io.packlab.engine.Cancellation;
import io.packlab.step.StepContext;
import io.packlab.step.StepRunner;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs single lines as steps of the current lesson (typed in the shell, or given on the command line)
 * and records what they made; keeps the shell's context, whose folder persists from line to line
 * within a lesson.
 */
final class LineRunner {

    private final Settings settings;
    private final ProgressBook book;
    private final EngineKeeper engines;
    private final StepRunner runner;
    private StepContext shellContext;

    LineRunner(Settings settings, ProgressBook book, EngineKeeper engines, StepRunner runner) {
        this.settings = settings;
        this.book = book;
        this.engines = engines;
        this.runner = runner;
    }

    /** The step runner the lines run with. */
    StepRunner runner() {
        return runner;
    }

    /** The shell's context: kept within a lesson; a new one in the work folder when the current lesson changes. */
    StepContext shellContext() {
        if (shellContext == null || !shellContext.lessonId().equals(book.current().id())) {
            shellContext = new StepContext(settings.workdir(), settings.workdir(), book.current().id(),
                    settings.stepEnv(), book.snapshots());
        }
        return shellContext;
    }

    /** Starts the shell's context again in the work folder. */
    StepContext restartShellContext() {
        shellContext = null;
        return shellContext();
    }

    /** Runs one typed line in the shell's context and records what it made. */
    void runLine(String line, Cancellation cancellation) {
        StepContext ctx = shellContext();
        int before = ctx.created().size();
        try {
            engines.run(() -> runner.run(line, ctx, cancellation));
        } finally {
            book.recordCreated(book.current(), ctx.created().subList(before, ctx.created().size()));
        }
    }

    /** Runs one line given on the command line, in {@code folder} (relative paths start there), and records what it made. */
    void runLine(String line, Path folder, Cancellation cancellation) {
        StepContext ctx = new StepContext(settings.workdir(), folder, book.current().id(), settings.stepEnv(),
                book.snapshots());
        try {
            engines.run(() -> runner.run(line, ctx, cancellation));
        } finally {
            book.recordCreated(book.current(), ctx.created());
        }
    }

    /** Runs a docker build given as CLI arguments, in {@code folder}, labelled for the current lesson. */
    void dockerBuild(List<String> args, Path folder, Cancellation cancellation) {
        StepContext ctx = new StepContext(settings.workdir(), folder, book.current().id(), settings.stepEnv());
        try {
            engines.run(() -> runner.dockerBuild(args, ctx, cancellation));
        } finally {
            book.recordCreated(book.current(), ctx.created());
        }
    }
}
