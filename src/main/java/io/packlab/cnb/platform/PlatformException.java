package io.packlab.cnb.platform;

import io.packlab.error.PacklabException;

/** A pack operation that cannot be done as asked: one paragraph with the reason and the fix. */
public final class PlatformException extends PacklabException {

    private static final long serialVersionUID = 1L;

    public PlatformException(String message) {
        super(FAILED, message);
    }

    private PlatformException(int exitCode, String message) {
        super(exitCode, message);
    }

    /** The operation was given something it cannot use (a file, a folder, an argument): exit code 2. */
    static PlatformException refused(String message) {
        return new PlatformException(USAGE, message);
    }
}
