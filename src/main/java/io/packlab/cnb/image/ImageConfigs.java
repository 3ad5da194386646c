package io.packlab.cnb.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.engine.ImageDetails;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Image configs (the OCI config JSON) derived from a base image: every helper returns a new config
 * and leaves its argument as it was. {@link #toBytes} writes a config with its keys sorted at every
 * level, so equal configs give equal bytes and so equal image IDs.
 */
public final class ImageConfigs {

    /** The {@code created} time of images packlab writes, as lifecycle sets it. */
    public static final String CREATED = Tars.EPOCH.toString();

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageConfigs() {
    }

    /** A copy of the base image's config, {@code created} set to {@link #CREATED}. */
    public static ObjectNode derive(ImageDetails base) {
        ObjectNode config = base.config().deepCopy();
        config.put("created", CREATED);
        config.withObjectProperty("config");
        ObjectNode rootfs = config.withObjectProperty("rootfs");
        rootfs.put("type", "layers");
        rootfs.withArrayProperty("diff_ids");
        return config;
    }

    /** The diff IDs, bottom first. */
    public static List<String> diffIds(ObjectNode config) {
        List<String> ids = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    /** Adds one layer on top, with a history entry saying what made it. */
    public static ObjectNode withLayer(ObjectNode config, String diffId, String createdBy) {
        return withLayers(config, List.of(diffId), List.of(createdBy));
    }

    /**
     * Adds layers on top, one history entry each. When the existing history does not match the
     * layers (not one non-empty entry per diff ID, or none at all) it is first replaced by one plain
     * entry per existing layer, so that history and layers stay in step.
     */
    public static ObjectNode withLayers(ObjectNode config, List<String> diffIds, List<String> createdBy) {
        if (diffIds.size() != createdBy.size()) {
            throw new IllegalArgumentException(diffIds.size() + " layers but " + createdBy.size() + " history texts");
        }
        ObjectNode out = config.deepCopy();
        ArrayNode ids = out.withObjectProperty("rootfs").put("type", "layers").withArrayProperty("diff_ids");
        ArrayNode history = out.withArrayProperty("history");
        if (ImageDetails.nonEmptyHistory(history) != ids.size()) {
            history.removeAll();
            for (int i = 0; i < ids.size(); i++) {
                history.addObject().put("created", CREATED);
            }
        }
        for (int i = 0; i < diffIds.size(); i++) {
            ids.add(diffIds.get(i));
            history.addObject().put("created", CREATED).put("created_by", createdBy.get(i));
        }
        return out;
    }

    /** Replaces the layers: {@code rootfs.diff_ids}, and the history by one plain entry per layer. */
    public static ObjectNode withDiffIds(ObjectNode config, List<String> diffIds) {
        ObjectNode out = config.deepCopy();
        ArrayNode ids = out.withObjectProperty("rootfs").put("type", "layers").putArray("diff_ids");
        ArrayNode history = out.putArray("history");
        diffIds.forEach(id -> {
            ids.add(id);
            history.addObject().put("created", CREATED);
        });
        return out;
    }

    /** Sets environment variables: an existing {@code NAME=} entry is replaced in place, new ones appended. */
    public static ObjectNode withEnv(ObjectNode config, Map<String, String> env) {
        ObjectNode out = config.deepCopy();
        ArrayNode entries = out.withObjectProperty("config").withArrayProperty("Env");
        Map<String, String> rest = new LinkedHashMap<>(env);
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).asText();
            String name = entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : entry;
            if (rest.containsKey(name)) {
                entries.set(i, entries.textNode(name + "=" + rest.remove(name)));
            }
        }
        rest.forEach((name, value) -> entries.add(name + "=" + value));
        return out;
    }

    /** The value of an environment variable in the config, or null. */
    public static String env(ObjectNode config, String name) {
        for (JsonNode entry : config.path("config").path("Env")) {
            if (entry.asText().startsWith(name + "=")) {
                return entry.asText().substring(name.length() + 1);
            }
        }
        return null;
    }

    /** Adds or replaces labels (all label values are strings). */
    public static ObjectNode withLabels(ObjectNode config, Map<String, String> labels) {
        ObjectNode out = config.deepCopy();
        ObjectNode target = out.withObjectProperty("config").withObjectProperty("Labels");
        labels.forEach(target::put);
        return out;
    }

    public static ObjectNode withLabel(ObjectNode config, String key, String value) {
        return withLabels(config, Map.of(key, value));
    }

    /** The entrypoint; null removes it (the image then has none). */
    public static ObjectNode withEntrypoint(ObjectNode config, List<String> entrypoint) {
        return withArray(config, "Entrypoint", entrypoint);
    }

    /** The command; null removes it. */
    public static ObjectNode withCmd(ObjectNode config, List<String> cmd) {
        return withArray(config, "Cmd", cmd);
    }

    /** The working directory; null removes it. */
    public static ObjectNode withWorkingDir(ObjectNode config, String workingDir) {
        return withText(config, "WorkingDir", workingDir);
    }

    /** The user ({@code name}, {@code uid} or {@code uid:gid}); null removes it (root). */
    public static ObjectNode withUser(ObjectNode config, String user) {
        return withText(config, "User", user);
    }

    /** The config as JSON with its keys sorted at every level: the bytes whose sha256 is the image ID. */
    public static byte[] toBytes(ObjectNode config) {
        try {
            return JSON.writeValueAsBytes(sorted(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an image config could not be written as JSON", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            names.forEach(name -> out.set(name, sorted(node.get(name))));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(item -> out.add(sorted(item)));
            return out;
        }
        return node;
    }

    private static ObjectNode withArray(ObjectNode config, String key, List<String> values) {
        ObjectNode out = config.deepCopy();
        ObjectNode c = out.withObjectProperty("config");
        if (values == null) {
            c.remove(key);
        } else {
            ArrayNode array = c.putArray(key);
            values.forEach(array::add);
        }
        return out;
    }

    private static ObjectNode withText(ObjectNode config, String key, String value) {
        ObjectNode out = config.deepCopy();
        if (value == null) {
            out.withObjectProperty("config").remove(key);
        } else {
            out.withObjectProperty("config").put(key, value);
        }
        return out;
    }

}
