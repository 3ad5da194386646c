package io.packlab.cnb.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageDetails;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading and changing image configs as the platform needs: labels, env, layers; JSON labels. */
final class Images {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CREATED = "1980-01-01T00:00:01Z";

    private Images() {
    }

    /** The image's details, or a one-paragraph error naming what it is for and how to make it. */
    static ImageDetails require(Engine engine, String reference, String what, String fix) {
        return engine.imageDetails(reference).orElseThrow(() -> new PlatformException("the " + what + " `" + reference
                + "` is not in the Docker engine. " + fix));
    }

    static ObjectNode config(ImageDetails image) {
        JsonNode c = image.config().get("config");
        return c instanceof ObjectNode o ? o : image.config().putObject("config");
    }

    static Map<String, String> labels(ImageDetails image) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode labels = config(image).get("Labels");
        if (labels != null && labels.isObject()) {
            labels.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    static List<String> env(ImageDetails image) {
        List<String> out = new ArrayList<>();
        JsonNode env = config(image).get("Env");
        if (env != null && env.isArray()) {
            env.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    static Optional<String> envValue(ImageDetails image, String name) {
        return env(image).stream().filter(e -> e.startsWith(name + "=")).map(e -> e.substring(name.length() + 1))
                .findFirst();
    }

    static List<String> diffIds(ImageDetails image) {
        List<String> out = new ArrayList<>();
        image.config().path("rootfs").path("diff_ids").forEach(d -> out.add(d.asText()));
        return out;
    }

    /** A JSON label parsed; a missing or malformed label is an error naming the image and label. */
    static JsonNode jsonLabel(ImageDetails image, String reference, String label) {
        String text = labels(image).get(label);
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
        String value = envValue(image, name).orElseThrow(() -> new PlatformException("image " + reference
                + " missing required env var " + name + "; a build image must set CNB_USER_ID and CNB_GROUP_ID."));
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new PlatformException("env var " + name + " of image " + reference + " should be an integer, not `"
                    + value + "`.");
        }
    }

    /**
     * A new config derived from a base: same os/arch/config, {@code created} fixed, the given diff
     * IDs, and the base's history followed by one entry per new layer.
     */
    static ObjectNode derive(ImageDetails base, List<String> diffIds, List<String> history) {
        return derive(base, diffIds, baseHistory(base), history);
    }

    static List<JsonNode> baseHistory(ImageDetails base) {
        List<JsonNode> out = new ArrayList<>();
        base.config().path("history").forEach(out::add);
        return out;
    }

    static ObjectNode derive(ImageDetails base, List<String> diffIds, List<JsonNode> keptHistory, List<String> history) {
        ObjectNode out = JSON.createObjectNode();
        out.put("architecture", base.config().path("architecture").asText("amd64"));
        out.put("os", base.config().path("os").asText("linux"));
        if (base.config().hasNonNull("variant")) {
            out.put("variant", base.config().get("variant").asText());
        }
        out.put("created", CREATED);
        out.set("config", config(base).deepCopy());
        ObjectNode rootfs = out.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(ids::add);
        ArrayNode hist = out.putArray("history");
        keptHistory.forEach(h -> hist.add(h.deepCopy()));
        for (String h : history) {
            hist.addObject().put("created", CREATED).put("created_by", h);
        }
        return out;
    }

    static void setLabels(ObjectNode config, Map<String, String> labels) {
        ObjectNode c = (ObjectNode) config.get("config");
        JsonNode existing = c.get("Labels");
        ObjectNode l = existing instanceof ObjectNode o ? o : c.putObject("Labels");
        labels.forEach(l::put);
    }

    static void setEnv(ObjectNode config, List<String> env) {
        ArrayNode a = ((ObjectNode) config.get("config")).putArray("Env");
        env.forEach(a::add);
    }

    static void setArray(ObjectNode config, String key, List<String> values) {
        ObjectNode c = (ObjectNode) config.get("config");
        if (values == null) {
            c.putNull(key);
            return;
        }
        ArrayNode a = c.putArray(key);
        values.forEach(a::add);
    }

    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
