package io.packlab.engine;

import io.packlab.error.PacklabException;

/** The engine answered, but refused or failed an operation; the message names the call. */
public final class EngineException extends PacklabException {

    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(FAILED, message);
    }

    public EngineException(String message, Throwable cause) {
        super(FAILED, message, cause);
    }
}
