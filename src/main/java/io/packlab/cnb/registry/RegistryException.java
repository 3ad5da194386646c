package io.packlab.cnb.registry;

import io.packlab.error.PacklabException;

/** A registry operation that failed: one paragraph naming the registry, the image and what to do. */
public final class RegistryException extends PacklabException {

    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(FAILED, message);
    }
}
