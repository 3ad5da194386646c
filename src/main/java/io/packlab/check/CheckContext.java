package io.packlab.check;

import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import io.packlab.engine.ImageSnapshot;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What checks evaluate against: the engine (image inspections remembered for one run of a lesson's
 * checks, so ten checks on one image cost one call), the work folder for file checks, and the
 * snapshots that steps recorded.
 */
public final class CheckContext {

    private final Engine engine;
    private final Path workdir;
    private final Function<String, Optional<ImageSnapshot>> snapshots;
    private final Optional<String> registry;
    private final Map<String, Optional<ImageInfo>> images = new java.util.concurrent.ConcurrentHashMap<>();

    public CheckContext(Engine engine) {
        this(engine, Path.of("").toAbsolutePath(), name -> Optional.empty());
    }

    public CheckContext(Engine engine, Path workdir, Function<String, Optional<ImageSnapshot>> snapshots) {
        this(engine, workdir, snapshots, Optional.empty());
    }

    public CheckContext(Engine engine, Path workdir, Function<String, Optional<ImageSnapshot>> snapshots,
            Optional<String> registry) {
        this.engine = engine;
        this.workdir = workdir;
        this.snapshots = snapshots;
        this.registry = registry;
    }

    /** The registry given with --registry (HOST:PORT), if any. */
    public Optional<String> registry() {
        return registry;
    }

    public Engine engine() {
        return engine;
    }

    public Path workdir() {
        return workdir;
    }

    public Optional<ImageInfo> image(String reference) {
        return images.computeIfAbsent(reference, engine::inspectImage);
    }

    public Optional<ImageSnapshot> snapshot(String name) {
        return snapshots.apply(name);
    }

    /** The label every container a check starts carries (its value: "check"). */
    String label() {
        return Engine.LESSON_LABEL;
    }
}
