package io.packlab.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A cancel switch for a running step: Ctrl-C flips it, and whatever is running (a build stream, a
 * child process) has registered how to stop itself.
 */
public final class Cancellation {

    private final List<Runnable> onCancel = new ArrayList<>();
    private boolean cancelled;
    private long cancelledAt;

    public static Cancellation none() {
        return new Cancellation();
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** When {@link #cancel()} was called ({@link System#nanoTime()}), if it was. */
    public synchronized long cancelledAt() {
        return cancelledAt;
    }

    /** Registers an action that stops the running work; runs it at once if already cancelled. */
    public void onCancel(Runnable action) {
        boolean runNow;
        synchronized (this) {
            runNow = cancelled;
            if (!runNow) {
                onCancel.add(action);
            }
        }
        if (runNow) {
            action.run();
        }
    }

    /** Removes a registered action once its work has finished. */
    public synchronized void forget(Runnable action) {
        onCancel.remove(action);
    }

    public void cancel() {
        List<Runnable> actions;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            cancelledAt = System.nanoTime();
            actions = List.copyOf(onCancel);
            onCancel.clear();
        }
        actions.forEach(Runnable::run);
    }
}
