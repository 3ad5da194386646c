package io.packlab.cli;

import io.packlab.error.PacklabException;
import io.packlab.lesson.Lesson;
import io.packlab.workshop.Demo;
import io.packlab.workshop.Session;
import io.packlab.workshop.Workshop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code demo}: the instructor demo of a lesson or of all lessons (see {@link Demo}). */
@Command(name = "demo", description = "Instructor demo: type each step's commands at a readable pace, run them,"
        + " show the checks; wait for Enter between steps.")
final class DemoCommand implements Callable<Integer> {

    private final Session ctx;

    @Parameters(arity = "0..1", paramLabel = "LESSON", description = "Lesson id or number (default: the current one).")
    String lesson;

    @Option(names = "--all", description = "Demonstrate every lesson in order.")
    boolean all;

    @Option(names = "--no-wait", description = "Do not wait for a key between steps (recorded demos; also when"
            + " input is not a terminal).")
    boolean noWait;

    @Option(names = "--pace", paramLabel = "MS", defaultValue = "" + Demo.DEFAULT_PACE_MILLIS,
            description = "Milliseconds per typed character (default: ${DEFAULT-VALUE}; 0 types at once).")
    long pace;

    DemoCommand(Session ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (all && lesson != null) {
            throw PacklabException.usage("give a lesson or --all, not both.");
        }
        if (pace < 0 || pace > 10_000) {
            throw PacklabException.usage("--pace takes milliseconds per character from 0 to 10000, not " + pace + ".");
        }
        Workshop w = ctx.workshop();
        List<Lesson> lessons = all ? w.lessons().lessons()
                : List.of(lesson == null ? w.current() : w.lessons().get(lesson));
        // wait for keys only when someone can press them: never in CI or with input redirected
        boolean wait = !noWait && !ctx.interactive() && System.console() != null;
        Optional<BufferedReader> keys = wait
                ? Optional.of(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
                : Optional.empty();
        return new Demo(w, ctx.console(), pace, keys).run(lessons, ctx.cancellation()) ? 0 : 1;
    }
}
