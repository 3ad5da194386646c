package io.packlab.error;

import java.nio.file.Path;

/** A place in a file that a message can point at, printed as {@code file:line}. */
public record SourceLocation(Path file, int line) {

    public SourceLocation {
        if (line < 1) {
            throw new IllegalArgumentException("line numbers start at 1: " + line);
        }
    }

    /** The same file, another line. */
    public SourceLocation atLine(int otherLine) {
        return new SourceLocation(file, otherLine);
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
