package io.packlab.cli;

/**
 * SIGINT, SIGTERM and SIGHUP for a command that runs until stopped ({@code classroom serve}): each
 * runs {@code stop}, so the command ends normally (exit 0) instead of the JVM exiting with 128 +
 * the signal. Caught with {@link Signals}, as {@link SignalStop} does; where
 * that is not allowed, a shutdown hook runs {@code stop} as the JVM exits.
 */
final class ServeSignals {

    private ServeSignals() {
    }

    static void onStop(Runnable stop) {
        boolean caught = Signals.handle("INT", stop) & Signals.handle("TERM", stop);
        Signals.handle("HUP", stop);
        if (!caught) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "packlab-serve-stop"));
        }
    }
}
