package io.packlab.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Finds an exec'd process's PID inside its container from the host PID the daemon reports, through
 * {@code /proc/<pid>/status} (its {@code NSpid} line lists the PID in each nested namespace, and is
 * readable by every user). Only meaningful when this program sees the daemon's PID namespace.
 */
final class ExecProcesses {

    private ExecProcesses() {
    }

    /** The PID in the innermost namespace, when the process lives in a namespace nested below ours. */
    static OptionalLong innerPid(long hostPid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(hostPid), "status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] pids = line.substring("NSpid:".length()).strip().split("\\s+");
                    return pids.length < 2 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(pids[pids.length - 1]));
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Whether our {@code /proc} shows the daemon's processes: the container's init (host PID from
     * inspect) must be PID 1 of a namespace nested below ours.
     */
    static boolean sameViewAsDaemon(long containerInitHostPid) {
        OptionalLong inner = innerPid(containerInitHostPid);
        return inner.isPresent() && inner.getAsLong() == 1;
    }
}
