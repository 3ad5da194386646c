package io.packlab.cnb.descriptor;

import io.packlab.error.PacklabException;
import java.nio.file.Path;

/** A CNB descriptor that cannot be used as written; the message starts with {@code file:line:column: }. */
public final class DescriptorException extends PacklabException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final int column;

    public DescriptorException(Path file, int line, int column, String problem) {
        super(USAGE, file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
