package io.packlab.lesson;

import io.packlab.error.PacklabException;
import io.packlab.error.SourceLocation;

/** A lesson file that cannot be used as written; the message starts with file:line. */
public final class LessonFormatException extends PacklabException {

    private static final long serialVersionUID = 1L;

    public LessonFormatException(SourceLocation location, String problem) {
        super(USAGE, location + ": " + problem);
    }
}
