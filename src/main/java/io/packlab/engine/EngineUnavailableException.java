package io.packlab.engine;

import io.packlab.error.PacklabException;

/** No Docker engine answers at the configured endpoint: exit code 3, with how to start one. */
public final class EngineUnavailableException extends PacklabException {

    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String endpoint, String reason) {
        super(NO_ENGINE, "packlab cannot reach a Docker engine at " + endpoint + " (" + reason + "). "
                + "Start one (for example `sudo systemctl start docker`, or `sudo dockerd &` where there is "
                + "no systemd; install it with `sudo apt-get install docker.io` if it is missing), or point "
                + "DOCKER_HOST at a running engine, then try again; `./packlab doctor` checks the whole set-up.");
    }
}
