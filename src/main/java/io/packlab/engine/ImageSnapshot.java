package io.packlab.engine;

import java.util.List;
import java.util.Map;

/**
 * What an image was at one moment of a lesson (recorded by the {@code snapshot} step): its ID,
 * its layers, the run image top layer it recorded, and its labels and env (null in snapshots
 * recorded before packlab kept them), so a later check can compare.
 */
public record ImageSnapshot(String reference, String id, List<String> layers, String runTopLayer,
        Map<String, String> labels, List<String> env) {

    public ImageSnapshot {
        layers = List.copyOf(layers);
        labels = labels == null ? null : Map.copyOf(labels);
        env = env == null ? null : List.copyOf(env);
    }

    /**
     * A snapshot of an image as it is now; {@code runTopLayer} is the run image top layer its
     * metadata records (the caller reads it: the engine knows no CNB labels), or null.
     */
    public static ImageSnapshot of(String reference, ImageInfo image, String runTopLayer) {
        return new ImageSnapshot(reference, image.id(), image.layers(), runTopLayer, image.labels(), image.env());
    }

    /** The layers above the run image (all layers when the top layer is unknown). */
    public List<String> appLayers() {
        int cut = runTopLayer == null ? -1 : layers.indexOf(runTopLayer);
        return layers.subList(cut + 1, layers.size());
    }
}
