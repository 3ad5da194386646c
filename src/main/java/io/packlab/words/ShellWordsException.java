package io.packlab.words;

import io.packlab.error.PacklabException;

/** A line whose words cannot be told: what is wrong and at which column of the line, exit code 2. */
public final class ShellWordsException extends PacklabException {

    private static final long serialVersionUID = 1L;

    private final String problem;
    private final int column;

    ShellWordsException(String problem, int column) {
        super(USAGE, problem + ".");
        this.problem = problem;
        this.column = column;
    }

    /** The problem as one sentence without its full stop, for a caller that puts a file:line before it. */
    public String problem() {
        return problem;
    }

    /** The column (1 for the line's first character after leading blanks) where the problem starts. */
    public int column() {
        return column;
    }
}
