package io.packlab.engine;

import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An engine that cannot start any container because it asks the kernel for a resource limit above
 * what its own process may set: the OCI runtime's "error setting rlimit type N: operation not
 * permitted". Podman's built-in defaults ask for 1048576 open files; where the engine runs without
 * CAP_SYS_RESOURCE (in a container, a VM sandbox) and the hard limit is lower, every start fails.
 * Nothing the learner wrote causes it, so it is exit code 3, with the fix of the engine's
 * configuration.
 */
public final class RlimitFault {

    private static final Pattern RLIMIT = Pattern.compile("error setting rlimit type (\\d+)");

    /** Linux resource numbers (asm-generic/resource.h) as ulimit names them. */
    private static final String[] NAMES = {"cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile",
        "memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"};

    private RlimitFault() {
    }

    /** The resource named in an engine's refusal, when it is the rlimit failure ("nofile" for type 7). */
    public static Optional<String> resource(String engineMessage) {
        Matcher m = RLIMIT.matcher(String.valueOf(engineMessage));
        if (!m.find()) {
            return Optional.empty();
        }
        int type = Integer.parseInt(m.group(1));
        return Optional.of(type < NAMES.length ? NAMES[type] : "type " + type);
    }

    /**
     * The paragraph for the rlimit failure: what failed, why, and the fix for this kind of engine
     * ({@code local}: the engine's socket is on this machine, so this machine's limit is worth naming).
     */
    public static PacklabException of(EngineKind kind, String endpoint, String what, String resource, boolean local) {
        String limit = local && resource.equals("nofile") ? hardNofile().map(n -> " (here the hard limit for open"
                + " files is " + n + ", `ulimit -Hn`)").orElse("") : "";
        String fix = kind == EngineKind.PODMAN
                ? "Podman asks for the `default_ulimits` of its containers.conf, and where these do not name a"
                        + " limit, a rootful Podman asks for 1048576 (open files, processes). The fix: in"
                        + " /etc/containers/containers.conf (rootless Podman: ~/.config/containers/containers.conf),"
                        + " under the table `[containers]`, set `default_ulimits = []` (containers then keep the limits"
                        + " of the engine's own process), then restart Podman's API service (`sudo systemctl restart"
                        + " podman.socket podman`, or stop and start `podman system service`); a service started with"
                        + " CONTAINERS_CONF=FILE reads that file instead"
                : "Its configuration asks for more than that. The fix: remove the `" + resource + "` entry of"
                        + " `default-ulimits` from /etc/docker/daemon.json (or lower it to this machine's limit), then"
                        + " restart it (`sudo systemctl restart docker`)";
        return new PacklabException(PacklabException.NO_ENGINE, "The " + kind.title() + " engine at " + endpoint
                + " cannot start containers: when packlab tried to " + what + ", the container runtime was refused"
                + " the `" + resource + "` resource limit the engine asks for (\"error setting rlimit\"), because it"
                + " is above what the engine's process may set" + limit + ". " + fix + ". Nothing in your files causes"
                + " this; `./packlab doctor` checks it again.");
    }

    private static Optional<String> hardNofile() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f.length >= 2 ? Optional.of(f[1]) : Optional.empty();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the paragraph goes without the figure
        }
        return Optional.empty();
    }
}
