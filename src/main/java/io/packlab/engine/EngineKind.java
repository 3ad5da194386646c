package io.packlab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which product serves the Engine API: Docker, or Podman's Docker-compatible service. It decides
 * how packlab names the engine in its messages and which commands it gives for starting,
 * restarting and reading the log of it.
 */
public enum EngineKind {
    DOCKER("Docker"),
    PODMAN("Podman");

    private final String title;

    EngineKind(String title) {
        this.title = title;
    }

    /** "Docker" or "Podman", as the learner knows the product. */
    public String title() {
        return title;
    }

    /**
     * The kind of the engine that answered GET /version: Podman names itself in its components
     * ({@code "Podman Engine"}); Docker (and anything else speaking the Engine API) is DOCKER.
     */
    public static EngineKind fromVersion(JsonNode version) {
        for (JsonNode component : version.path("Components")) {
            if (component.path("Name").asText("").toLowerCase(Locale.ROOT).startsWith("podman")) {
                return PODMAN;
            }
        }
        return DOCKER;
    }

    /**
     * The kind an endpoint suggests before the engine has answered (a socket path with "podman" in it,
     * as Podman's own {@code /run/podman/podman.sock} and {@code $XDG_RUNTIME_DIR/podman/podman.sock}).
     */
    public static EngineKind guess(URI endpoint) {
        String path = endpoint.getPath();
        return "unix".equals(endpoint.getScheme()) && path != null
                && path.toLowerCase(Locale.ROOT).contains("podman") ? PODMAN : DOCKER;
    }

    /** How to start an engine of this kind, as a sentence fragment after "Start one (". */
    String startAdvice(String endpoint) {
        if (this == PODMAN && endpoint.startsWith("unix:///run/user/")) { // a rootless service, under $XDG_RUNTIME_DIR
            return "for a rootless Podman, its Docker-compatible API service, as the user who owns it (no sudo):"
                    + " `systemctl --user start podman.socket`, or `podman system service --time=0 " + endpoint + " &`";
        }
        return this == PODMAN
                ? "for Podman, its Docker-compatible API service: `sudo systemctl start podman.socket`, or `sudo"
                        + " podman system service --time=0 unix:///run/podman/podman.sock &`; install it with `sudo"
                        + " apt-get install podman` if it is missing"
                : "for example `sudo systemctl start docker`, or `sudo dockerd &` where there is no systemd; install"
                        + " it with `sudo apt-get install docker.io` if it is missing";
    }

    /** How to start this engine again after it stopped, as a fragment after "Start the engine again (". */
    String restartAdvice() {
        return this == PODMAN
                ? "for Podman, `sudo systemctl start podman.socket`, or `sudo podman system service --time=0"
                        + " unix:///run/podman/podman.sock &` again"
                : "for example `sudo systemctl start docker`, or `sudo dockerd &`";
    }

    /** Where its log is and how to restart it, as a fragment after "look at its log (". */
    String logAndRestart() {
        return this == PODMAN
                ? "`journalctl -u podman`, or the output of `podman system service`), restart it (`sudo systemctl"
                        + " restart podman.socket podman`, or stop and start `podman system service`)"
                : "`journalctl -u docker`, or dockerd's output), restart it (`sudo systemctl restart docker`)";
    }

    /**
     * A name Podman lists ({@code localhost/webapp:latest}, {@code docker.io/library/python:3},
     * {@code docker.io/packlab/lifecycle:x}) as Docker lists it ({@code webapp:latest}, {@code python:3},
     * {@code packlab/lifecycle:x}); other registries' names stay as they are.
     */
    static String dockerName(String name) {
        for (String prefix : List.of("localhost/", "docker.io/library/", "docker.io/")) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                return name.substring(prefix.length());
            }
        }
        return name;
    }

    /** The product's version line from GET /version: Podman's own and its runtime components. */
    static List<String> components(JsonNode version) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode component : version.path("Components")) {
            String name = component.path("Name").asText("");
            String v = component.path("Version").asText("").lines().findFirst().orElse("").strip();
            if (name.isEmpty() || name.toLowerCase(Locale.ROOT).startsWith("podman engine")
                    || name.equalsIgnoreCase("Engine")) {
                continue;
            }
            // "conmon version 2.1.6, commit: unknown" -> "2.1.6"; "runc version 1.1.5+ds1" -> "1.1.5+ds1"
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("version\\s+([^\\s,]+)").matcher(v);
            out.add(name + " " + (m.find() ? m.group(1) : v));
        }
        return out;
    }
}
