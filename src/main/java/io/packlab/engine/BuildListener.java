package io.packlab.engine;

/** Receives the output of a running build as the daemon streams it. */
public interface BuildListener {

    /** One line of build output ("Step 1/5 : FROM ...", the output of RUN instructions). */
    void onOutput(String line);

    static BuildListener silent() {
        return line -> { };
    }
}
