package io.packlab.workshop;

import io.packlab.engine.Engine;
import io.packlab.engine.EngineUnavailableException;
import io.packlab.error.PacklabException;
import io.packlab.term.Console;
import java.util.function.Supplier;

/**
 * The workshop's engine, from first use to {@link #close()}: made when first asked for (so `cd` and
 * `ls` never wait for one), with the {@link Leftovers} of interrupted steps and the {@link Orphans} of
 * killed packlabs removed as it is reached.
 */
final class EngineKeeper implements AutoCloseable {

    private final Supplier<Engine> factory;
    private final Leftovers leftovers;
    private final Console console;
    private Engine engine;
    private boolean orphansSwept;

    EngineKeeper(Supplier<Engine> factory, Leftovers leftovers, Console console) {
        this.factory = factory;
        this.leftovers = leftovers;
        this.console = console;
    }

    /** The engine, made on first use: the leftovers noted before are removed, then the orphans of killed packlabs. */
    synchronized Engine engine() {
        if (engine == null) {
            engine = factory.get();
            leftovers.removeFrom(engine);
            removeOrphans();
        }
        return engine;
    }

    /** The engine as packlab finds it, with the orphans of killed packlabs still there (for doctor, which reports them). */
    synchronized Engine engineAsFound() {
        if (engine == null) {
            engine = factory.get();
            leftovers.removeFrom(engine);
        }
        return engine;
    }

    /** The containers and temporary folders that packlab processes killed on this machine left. */
    Orphans.Found orphans() {
        return Orphans.find(engineAsFound(), Orphans.systemTemp());
    }

    /**
     * Removes the orphans of killed packlabs once per process, when it first reaches the engine (one
     * label-filtered container listing), saying in one line what it removed; quietly leaves them if the
     * engine does not answer now (the command that needs it says so).
     */
    private void removeOrphans() {
        if (orphansSwept) {
            return;
        }
        orphansSwept = true;
        try {
            Orphans.Found removed = Orphans.remove(engine, Orphans.find(engine, Orphans.systemTemp()));
            if (!removed.isEmpty()) {
                console.note("removed what a packlab that was killed had left: " + removed.describe()
                        + " (no longer running)");
            }
        } catch (PacklabException e) {
            // the engine is away: the step that needs it says so
        }
    }

    /** After a signal stopped the command: removes what of this process is still in the engine or the temp folder. */
    synchronized Orphans.Found removeOwn() {
        return Orphans.removeOwn(engine, Orphans.systemTemp());
    }

    /** Runs an engine-using action; notes the containers it leaves when the engine stops answering in the middle. */
    void run(Runnable action) {
        synchronized (this) {
            if (engine != null) {
                leftovers.removeFrom(engine);
            }
        }
        try {
            action.run();
        } catch (EngineUnavailableException e) {
            leftovers.remember(e);
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
        }
    }
}
