package io.packlab.check;

import io.packlab.error.SourceLocation;
import java.util.Optional;

/** The part every check shares: where it was written, its text and its own hint. */
abstract class LineCheck implements Check {

    private final SourceLocation location;
    private final String source;
    private final String hint;

    LineCheck(Tokens tokens) {
        this.location = tokens.location();
        this.source = tokens.source();
        this.hint = tokens.hint();
    }

    @Override
    public SourceLocation location() {
        return location;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }

    @Override
    public String toString() {
        return source;
    }
}
