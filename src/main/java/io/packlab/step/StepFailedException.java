package io.packlab.step;

import io.packlab.error.PacklabException;

/** A command of a step failed; exit code 1. */
public final class StepFailedException extends PacklabException {

    private static final long serialVersionUID = 1L;

    public StepFailedException(String message) {
        super(FAILED, message);
    }
}
