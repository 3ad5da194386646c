package io.packlab.workshop;

import io.packlab.engine.Cancellation;
import io.packlab.term.Console;
import java.nio.file.Path;

/** What every command needs, whether run from the command line or typed in the shell. */
public interface Session {

    Workshop workshop();

    Console console();

    /** True when destructive verbs may proceed without asking. */
    boolean yes();

    /** The cancel switch of the command now running (Ctrl-C). */
    Cancellation cancellation();

    /**
     * Asks the learner to confirm a destructive action; true when --yes was given, when nobody can
     * be asked (not a terminal), or when the answer is yes.
     */
    default boolean confirm(String question) {
        return true;
    }

    /** A line the learner typed at the shell's prompt (recorded with --record: input, and its echo). */
    default void typed(String prompt, String line) {
    }

    /**
     * The folder the command was started in: {@code pack} and {@code docker build} given on the command
     * line resolve their paths and their default app folder here, as pack and docker do.
     */
    default Path workingFolder() {
        return Path.of("").toAbsolutePath();
    }

    /** True inside the interactive shell. */
    default boolean interactive() {
        return false;
    }
}
