package io.packlab.lesson;

import io.packlab.error.SourceLocation;

/** A {@code hint} block, shown only when the learner asks or a check fails. */
public record Hint(String text, SourceLocation location) {
}
