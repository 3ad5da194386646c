package io.packlab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds an image's OCI config JSON from what the Engine API shows of it (GET /images/{name}/json
 * and /history), since the API has no call that returns the stored config bytes.
 */
final class ImageConfigReader {

    /** The keys of the container config that the OCI image config carries, in the OCI order. */
    private static final List<String> CONFIG_KEYS = List.of("User", "ExposedPorts", "Env", "Entrypoint", "Cmd",
            "Volumes", "WorkingDir", "Labels", "StopSignal");

    private ImageConfigReader() {
    }

    static ObjectNode toConfig(JsonNode inspect, JsonNode history) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        putText(out, "architecture", inspect.path("Architecture"));
        putText(out, "os", inspect.path("Os"));
        putText(out, "os.version", inspect.path("OsVersion"));
        putText(out, "variant", inspect.path("Variant"));
        putText(out, "created", inspect.path("Created"));
        putText(out, "author", inspect.path("Author"));

        ObjectNode config = out.putObject("config");
        JsonNode source = inspect.path("Config");
        for (String key : CONFIG_KEYS) {
            JsonNode value = source.get(key);
            if (value == null || value.isNull() || value.isTextual() && value.asText().isEmpty()) {
                continue;
            }
            config.set(key, value.deepCopy());
        }

        ObjectNode rootfs = out.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        inspect.path("RootFS").path("Layers").forEach(layer -> diffIds.add(layer.asText()));

        ArrayNode entries = history(history);
        if (entries != null && ImageDetails.nonEmptyHistory(entries) == diffIds.size()) {
            out.set("history", entries);
        }
        return out;
    }

    /**
     * The history oldest first. The API gives no {@code empty_layer} flag, only sizes; a zero size is
     * taken as an empty layer, and the caller drops the history when the count does not match.
     */
    private static ArrayNode history(JsonNode history) {
        if (history == null || !history.isArray()) {
            return null;
        }
        List<JsonNode> items = new ArrayList<>();
        history.forEach(items::add);
        ArrayNode entries = JsonNodeFactory.instance.arrayNode();
        for (int i = items.size() - 1; i >= 0; i--) {
            JsonNode item = items.get(i);
            ObjectNode entry = entries.addObject();
            if (item.path("Created").canConvertToLong() && item.path("Created").asLong() > 0) {
                entry.put("created", Instant.ofEpochSecond(item.path("Created").asLong()).toString());
            }
            putText(entry, "created_by", item.path("CreatedBy"));
            putText(entry, "comment", item.path("Comment"));
            if (item.path("Size").asLong() == 0) {
                entry.put("empty_layer", true);
            }
        }
        return entries;
    }

    private static void putText(ObjectNode out, String key, JsonNode value) {
        if (value != null && value.isTextual() && !value.asText().isEmpty()) {
            out.put(key, value.asText());
        }
    }
}
