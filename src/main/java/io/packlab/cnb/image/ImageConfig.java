package io.packlab.cnb.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.engine.ImageDetails;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An image config (the OCI config JSON: os, architecture, config with Env, Labels, Entrypoint, Cmd,
 * WorkingDir, User, rootfs diff IDs, history), immutable: every {@code with...} returns a new value.
 * Changes keep the keys in the order they were read, so that a config written {@link #toBytesInOrder
 * in order} (a registry rebase) changes only what was changed; {@link #toBytes} sorts the keys, so
 * that equal configs give equal bytes and so equal image IDs (what packlab loads into the engine).
 */
public final class ImageConfig {

    /** The {@code created} time of images packlab writes, as the lifecycle sets it. */
    public static final String CREATED = Tars.EPOCH.toString();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode json;

    private ImageConfig(ObjectNode json) {
        this.json = json;
    }

    /** The config of an image as the engine or a registry gives it. */
    public static ImageConfig of(ImageDetails image) {
        return of(image.config());
    }

    /** A config from its JSON (copied). */
    public static ImageConfig of(ObjectNode json) {
        return new ImageConfig(json.deepCopy());
    }

    /** A config of no layers for {@code os}/{@code architecture}: an empty {@code config}, {@code created} fixed. */
    public static ImageConfig scratch(String os, String architecture) {
        ObjectNode out = JSON.createObjectNode();
        out.put("architecture", architecture);
        out.put("os", os);
        out.put("created", CREATED);
        out.putObject("config");
        out.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        out.putArray("history");
        return new ImageConfig(out);
    }

    /**
     * A new config on a base: the base's os, architecture, variant and {@code config} (Env, User,
     * Labels...), {@code created} fixed, exactly {@code diffIds} as layers, and as history the
     * {@code keptHistory} entries followed by one entry per {@code createdBy} text. Nothing else of
     * the base (its own created time, Docker's container_config...) is kept.
     */
    public static ImageConfig derive(ImageDetails base, List<String> diffIds, List<JsonNode> keptHistory,
            List<String> createdBy) {
        ImageConfig b = of(base);
        ObjectNode out = JSON.createObjectNode();
        out.put("architecture", b.json.path("architecture").asText("amd64"));
        out.put("os", b.json.path("os").asText("linux"));
        if (b.json.hasNonNull("variant")) {
            out.put("variant", b.json.get("variant").asText());
        }
        out.put("created", CREATED);
        out.set("config", b.configObject().deepCopy());
        ObjectNode rootfs = out.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(ids::add);
        ArrayNode hist = out.putArray("history");
        keptHistory.forEach(h -> hist.add(h.deepCopy()));
        for (String h : createdBy) {
            hist.addObject().put("created", CREATED).put("created_by", h);
        }
        return new ImageConfig(out);
    }

    /** {@link #derive(ImageDetails, List, List, List)} keeping the base's whole history. */
    public static ImageConfig derive(ImageDetails base, List<String> diffIds, List<String> createdBy) {
        return derive(base, diffIds, of(base).history(), createdBy);
    }

    /** A new config on a base with the base's layers and history and nothing on top yet. */
    public static ImageConfig derive(ImageDetails base) {
        ImageConfig b = of(base);
        return derive(base, b.diffIds(), b.history(), List.of());
    }

    // ---- reading

    public String os() {
        return json.path("os").asText("");
    }

    public String architecture() {
        return json.path("architecture").asText("");
    }

    /** The architecture variant, or empty. */
    public String variant() {
        return json.path("variant").asText("");
    }

    /** The labels (all values strings), in their order. */
    public Map<String, String> labels() {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode labels = json.path("config").get("Labels");
        if (labels != null && labels.isObject()) {
            labels.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return Collections.unmodifiableMap(out);
    }

    public Optional<String> label(String key) {
        return Optional.ofNullable(labels().get(key));
    }

    /** The {@code NAME=value} entries of Env. */
    public List<String> env() {
        List<String> out = new ArrayList<>();
        JsonNode env = json.path("config").get("Env");
        if (env != null && env.isArray()) {
            env.forEach(e -> out.add(e.asText()));
        }
        return Collections.unmodifiableList(out);
    }

    /** The value of an environment variable, or empty. */
    public Optional<String> envValue(String name) {
        return env().stream().filter(e -> e.startsWith(name + "=")).map(e -> e.substring(name.length() + 1))
                .findFirst();
    }

    /** The layers' diff IDs, bottom first. */
    public List<String> diffIds() {
        List<String> out = new ArrayList<>();
        json.path("rootfs").path("diff_ids").forEach(d -> out.add(d.asText()));
        return Collections.unmodifiableList(out);
    }

    /** The history entries (copies), empty-layer ones included. */
    public List<JsonNode> history() {
        List<JsonNode> out = new ArrayList<>();
        json.path("history").forEach(h -> out.add(h.deepCopy()));
        return Collections.unmodifiableList(out);
    }

    /** The history entries that stand for a layer (not {@code empty_layer}). */
    public List<JsonNode> layerHistory() {
        return history().stream().filter(h -> !h.path("empty_layer").asBoolean(false)).toList();
    }

    /** The entrypoint, or null when the config has none (absent or JSON null). */
    public List<String> entrypoint() {
        return strings("Entrypoint");
    }

    /** The command, or null when the config has none. */
    public List<String> cmd() {
        return strings("Cmd");
    }

    /** The working directory, or empty. */
    public String workingDir() {
        return json.path("config").path("WorkingDir").asText("");
    }

    /** The user, or empty (root). */
    public String user() {
        return json.path("config").path("User").asText("");
    }

    // ---- changing

    /** Adds or replaces labels (all label values are strings); the others stay. */
    public ImageConfig withLabels(Map<String, String> labels) {
        return change(c -> {
            ObjectNode config = configOf(c);
            ObjectNode l = config.get("Labels") instanceof ObjectNode o ? o : config.putObject("Labels");
            labels.forEach(l::put);
        });
    }

    public ImageConfig withLabel(String key, String value) {
        return withLabels(Map.of(key, value));
    }

    /** Exactly these labels, the others gone ({@code Labels} written anew after the other config keys). */
    public ImageConfig withOnlyLabels(Map<String, String> labels) {
        return change(c -> {
            ObjectNode config = configOf(c);
            config.remove("Labels");
            ObjectNode l = config.putObject("Labels");
            labels.forEach(l::put);
        });
    }

    /** Exactly these Env entries ({@code NAME=value}), in this order. */
    public ImageConfig withEnv(List<String> entries) {
        return change(c -> {
            ArrayNode a = configOf(c).putArray("Env");
            entries.forEach(a::add);
        });
    }

    /** Sets variables: an existing {@code NAME=} entry is replaced in place, new ones appended. */
    public ImageConfig withEnv(Map<String, String> env) {
        return change(c -> {
            ArrayNode entries = configOf(c).get("Env") instanceof ArrayNode a ? a : configOf(c).putArray("Env");
            Map<String, String> rest = new LinkedHashMap<>(env);
            for (int i = 0; i < entries.size(); i++) {
                String entry = entries.get(i).asText();
                String name = entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : entry;
                if (rest.containsKey(name)) {
                    entries.set(i, entries.textNode(name + "=" + rest.remove(name)));
                }
            }
            rest.forEach((name, value) -> entries.add(name + "=" + value));
        });
    }

    /** The entrypoint; null writes JSON null (no entrypoint), as the engine reports an image without one. */
    public ImageConfig withEntrypoint(List<String> entrypoint) {
        return withStrings("Entrypoint", entrypoint);
    }

    /** The command; null writes JSON null (no command). */
    public ImageConfig withCmd(List<String> cmd) {
        return withStrings("Cmd", cmd);
    }

    /** The working directory; null removes it. */
    public ImageConfig withWorkingDir(String workingDir) {
        return withText("WorkingDir", workingDir);
    }

    /** The user ({@code name}, {@code uid} or {@code uid:gid}); null removes it (root). */
    public ImageConfig withUser(String user) {
        return withText("User", user);
    }

    /**
     * Adds layers on top, one history entry each. When the existing history does not match the
     * layers (not one non-empty entry per diff ID) it is first replaced by one plain entry per
     * existing layer, so that history and layers stay in step.
     */
    public ImageConfig withLayers(List<String> diffIds, List<String> createdBy) {
        if (diffIds.size() != createdBy.size()) {
            throw new IllegalArgumentException(diffIds.size() + " layers but " + createdBy.size() + " history texts");
        }
        return change(c -> {
            ArrayNode ids = c.withObjectProperty("rootfs").put("type", "layers").withArrayProperty("diff_ids");
            ArrayNode history = c.withArrayProperty("history");
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
        });
    }

    public ImageConfig withLayer(String diffId, String createdBy) {
        return withLayers(List.of(diffId), List.of(createdBy));
    }

    /** Exactly these layers and this history (a rebase: the new run image's, then the app's own). */
    public ImageConfig withLayersAndHistory(List<String> diffIds, List<JsonNode> history) {
        return change(c -> {
            ObjectNode rootfs = c.get("rootfs") instanceof ObjectNode r ? r : c.putObject("rootfs");
            rootfs.put("type", "layers");
            ArrayNode ids = rootfs.putArray("diff_ids");
            diffIds.forEach(ids::add);
            ArrayNode hist = c.putArray("history");
            history.forEach(h -> hist.add(h.deepCopy()));
        });
    }

    /** The os, architecture and variant of another image (a rebase takes them from the new run image). */
    public ImageConfig withPlatformOf(ImageConfig other) {
        return change(c -> {
            c.put("architecture", other.json.path("architecture").asText(c.path("architecture").asText()));
            c.put("os", other.json.path("os").asText(c.path("os").asText()));
            if (other.json.hasNonNull("variant")) {
                c.put("variant", other.json.get("variant").asText());
            } else {
                c.remove("variant");
            }
        });
    }

    // ---- writing

    /** The JSON (a copy). */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The image's details as the engine would report them under {@code id}. */
    public ImageDetails details(String id) {
        return new ImageDetails(id, json());
    }

    /** The config as JSON with its keys sorted at every level: the bytes whose sha256 is the image ID. */
    public byte[] toBytes() {
        return bytes(sorted(json));
    }

    /** The config as JSON with its keys in the order they were read (a registry rebase keeps the app's order). */
    public byte[] toBytesInOrder() {
        return bytes(json);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ImageConfig c && c.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return new String(toBytesInOrder(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private ImageConfig change(Consumer<ObjectNode> change) {
        ObjectNode copy = json.deepCopy();
        change.accept(copy);
        return new ImageConfig(copy);
    }

    /** The {@code config} object (an empty one when the image has none). */
    private ObjectNode configObject() {
        return json.get("config") instanceof ObjectNode o ? o : JSON.createObjectNode();
    }

    private static ObjectNode configOf(ObjectNode c) {
        return c.get("config") instanceof ObjectNode o ? o : c.putObject("config");
    }

    private List<String> strings(String key) {
        JsonNode n = json.path("config").get(key);
        if (n == null || !n.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return Collections.unmodifiableList(out);
    }

    private ImageConfig withStrings(String key, List<String> values) {
        return change(c -> {
            if (values == null) {
                configOf(c).putNull(key);
            } else {
                ArrayNode a = configOf(c).putArray(key);
                values.forEach(a::add);
            }
        });
    }

    private ImageConfig withText(String key, String value) {
        return change(c -> {
            if (value == null) {
                configOf(c).remove(key);
            } else {
                configOf(c).put(key, value);
            }
        });
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
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
}
