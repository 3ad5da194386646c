package io.packlab.lesson;

import io.packlab.error.SourceLocation;
import java.util.List;

/**
 * A runnable step: one {@code sh} block of a lesson, its command lines in order; a block marked
 * {@code sh registry} runs only when packlab was given a registry.
 */
public record Step(int number, SourceLocation location, List<StepLine> lines, boolean needsRegistry) {

    public Step {
        lines = List.copyOf(lines);
    }

    /** One command of a step (continuation lines joined), and where it was written. */
    public record StepLine(String command, SourceLocation location) {
    }
}
