package io.packlab.engine;

/** How a command run in a container ended. */
public record ExecResult(int exitCode) {

    public boolean ok() {
        return exitCode == 0;
    }
}
