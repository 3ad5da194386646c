package io.packlab.step;

import io.packlab.error.PacklabException;

/** The learner pressed Ctrl-C while a step ran; the step stopped and left nothing running. */
public final class StepCancelledException extends PacklabException {

    private static final long serialVersionUID = 1L;

    public StepCancelledException(String command) {
        super(FAILED, "stopped `" + command + "` (Ctrl-C). Nothing of it is left running; run it again when ready.");
    }
}
