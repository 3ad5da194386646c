package io.packlab.workshop;

import io.packlab.check.Check;
import io.packlab.check.CheckContext;
import io.packlab.check.CheckResult;
import io.packlab.error.SourceLocation;
import io.packlab.lesson.Hint;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.Step;
import io.packlab.step.StepRunner;
import io.packlab.term.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Small pieces for the unit tests of the workshop's parts: settings, a console to read, lessons and checks made in code. */
final class WorkshopParts {

    private WorkshopParts() {
    }

    static Settings settings(Path home, Path work) {
        return settings(home, work, Optional.empty());
    }

    static Settings settings(Path home, Path work, Optional<String> registry) {
        return new Settings(home, work, Path.of("src/test/resources/lessons/two"), "en", StepRunner.PackEngine.BUILTIN,
                Map.of(), "test", registry);
    }

    /** A console without colour, 80 columns, whose output is {@code out}. */
    static Console console(StringWriter out) {
        return new Console(new PrintWriter(out, true), new PrintWriter(out, true), false, 80);
    }

    /** A check written at {@code file:line}, whose result {@code result} gives. */
    static Check check(String source, Path file, int line, Optional<String> hint,
            Function<Check, CheckResult> result) {
        return new Check() {
            @Override
            public SourceLocation location() {
                return new SourceLocation(file, line);
            }

            @Override
            public String source() {
                return source;
            }

            @Override
            public Optional<String> hint() {
                return hint;
            }

            @Override
            public CheckResult evaluate(CheckContext context) {
                return result.apply(this);
            }
        };
    }

    static Check passing(String source) {
        return check(source, Path.of("lesson.md"), 1, Optional.empty(), c -> CheckResult.pass(c, "ok"));
    }

    static Check failing(String source) {
        return check(source, Path.of("lesson.md"), 1, Optional.empty(), c -> CheckResult.fail(c, "it", "nothing"));
    }

    static Lesson lesson(String id, List<Step> steps, List<Check> checks, List<Check> registryChecks, List<Hint> hints,
            List<String> requires) {
        return new Lesson(id, "Lesson " + id, Path.of(id + ".md"), "# " + id, steps, checks, registryChecks, hints,
                requires);
    }

    static Lesson lesson(String id, List<Check> checks) {
        return lesson(id, List.of(), checks, List.of(), List.of(), List.of());
    }
}
