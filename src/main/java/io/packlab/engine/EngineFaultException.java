package io.packlab.engine;

import io.packlab.error.PacklabException;

/**
 * The engine answered, but with a fault of its own (HTTP 5xx) or with something that is not the
 * Engine API's answer (not JSON, or JSON without what every engine sends): exit code 3, like an
 * engine that does not answer, since nothing the learner changes fixes it.
 */
public final class EngineFaultException extends PacklabException {

    private static final long serialVersionUID = 1L;

    EngineFaultException(String endpoint, String what, String answer) {
        this(EngineKind.DOCKER, endpoint, what, answer);
    }

    EngineFaultException(EngineKind kind, String endpoint, String what, String answer) {
        super(NO_ENGINE, "The " + kind.title() + " engine at " + endpoint + " failed when packlab tried to " + what
                + ": " + answer + ". The fault is the engine's, not your files': look at its log ("
                + kind.logAndRestart() + " or point DOCKER_HOST at another engine, then try again; `./packlab"
                + " doctor` checks the whole set-up.");
    }

    /** What came back, shortened to one line of at most 200 characters, control characters shown as `?`. */
    static String shortened(String text) {
        String t = text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ").replaceAll("\\p{Cntrl}", "?");
        if (t.isEmpty()) {
            return "an empty body";
        }
        return "`" + (t.length() <= 200 ? t : t.substring(0, 197) + "...") + "`";
    }
}
