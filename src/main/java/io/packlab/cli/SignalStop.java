package io.packlab.cli;

import io.packlab.engine.Cancellation;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * SIGINT (Ctrl-C), SIGTERM and SIGHUP to a packlab command (not the shell, whose terminal handles
 * Ctrl-C): the signal flips the command's {@link Cancellation}, the same switch the shell's Ctrl-C
 * flips, so the running step stops the way it does in the shell and removes its containers and
 * temporary folders; the command then ends on the main thread as usual and packlab exits with
 * 128 + the signal's number (130, 143, 129), saying in one line what became of the step.
 *
 * <p>The signals are caught with {@code sun.misc.Signal} (through reflection, as JLine does): its
 * handler runs in a thread of its own while the main thread unwinds, and the exit stays where it
 * always is, in {@code Main}. A JVM shutdown hook alone would run only once the JVM has begun to
 * exit: it can still cancel and wait, but {@code System.exit} then blocks for ever, and the hook
 * cannot know which signal came. The hook is kept as the fallback for a JVM without
 * {@code sun.misc.Signal}. The wait is bounded ({@link #GRACE}); a second signal exits at once. What
 * a step could not remove in time carries its owner (see {@code io.packlab.engine.Owner}), so the
 * next packlab removes it.
 */
final class SignalStop {

    /** How long a stopped command may take to unwind (a build container's removal takes a second or two). */
    static final Duration GRACE = Duration.ofSeconds(15);

    /** A signal that stopped the command: its name for people and the exit code. */
    record Stop(String name, int code) {
    }

    private final Cancellation cancellation;
    private final String command;
    private final Consumer<String> say;
    private final IntConsumer exit;
    private final Supplier<String> lastLook;
    private final Duration grace;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Counted down when the cancel actions (run on the signal's thread) have returned. */
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile Stop stop;
    private Thread hook;

    /**
     * @param cancellation the command's cancel switch
     * @param command      what was run, for the message (`packlab run build`)
     * @param say          prints one line on standard error
     * @param exit         ends the process with a code ({@code System.exit}, which only Main may call)
     * @param lastLook     removes what of this process is still there; says what became of it
     *                     ("nothing was left behind ...")
     */
    SignalStop(Cancellation cancellation, String command, Consumer<String> say, IntConsumer exit,
            Supplier<String> lastLook) {
        this(cancellation, command, say, exit, lastLook, GRACE);
    }

    SignalStop(Cancellation cancellation, String command, Consumer<String> say, IntConsumer exit,
            Supplier<String> lastLook, Duration grace) {
        this.cancellation = cancellation;
        this.command = command;
        this.say = say;
        this.exit = exit;
        this.lastLook = lastLook;
        this.grace = grace;
    }

    /** Catches SIGINT, SIGTERM and SIGHUP (signals ignored at start, as under nohup, stay ignored). */
    SignalStop install() {
        handle("INT", 2, "SIGINT (Ctrl-C)");
        handle("TERM", 15, "SIGTERM");
        handle("HUP", 1, "SIGHUP");
        hook = new Thread(this::onShutdown, "packlab-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return this;
    }

    /** The signal that stopped the command, if one did. */
    Stop stopped() {
        return stop;
    }

    /** Called once by the main thread when the command has ended: no more waiting for it. */
    void finished() {
        finished.countDown();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook sees that the command has finished and returns
            }
        }
    }

    /**
     * For the main thread, once the command a signal stopped has unwound: waits (bounded) until the
     * cancel actions have returned too, so that the last look does not race a removal under way, takes
     * the last look, and says in one line what became of the command; returns the exit code.
     */
    int report(Stop s) {
        try {
            cancelled.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        say.accept("stopped by " + s.name() + ": `" + command + "` was cancelled; " + lastLook.get());
        return s.code();
    }

    void onSignal(String name, int number) {
        Stop first;
        synchronized (this) {
            first = stop;
            if (first == null) {
                stop = new Stop(name, 128 + number);
            }
        }
        if (first != null) {
            say.accept("stopped at once by a second " + name + " while `" + command + "` was unwinding; what it had"
                    + " not yet removed is removed by the next packlab that runs a step.");
            exit.accept(first.code());
            return;
        }
        cancel();
        if (!await()) {
            say.accept("stopped by " + name + ": `" + command + "` did not finish within " + grace.toSeconds()
                    + " s of the signal; " + lastLook.get());
            exit.accept(128 + number);
        }
    }

    /** Fallback when the signal could not be caught: the JVM is exiting; cancel and wait for the command. */
    private void onShutdown() {
        if (finished.getCount() == 0) {
            return;
        }
        synchronized (this) {
            if (stop == null) {
                stop = new Stop("a signal", 128);
            } else {
                return; // a caught signal: its handler waits, and the exit was chosen
            }
        }
        cancel();
        await();
    }

    /**
     * Flips the switch. Its actions run here, on the signal's thread, while the main thread unwinds
     * (a build container's removal, say); one that fails leaves its thing for {@link Main}'s last look.
     */
    private void cancel() {
        try {
            cancellation.cancel();
        } catch (RuntimeException e) {
            // what it did not remove is found and removed by the main thread's last look
        } finally {
            cancelled.countDown();
        }
    }

    private boolean await() {
        try {
            return finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Installs a handler for one signal ({@link Signals}); false when this JVM does not allow it. */
    private boolean handle(String signal, int number, String name) {
        return Signals.handle(signal, () -> onSignal(name, number)); // if false, the shutdown hook remains
    }
}
