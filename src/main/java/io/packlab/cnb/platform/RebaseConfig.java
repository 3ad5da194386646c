package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.registry.ImageRef;
import io.packlab.engine.ImageDetails;
import io.packlab.error.PacklabException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rebase as functions on JSON, shared by the daemon and the registry path: which run image,
 * where the app's run image part ends, the new lifecycle metadata, the new image config and (for a
 * registry) the new manifest. Nothing here reads an engine or a registry.
 */
final class RebaseConfig {

    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";

    private RebaseConfig() {
    }

    /** The run image to rebase on: {@code --run-image}, else runImage.image, else stack.runImage.image. */
    static String runImage(Optional<String> given, JsonNode meta, String image) {
        return given.orElseGet(() -> {
            String r = meta.path("runImage").path("image").asText("");
            if (r.isEmpty()) {
                r = meta.path("stack").path("runImage").path("image").asText("");
            }
            if (r.isEmpty()) {
                throw new PlatformException("run image must be specified: image " + image + " records none;"
                        + " give --run-image.");
            }
            return r;
        });
    }

    /** How many of the app's layers are the run image's: up to and including runImage.topLayer. */
    static int runLayers(List<String> appDiffs, JsonNode meta, String image) {
        String top = meta.path("runImage").path("topLayer").asText("");
        int cut = appDiffs.indexOf(top);
        if (top.isEmpty() || cut < 0) {
            throw new PlatformException("could not find base layer in image " + image + ": its metadata names"
                    + " run image top layer " + (top.isEmpty() ? "(none)" : top) + ", which is not among its layers.");
        }
        return cut + 1;
    }

    /**
     * The lifecycle metadata after the rebase: runImage.topLayer and .reference; the recorded names stay,
     * unless {@code renamedTo} (a run image of another name taken with --force): then runImage.image and
     * stack.runImage.image are that name and the mirrors go, as the lifecycle does.
     */
    static ObjectNode metadata(JsonNode meta, String topLayer, String reference, Optional<String> renamedTo) {
        ObjectNode newMeta = meta.deepCopy();
        ObjectNode runImage = newMeta.get("runImage") instanceof ObjectNode o ? o : newMeta.putObject("runImage");
        runImage.put("topLayer", topLayer);
        runImage.put("reference", reference);
        if (renamedTo.isPresent()) {
            runImage.put("image", renamedTo.get());
            runImage.putArray("mirrors");
            ObjectNode stackMeta = newMeta.get("stack") instanceof ObjectNode s ? s : newMeta.putObject("stack");
            ObjectNode stackRun = stackMeta.putObject("runImage");
            stackRun.put("image", renamedTo.get());
            stackRun.putArray("mirrors");
        }
        return newMeta;
    }

    /**
     * The run image name check of the lifecycle's rebaser from Platform API 0.12: the new run image
     * must be named in the app's runImage.image or its mirrors (or stack.runImage's), compared as
     * image names (the digest dropped, {@code :latest} when no tag). Refused unless {@code force}; with
     * it, a warning and the name the metadata takes instead; empty when the name is recorded (or the
     * platform API is older).
     */
    static Optional<String> checkName(JsonNode meta, String runName, String image, boolean force, String platformApi,
            Reporter out) {
        if (!atLeast(platformApi, 0, 12) || names(meta.path("runImage"), runName)
                || names(meta.path("stack").path("runImage"), runName)) {
            return Optional.empty();
        }
        String recorded;
        if (!meta.path("runImage").path("image").asText("").isEmpty()) {
            recorded = recorded(meta.path("runImage"));
        } else if (meta.path("stack").isObject()) {
            recorded = recorded(meta.path("stack").path("runImage"));
        } else {
            recorded = "not found";
        }
        String what = "new base image '" + runName + "' not found in existing run image metadata: " + recorded;
        if (!force) {
            throw new PlatformException(what + ". The app image " + image + " was built on a run image of another"
                    + " name; rebase onto that name (pack rebase " + image + " without --run-image), or add --force"
                    + " if you are sure " + runName + " is compatible (the app then records it as its run image).");
        }
        out.warn(what + "; rebasing anyway (--force): the app records " + runName + " as its run image from now on");
        return Optional.of(runName);
    }

    private static String recorded(JsonNode runImage) {
        ObjectNode o = Images.JSON.createObjectNode();
        o.put("image", runImage.path("image").asText(""));
        ArrayNode mirrors = o.putArray("mirrors");
        runImage.path("mirrors").forEach(m -> mirrors.add(m.asText()));
        return Images.text(o);
    }

    private static boolean names(JsonNode runImage, String runName) {
        String wanted = imageName(runName);
        if (!runImage.path("image").asText("").isEmpty() && imageName(runImage.path("image").asText()).equals(wanted)) {
            return true;
        }
        for (JsonNode m : runImage.path("mirrors")) {
            if (imageName(m.asText()).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** An image reference as a name to compare: registry/repository:tag, the digest dropped, latest by default. */
    static String imageName(String reference) {
        String withoutDigest = reference.contains("@") ? reference.substring(0, reference.indexOf('@')) : reference;
        try {
            ImageRef ref = ImageRef.parse(withoutDigest);
            return ref.registry() + "/" + ref.repository() + ":" + (ref.tag() == null ? "latest" : ref.tag());
        } catch (PacklabException e) {
            return reference;
        }
    }

    private static boolean atLeast(String api, int major, int minor) {
        String[] parts = api.split("\\.");
        try {
            int a = Integer.parseInt(parts[0]);
            int b = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return a != major ? a > major : b >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The app's config on the new run image: the run image's diff IDs and history, then the app's
     * {@code runLayers}.. layers and their history; os/architecture/variant of the run image;
     * {@code io.buildpacks.stack.*} and {@code io.buildpacks.base.*} labels from the run image, the
     * lifecycle label from {@code newMeta}, then {@code extraLabels}. Everything else is the app's.
     */
    static ObjectNode config(ObjectNode app, ObjectNode run, int runLayers, JsonNode newMeta,
            Map<String, String> extraLabels) {
        ImageDetails appImage = new ImageDetails("", app);
        ImageDetails runImage = new ImageDetails("", run);
        List<String> appDiffs = Images.diffIds(appImage);
        List<String> upper = appDiffs.subList(runLayers, appDiffs.size());
        ObjectNode image = app.deepCopy();
        image.put("architecture", run.path("architecture").asText(image.path("architecture").asText()));
        image.put("os", run.path("os").asText(image.path("os").asText()));
        if (run.hasNonNull("variant")) {
            image.put("variant", run.get("variant").asText());
        } else {
            image.remove("variant");
        }
        List<String> diffIds = new ArrayList<>(Images.diffIds(runImage));
        diffIds.addAll(upper);
        ObjectNode rootfs = image.get("rootfs") instanceof ObjectNode r ? r : image.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(ids::add);
        ArrayNode history = image.putArray("history");
        Images.baseHistory(runImage).forEach(h -> history.add(h.deepCopy()));
        List<JsonNode> appHistory = new ArrayList<>();
        app.path("history").forEach(h -> {
            if (!h.path("empty_layer").asBoolean(false)) {
                appHistory.add(h);
            }
        });
        for (int i = Math.max(0, appHistory.size() - upper.size()); i < appHistory.size(); i++) {
            history.add(appHistory.get(i).deepCopy());
        }

        Map<String, String> labels = new LinkedHashMap<>(Images.labels(appImage));
        labels.keySet().removeIf(RebaseConfig::baseLabel);
        Images.labels(runImage).forEach((k, v) -> {
            if (baseLabel(k)) {
                labels.put(k, v);
            }
        });
        labels.put(Cnb.LABEL_LIFECYCLE, Images.text(newMeta));
        labels.putAll(extraLabels);
        ObjectNode config = Images.config(new ImageDetails("", image));
        config.remove("Labels");
        Images.setLabels(image, labels);
        return image;
    }

    private static boolean baseLabel(String key) {
        return key.startsWith("io.buildpacks.stack.") || key.startsWith("io.buildpacks.base.");
    }

    /**
     * The app's manifest on the new run image: the run image's layer descriptors, then the app's
     * descriptors from {@code runLayers} on (same digests: no blob changes), and the new config's
     * descriptor. The app manifest's media type and other fields are kept; run image layer media
     * types are translated between Docker and OCI names when the two manifests differ in kind.
     */
    static ObjectNode manifest(JsonNode app, String appType, JsonNode run, int runLayers, String configDigest,
            long configSize) {
        ObjectNode out = app.deepCopy();
        boolean oci = appType.startsWith("application/vnd.oci.");
        ObjectNode config = out.get("config") instanceof ObjectNode c ? c : out.putObject("config");
        if (!config.hasNonNull("mediaType")) {
            config.put("mediaType", oci ? "application/vnd.oci.image.config.v1+json"
                    : "application/vnd.docker.container.image.v1+json");
        }
        config.put("size", configSize);
        config.put("digest", configDigest);
        ArrayNode layers = out.putArray("layers");
        for (JsonNode l : run.path("layers")) {
            ObjectNode d = l.deepCopy();
            d.put("mediaType", layerType(d.path("mediaType").asText(), oci));
            layers.add(d);
        }
        JsonNode appLayers = app.path("layers");
        for (int i = runLayers; i < appLayers.size(); i++) {
            layers.add(appLayers.get(i).deepCopy());
        }
        return out;
    }

    /** A layer media type in the manifest kind's vocabulary (Docker or OCI); unknown types stay. */
    static String layerType(String type, boolean oci) {
        if (oci && type.startsWith(DOCKER_LAYER)) {
            return OCI_LAYER + type.substring(DOCKER_LAYER.length()).replace(".gzip", "+gzip");
        }
        if (!oci && type.startsWith(OCI_LAYER) && (type.equals(OCI_LAYER) || type.endsWith("+gzip"))) {
            return DOCKER_LAYER + type.substring(OCI_LAYER.length()).replace("+gzip", ".gzip");
        }
        return type;
    }
}
