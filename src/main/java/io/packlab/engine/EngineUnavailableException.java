package io.packlab.engine;

import io.packlab.error.PacklabException;
import java.util.List;

/**
 * No Docker engine answers at the configured endpoint, or the engine stopped answering in the middle
 * of an operation: exit code 3, with how to start one. When it stopped mid-operation, the exception
 * names the containers packlab (or the engine's builder for packlab) had made and could not remove,
 * so that they can be removed once the engine is back.
 */
public final class EngineUnavailableException extends PacklabException {

    private static final long serialVersionUID = 1L;

    private static final String START = "Start one (for example `sudo systemctl start docker`, or `sudo dockerd &`"
            + " where there is no systemd; install it with `sudo apt-get install docker.io` if it is missing), or"
            + " point DOCKER_HOST at a running engine, then try again; `./packlab doctor` checks the whole set-up.";

    private final transient List<String> leftovers;

    public EngineUnavailableException(String endpoint, String reason) {
        super(NO_ENGINE, "packlab cannot reach a Docker engine at " + endpoint + " (" + reason + "). " + START);
        this.leftovers = List.of();
    }

    /** No engine answers at {@code endpoint}, whose name suggests {@code kind} (a Podman socket). */
    static EngineUnavailableException unreachable(EngineKind kind, String endpoint, String reason) {
        if (kind == EngineKind.DOCKER) {
            return new EngineUnavailableException(endpoint, reason);
        }
        return new EngineUnavailableException("packlab cannot reach a " + kind.title() + " engine at " + endpoint
                + " (" + reason + "). Start one (" + kind.startAdvice(endpoint) + "), or point DOCKER_HOST at a running"
                + " engine, then try again; `./packlab doctor` checks the whole set-up.", List.of());
    }

    private EngineUnavailableException(String message, List<String> leftovers) {
        super(NO_ENGINE, message);
        this.leftovers = List.copyOf(leftovers);
    }

    /** The engine answered earlier in this process and stopped answering while packlab was to {@code what}. */
    public static EngineUnavailableException stopped(String endpoint, String what, String reason,
            List<String> leftovers) {
        return stopped(EngineKind.DOCKER, endpoint, what, reason, leftovers);
    }

    static EngineUnavailableException stopped(EngineKind kind, String endpoint, String what, String reason,
            List<String> leftovers) {
        String left = leftovers.isEmpty() ? ""
                : " packlab removes the " + (leftovers.size() == 1 ? "container" : leftovers.size() + " containers")
                        + " it left there the next time it reaches the engine.";
        return new EngineUnavailableException("The " + kind.title() + " engine at " + endpoint + " stopped answering"
                + " while packlab was trying to " + what + " (" + reason + "), so the step did not finish." + left
                + " Start the engine again (" + kind.restartAdvice() + "), then run the step again; `./packlab"
                + " doctor` checks the whole set-up.", leftovers);
    }

    /**
     * The engine took the connection but sent nothing back ({@code reason}: for how long) before it
     * had answered anything in this process.
     */
    public static EngineUnavailableException silent(String endpoint, String what, String reason) {
        return silent(EngineKind.DOCKER, endpoint, what, reason);
    }

    static EngineUnavailableException silent(EngineKind kind, String endpoint, String what, String reason) {
        return new EngineUnavailableException("The " + kind.title() + " engine at " + endpoint + " does not answer: it"
                + " took the connection, but " + reason + " when packlab tried to " + what + ". It may be hung or"
                + " overloaded: look at its log (" + kind.logAndRestart() + " or point DOCKER_HOST at another engine,"
                + " then try again; `./packlab doctor` checks the whole set-up.", List.of());
    }

    /**
     * A stream of the engine (a build, a buildpack's output) sent nothing for {@code waited}, the
     * longest packlab waits, though the engine itself still answered pings.
     */
    public static EngineUnavailableException quiet(String endpoint, String what, String waited) {
        return quiet(EngineKind.DOCKER, endpoint, what, waited);
    }

    static EngineUnavailableException quiet(EngineKind kind, String endpoint, String what, String waited) {
        return new EngineUnavailableException("The " + kind.title() + " engine at " + endpoint + " sent nothing for " + waited
                + " while packlab was trying to " + what + ", though it still answers pings, so packlab gave up:"
                + " that is the longest it waits for a step that prints nothing. If the step is meant to be quiet"
                + " for that long, set PACKLAB_ENGINE_TIMEOUTS=stream=SECONDS (for example stream=7200) and run it"
                + " again; if not, look at what it runs.", List.of());
    }

    /** Containers made for the interrupted operation that could not be removed: remove them when the engine is back. */
    public List<String> leftovers() {
        return leftovers == null ? List.of() : leftovers;
    }
}
