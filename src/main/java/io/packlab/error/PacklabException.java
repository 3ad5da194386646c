package io.packlab.error;

/**
 * An error that packlab explains to the learner in one paragraph, with the exit code of the
 * command-line contract (1 failed, 2 usage or bad input, 3 no engine).
 */
public class PacklabException extends RuntimeException {

    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NO_ENGINE = 3;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** The message is {@link Texts#shorten shortened}: what the learner gave may be 100 kB long. */
    public PacklabException(int exitCode, String message) {
        super(Texts.shorten(message));
        this.exitCode = exitCode;
    }

    public PacklabException(int exitCode, String message, Throwable cause) {
        super(Texts.shorten(message), cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Bad input from the learner or a lesson author: exit code 2. */
    public static PacklabException usage(String message) {
        return new PacklabException(USAGE, message);
    }

    /** A step or check failed: exit code 1. */
    public static PacklabException failed(String message) {
        return new PacklabException(FAILED, message);
    }
}
