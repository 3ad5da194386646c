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

    /** A snapshot of an image as it is now; the run top layer from its lifecycle metadata, if any. */
    public static ImageSnapshot of(String reference, ImageInfo image) {
        return new ImageSnapshot(reference, image.id(), image.layers(), runTopLayer(image), image.labels(),
                image.env());
    }

    /** The run image top layer that an app image's {@code io.buildpacks.lifecycle.metadata} records, or null. */
    public static String runTopLayer(ImageInfo app) {
        String meta = app.labels().get("io.buildpacks.lifecycle.metadata");
        if (meta == null) {
            return null;
        }
        try {
            String top = new com.fasterxml.jackson.databind.ObjectMapper().readTree(meta).path("runImage")
                    .path("topLayer").asText("");
            return top.isEmpty() ? null : top;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /** The layers above the run image (all layers when the top layer is unknown). */
    public List<String> appLayers() {
        int cut = runTopLayer == null ? -1 : layers.indexOf(runTopLayer);
        return layers.subList(cut + 1, layers.size());
    }
}
