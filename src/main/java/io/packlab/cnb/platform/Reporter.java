package io.packlab.cnb.platform;

/** Where the platform tells what it does: its own progress lines, and output of buildpacks. */
public interface Reporter {

    /** A line of the platform's own ("===> DETECTING", "Saving webapp..."). */
    void info(String line);

    /** A line printed by a buildpack or a container. */
    void output(String line);

    /** A reporter that says nothing. */
    static Reporter quiet() {
        return new Reporter() {
            @Override
            public void info(String line) {
            }

            @Override
            public void output(String line) {
            }
        };
    }

    /**
     * Something the platform created in the engine (an image with its tag, the build's cache volume),
     * for the caller to record as its own.
     */
    default void created(io.packlab.engine.Created resource) {
    }

    /** A warning (deprecated usage and the like). */
    default void warn(String line) {
        info("Warning: " + line);
    }
}
