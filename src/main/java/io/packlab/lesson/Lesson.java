package io.packlab.lesson;

import io.packlab.check.Check;
import java.nio.file.Path;
import java.util.List;

/**
 * One lesson: its id and title, the Markdown it was read from (for rendering), its steps, checks
 * (and those of {@code check registry} blocks, evaluated only with a registry), hints, and the ids
 * of the lessons whose results it builds on.
 */
public record Lesson(String id, String title, Path file, String markdown, List<Step> steps, List<Check> checks,
        List<Check> registryChecks, List<Hint> hints, List<String> requires) {

    public Lesson {
        steps = List.copyOf(steps);
        checks = List.copyOf(checks);
        registryChecks = List.copyOf(registryChecks);
        hints = List.copyOf(hints);
        requires = List.copyOf(requires);
    }
}
