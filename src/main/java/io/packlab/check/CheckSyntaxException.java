package io.packlab.check;

import io.packlab.error.PacklabException;
import io.packlab.error.SourceLocation;

/** A check line that does not parse: names the file:line, what is wrong, and the accepted forms. */
public final class CheckSyntaxException extends PacklabException {

    private static final long serialVersionUID = 1L;

    public CheckSyntaxException(SourceLocation location, String problem) {
        super(USAGE, location + ": " + problem);
    }
}
