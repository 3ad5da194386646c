package io.packlab.cnb.platform;

/**
 * Where the platform tells what it does: its progress as typed {@link PlatformEvent}s (printed, by default, as the
 * lines pack prints), other lines of its own, and output of buildpacks.
 */
public interface Reporter {

    /**
     * A step of the platform's progress. By default its lines go to {@link #info} and a created resource to
     * {@link #created}; a caller that follows progress overrides this and still calls the default.
     */
    default void event(PlatformEvent event) {
        if (event instanceof PlatformEvent.ResourceCreated c) {
            created(c.resource());
        }
        event.lines().forEach(this::info);
    }

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
