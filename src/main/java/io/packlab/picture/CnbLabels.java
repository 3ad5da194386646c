package io.packlab.picture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The little that the pictures read of the buildpacks labels of a builder and of an app image, in one
 * place (a typed lifecycle-metadata value may replace it). A label that is absent or not JSON reads
 * as empty: a picture then shows less, it never fails.
 */
final class CnbLabels {

    static final String BUILDER = "io.buildpacks.builder.metadata";
    static final String BUILDPACK_LAYERS = "io.buildpacks.buildpack.layers";
    static final String ORDER = "io.buildpacks.buildpack.order";
    static final String LIFECYCLE = "io.buildpacks.lifecycle.metadata";
    static final String BUILD = "io.buildpacks.build.metadata";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CnbLabels() {
    }

    /** What a layer of an app image is, by its diff ID in the lifecycle metadata. */
    enum Role { BUILDPACK_LAYER, APP, LAUNCHER, CONFIG, PROCESS_TYPES, SBOM }

    /** One layer of an app image: its role, and for a buildpack layer the buildpack and layer name. */
    record AppLayer(Role role, String buildpack, String name) {
    }

    /** A buildpack of a builder: id, version and the diff ID of its layer. */
    record Buildpack(String id, String version, String diffId) {
    }

    /** What a builder's labels say: its buildpacks, its order (first group), the run image, the lifecycle. */
    record Builder(List<Buildpack> buildpacks, List<String> order, Optional<String> runImage,
            Optional<String> lifecycleVersion) {
    }

    /** A buildpack of an app: id and version, its launch layers and the ones marked cache. */
    record AppBuildpack(String id, String version, List<String> layers, List<String> cached) {
    }

    /**
     * What an app image's labels say: its layers by diff ID, the buildpacks that ran (in order), the
     * process types, the run image's top layer and name.
     */
    record App(Map<String, AppLayer> layers, List<AppBuildpack> buildpacks, List<String> processes,
            Optional<String> runTopLayer, Optional<String> runImage) {
    }

    static Builder builder(Map<String, String> labels) {
        List<Buildpack> bps = new ArrayList<>();
        JsonNode layers = read(labels.get(BUILDPACK_LAYERS));
        layers.fields().forEachRemaining(id -> id.getValue().fields().forEachRemaining(v -> bps.add(
                new Buildpack(id.getKey(), v.getKey(), v.getValue().path("layerDiffID").asText("")))));
        List<String> order = new ArrayList<>();
        for (JsonNode e : read(labels.get(ORDER)).path(0).path("group")) {
            order.add(e.path("id").asText("?") + (e.hasNonNull("version") ? " " + e.path("version").asText() : "")
                    + (e.path("optional").asBoolean(false) ? " (optional)" : ""));
        }
        JsonNode meta = read(labels.get(BUILDER));
        String run = meta.path("stack").path("runImage").path("image").asText("");
        if (run.isEmpty()) {
            run = meta.path("images").path(0).path("image").asText("");
        }
        String lifecycle = meta.path("lifecycle").path("version").asText("");
        return new Builder(bps, order, nonEmpty(run), nonEmpty(lifecycle));
    }

    static App app(Map<String, String> labels) {
        JsonNode meta = read(labels.get(LIFECYCLE));
        Map<String, AppLayer> layers = new LinkedHashMap<>();
        List<AppBuildpack> bps = new ArrayList<>();
        for (JsonNode bp : meta.path("buildpacks")) {
            String id = bp.path("key").asText("?");
            List<String> names = new ArrayList<>();
            List<String> cached = new ArrayList<>();
            bp.path("layers").fields().forEachRemaining(l -> {
                String sha = l.getValue().path("sha").asText("");
                if (!sha.isEmpty()) {
                    layers.put(sha, new AppLayer(Role.BUILDPACK_LAYER, id, l.getKey()));
                    names.add(l.getKey());
                }
                if (l.getValue().path("cache").asBoolean(false)) {
                    cached.add(l.getKey());
                }
            });
            bps.add(new AppBuildpack(id, bp.path("version").asText(""), names, cached));
        }
        for (JsonNode a : meta.path("app")) {
            put(layers, a.path("sha"), Role.APP);
        }
        put(layers, meta.path("launcher").path("sha"), Role.LAUNCHER);
        put(layers, meta.path("config").path("sha"), Role.CONFIG);
        put(layers, meta.path("process-types").path("sha"), Role.PROCESS_TYPES);
        put(layers, meta.path("sbom").path("sha"), Role.SBOM);
        JsonNode build = read(labels.get(BUILD));
        if (bps.isEmpty()) { // no lifecycle metadata: the build metadata still names the buildpacks
            for (JsonNode bp : build.path("buildpacks")) {
                bps.add(new AppBuildpack(bp.path("id").asText("?"), bp.path("version").asText(""), List.of(),
                        List.of()));
            }
        }
        List<String> processes = new ArrayList<>();
        build.path("processes").forEach(p -> processes.add(p.path("type").asText("?")));
        JsonNode run = meta.path("runImage");
        String image = run.path("image").asText("");
        if (image.isEmpty()) {
            image = meta.path("stack").path("runImage").path("image").asText("");
        }
        return new App(layers, bps, processes, nonEmpty(run.path("topLayer").asText("")), nonEmpty(image));
    }

    private static void put(Map<String, AppLayer> layers, JsonNode sha, Role role) {
        if (sha.isTextual() && !sha.asText().isEmpty()) {
            layers.putIfAbsent(sha.asText(), new AppLayer(role, null, null));
        }
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static JsonNode read(String label) {
        if (label == null || label.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(label);
        } catch (java.io.IOException e) {
            return JSON.missingNode();
        }
    }
}
