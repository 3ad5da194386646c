package io.packlab.check;

import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What checks evaluate against: the engine, with image inspections remembered for one run of a
 * lesson's checks so that ten checks on one image cost one call.
 */
public final class CheckContext {

    private final Engine engine;
    private final Map<String, Optional<ImageInfo>> images = new HashMap<>();

    public CheckContext(Engine engine) {
        this.engine = engine;
    }

    public Engine engine() {
        return engine;
    }

    public Optional<ImageInfo> image(String reference) {
        return images.computeIfAbsent(reference, engine::inspectImage);
    }
}
