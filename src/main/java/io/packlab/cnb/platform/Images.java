package io.packlab.cnb.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageDetails;

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
}
