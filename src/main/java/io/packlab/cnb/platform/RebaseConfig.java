package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.metadata.LifecycleMetadata;
import io.packlab.cnb.registry.ImageRef;
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
    static String runImage(Optional<String> given, LifecycleMetadata meta, String image) {
        return given.orElseGet(() -> {
            String r = text(meta.runImage() == null ? null : meta.runImage().image());
            if (r.isEmpty()) {
                r = text(stackRunImage(meta).image());
            }
            if (r.isEmpty()) {
                throw new PlatformException("run image must be specified: image " + image + " records none;"
                        + " give --run-image.");
            }
            return r;
        });
    }

    /** How many of the app's layers are the run image's: up to and including runImage.topLayer. */
    static int runLayers(List<String> appDiffs, LifecycleMetadata meta, String image) {
        String top = text(meta.runImage() == null ? null : meta.runImage().topLayer());
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
    static LifecycleMetadata metadata(LifecycleMetadata meta, String topLayer, String reference,
            Optional<String> renamedTo) {
        LifecycleMetadata.RunImage run = meta.runImage() == null ? new LifecycleMetadata.RunImage(topLayer, reference,
                null, null) : meta.runImage().on(topLayer, reference);
        if (renamedTo.isEmpty()) {
            return meta.withRunImage(run);
        }
        return meta.withRunImage(new LifecycleMetadata.RunImage(topLayer, reference, renamedTo.get(), List.of()))
                .withStack(new LifecycleMetadata.Stack(new LifecycleMetadata.RunImageName(renamedTo.get(), List.of())));
    }

    /**
     * The run image name check of the lifecycle's rebaser from Platform API 0.12: the new run image
     * must be named in the app's runImage.image or its mirrors (or stack.runImage's), compared as
     * image names (the digest dropped, {@code :latest} when no tag). Refused unless {@code force}; with
     * it, a warning and the name the metadata takes instead; empty when the name is recorded (or the
     * platform API is older).
     */
    static Optional<String> checkName(LifecycleMetadata meta, String runName, String image, boolean force,
            String platformApi, Reporter out) {
        LifecycleMetadata.RunImageName recordedRun = meta.runImage() == null ? new LifecycleMetadata.RunImageName(null,
                null) : new LifecycleMetadata.RunImageName(meta.runImage().image(), meta.runImage().mirrors());
        if (!atLeast(platformApi, 0, 12) || names(recordedRun, runName) || names(stackRunImage(meta), runName)) {
            return Optional.empty();
        }
        String recorded;
        if (!text(recordedRun.image()).isEmpty()) {
            recorded = recorded(recordedRun);
        } else if (meta.stack() != null) {
            recorded = recorded(stackRunImage(meta));
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

    private static LifecycleMetadata.RunImageName stackRunImage(LifecycleMetadata meta) {
        return meta.stack() == null || meta.stack().runImage() == null ? new LifecycleMetadata.RunImageName(null, null)
                : meta.stack().runImage();
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static List<String> mirrors(LifecycleMetadata.RunImageName runImage) {
        return runImage.mirrors() == null ? List.of() : runImage.mirrors();
    }

    private static String recorded(LifecycleMetadata.RunImageName runImage) {
        ObjectNode o = Images.JSON.createObjectNode();
        o.put("image", text(runImage.image()));
        ArrayNode mirrors = o.putArray("mirrors");
        mirrors(runImage).forEach(mirrors::add);
        return Images.text(o);
    }

    private static boolean names(LifecycleMetadata.RunImageName runImage, String runName) {
        String wanted = imageName(runName);
        if (!text(runImage.image()).isEmpty() && imageName(runImage.image()).equals(wanted)) {
            return true;
        }
        for (String m : mirrors(runImage)) {
            if (imageName(m).equals(wanted)) {
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
    static ImageConfig config(ImageConfig app, ImageConfig run, int runLayers, LifecycleMetadata newMeta,
            Map<String, String> extraLabels) {
        List<String> appDiffs = app.diffIds();
        List<String> upper = appDiffs.subList(runLayers, appDiffs.size());
        List<String> diffIds = new ArrayList<>(run.diffIds());
        diffIds.addAll(upper);
        List<JsonNode> history = new ArrayList<>(run.history());
        List<JsonNode> appHistory = app.layerHistory();
        history.addAll(appHistory.subList(Math.max(0, appHistory.size() - upper.size()), appHistory.size()));

        Map<String, String> labels = new LinkedHashMap<>(app.labels());
        labels.keySet().removeIf(RebaseConfig::baseLabel);
        run.labels().forEach((k, v) -> {
            if (baseLabel(k)) {
                labels.put(k, v);
            }
        });
        labels.put(LifecycleMetadata.LABEL, newMeta.toLabel());
        labels.putAll(extraLabels);
        return app.withPlatformOf(run).withLayersAndHistory(diffIds, history).withOnlyLabels(labels);
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
