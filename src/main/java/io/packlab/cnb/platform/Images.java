package io.packlab.cnb.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageDetails;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's look-ups of images, with its error paragraphs: an image the engine must have, a
 * JSON label, an integer env var; JSON text. Image configs themselves are {@link ImageConfig}s.
 */
final class Images {

    static final ObjectMapper JSON = new ObjectMapper();

    private Images() {
    }

    /** The image's details, or a one-paragraph error naming what it is for and how to make it. */
    static ImageDetails require(Engine engine, String reference, String what, String fix) {
        return engine.imageDetails(reference).orElseThrow(() -> new PlatformException("the " + what + " `" + reference
                + "` is not in the Docker engine. " + fix));
    }

    /** A JSON label parsed; a missing or malformed label is an error naming the image and label. */
    static JsonNode jsonLabel(ImageDetails image, String reference, String label) {
        String text = ImageConfig.of(image).labels().get(label);
        if (text == null) {
            throw new PlatformException("could not find label '" + label + "' on image " + reference + ".");
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PlatformException("the label " + label + " of image " + reference + " is not valid JSON ("
                    + e.getOriginalMessage() + "); the image was not made by pack or packlab, or was damaged.");
        }
    }

    static int intEnv(ImageDetails image, String reference, String name) {
        String value = ImageConfig.of(image).envValue(name).orElseThrow(() -> new PlatformException("image "
                + reference + " missing required env var " + name + "; a build image must set CNB_USER_ID and"
                + " CNB_GROUP_ID."));
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new PlatformException("env var " + name + " of image " + reference + " should be an integer, not `"
                    + value + "`.");
        }
    }

    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // Still used by AppBuilder, removed when the exporter moves: thin delegates to ImageConfig. The
    // set* ones change the given JSON in place by replacing its nodes (references into it go stale).

    /** Still used by AppBuilder, removed when the exporter moves: {@link ImageConfig#CREATED}. */
    static final String CREATED = ImageConfig.CREATED;

    /** Still used by AppBuilder, removed when the exporter moves: {@link ImageConfig#labels}. */
    static Map<String, String> labels(ImageDetails image) {
        return ImageConfig.of(image).labels();
    }

    /** Still used by AppBuilder, removed when the exporter moves: {@link ImageConfig#env}. */
    static List<String> env(ImageDetails image) {
        return ImageConfig.of(image).env();
    }

    /** Still used by AppBuilder, removed when the exporter moves: {@link ImageConfig#envValue}. */
    static Optional<String> envValue(ImageDetails image, String name) {
        return ImageConfig.of(image).envValue(name);
    }

    /** Still used by AppBuilder, removed when the exporter moves: {@link ImageConfig#diffIds}. */
    static List<String> diffIds(ImageDetails image) {
        return ImageConfig.of(image).diffIds();
    }

    /** Still used by AppBuilder, removed when the exporter moves: {@link ImageConfig#derive(ImageDetails, List, List)}. */
    static ObjectNode derive(ImageDetails base, List<String> diffIds, List<String> history) {
        return ImageConfig.derive(base, diffIds, history).json();
    }

    /** Still used by AppBuilder, removed when the exporter moves: {@link ImageConfig#withLabels}. */
    static void setLabels(ObjectNode config, Map<String, String> labels) {
        replace(config, ImageConfig.of(config).withLabels(labels));
    }

    /** Still used by AppBuilder, removed when the exporter moves: {@link ImageConfig#withEnv(List)}. */
    static void setEnv(ObjectNode config, List<String> env) {
        replace(config, ImageConfig.of(config).withEnv(env));
    }

    /** Still used by AppBuilder, removed when the exporter moves: {@code Entrypoint} or {@code Cmd} (null: JSON null). */
    static void setArray(ObjectNode config, String key, List<String> values) {
        ImageConfig c = ImageConfig.of(config);
        replace(config, switch (key) {
            case "Entrypoint" -> c.withEntrypoint(values);
            case "Cmd" -> c.withCmd(values);
            default -> throw new IllegalArgumentException("not an array of the image config: " + key);
        });
    }

    private static void replace(ObjectNode target, ImageConfig changed) {
        target.removeAll();
        target.setAll(changed.json());
    }
}
