package io.packlab.cnb.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.registry.ImageRef;
import io.packlab.cnb.registry.RegistryClient;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.metadata.LifecycleMetadata;
import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pack rebase --publish}: the rebase done in the registry, as the lifecycle does it there.
 * Only the two manifests and configs are read and only a new config and manifest are written; the
 * run image's layer blobs are mounted into the app's repository when they are elsewhere, and the
 * app's own layer blobs are never touched, so the time does not depend on the app layers' size.
 */
final class RegistryRebaser {

    private final RegistryClient registry;
    private final Reporter out;
    private final Map<String, String> extraLabels;

    RegistryRebaser(RegistryClient registry, Reporter out, Map<String, String> extraLabels) {
        this.registry = registry;
        this.out = out;
        this.extraLabels = extraLabels;
    }

    Rebaser.Result rebase(Requests.Rebase req, Path temp) throws IOException {
        ImageRef appRef = ImageRef.parse(req.image());
        if (appRef.digest() != null) {
            throw PacklabException.usage("pack rebase --publish writes the rebased image under the image's tag; give"
                    + " REGISTRY/REPOSITORY:TAG, not a digest (" + req.image() + ").");
        }
        RegistryClient.Manifest appManifest = imageManifest(appRef, "app image");
        ImageConfig app = config(appRef, appManifest);
        LifecycleMetadata meta = LifecycleMetadata.of(app.labels(), req.image());
        String runName = RebaseConfig.runImage(req.runImage(), meta, req.image());
        ImageRef runRef = ImageRef.parse(runName);
        RegistryClient.Manifest runManifest = imageManifest(runRef, "run image");
        ImageConfig run = config(runRef, runManifest);
        RebaseChecks.validate(app, run, runName, req.image(), req.force(), out);
        Optional<String> renamed = RebaseConfig.checkName(meta, runName, req.image(), req.force(), Cnb.PLATFORM_API,
                out);

        List<String> appDiffs = app.diffIds();
        List<String> runDiffs = run.diffIds();
        sameCount(appRef, appManifest, appDiffs);
        sameCount(runRef, runManifest, runDiffs);
        if (runDiffs.isEmpty()) {
            throw new PlatformException("the run image " + runName + " has no layers; it cannot be a run image.");
        }
        int runLayers = RebaseConfig.runLayers(appDiffs, meta, req.image());
        out.info("Rebasing " + req.image() + " on run image " + runName + " (in the registry)");
        if (appDiffs.subList(0, runLayers).equals(runDiffs)) {
            out.info("The image is already on the run image's current layers: nothing to do");
            return new Rebaser.Result(appManifest.digest(), appManifest.digest(), appDiffs, appDiffs, runLayers,
                    runDiffs.size());
        }

        LifecycleMetadata newMeta = RebaseConfig.metadata(meta, runDiffs.get(runDiffs.size() - 1),
                runRef.withDigest(runManifest.digest()), renamed);
        ImageConfig config = RebaseConfig.config(app, run, runLayers, newMeta, extraLabels);
        byte[] configBytes = config.toBytesInOrder();

        int mounted = 0;
        int copied = 0;
        boolean sameRepository = runRef.registry().equals(appRef.registry())
                && runRef.repository().equals(appRef.repository());
        for (String digest : layerDigests(runManifest)) {
            if (sameRepository || registry.hasBlob(appRef, digest)) {
                continue;
            }
            if (runRef.registry().equals(appRef.registry()) && registry.mountBlob(appRef, digest, runRef)) {
                mounted++;
            } else {
                out.warn("the registry did not mount layer " + digest + " of " + runName + " into "
                        + appRef.repository() + ": copying it");
                registry.copyBlob(runRef, appRef, digest, temp);
                copied++;
            }
        }
        if (mounted > 0) {
            out.info("Mounted " + mounted + " layer(s) of " + runName + " into " + appRef.repository());
        }
        String configDigest = registry.uploadBlob(appRef, configBytes);
        ObjectNode manifest = RebaseConfig.manifest(appManifest.json(), appManifest.mediaType(), runManifest.json(),
                runLayers, configDigest, configBytes.length);
        out.event(new PlatformEvent.ImageSaving(req.image(), PlatformEvent.Store.REGISTRY));
        String digest = registry.putManifest(appRef, appManifest.mediaType(), bytes(manifest));
        out.event(new PlatformEvent.ImageSaved(req.image(), digest, PlatformEvent.Store.REGISTRY));
        int upper = appDiffs.size() - runLayers;
        out.info("Rebased " + req.image() + ": run image layers " + runLayers + " -> " + runDiffs.size() + ", "
                + upper + " app layer(s) kept as they were; only a config and a manifest were uploaded"
                + (copied > 0 ? " (and " + copied + " run image layer(s) copied)" : ""));
        return new Rebaser.Result(appManifest.digest(), digest, appDiffs, config.diffIds(), runLayers,
                runDiffs.size());
    }

    /** The manifest of one image; a manifest list is refused, saying that choosing a platform is not supported. */
    private RegistryClient.Manifest imageManifest(ImageRef ref, String what) {
        RegistryClient.Manifest m = registry.manifest(ref);
        if (m.isIndex()) {
            List<String> platforms = new ArrayList<>();
            for (JsonNode e : m.json().path("manifests")) {
                JsonNode p = e.path("platform");
                platforms.add(p.isMissingNode() ? "?" : p.path("os").asText("?") + "/" + p.path("architecture")
                        .asText("?") + (p.hasNonNull("variant") ? "/" + p.get("variant").asText() : ""));
            }
            throw new PlatformException("the " + what + " " + ref + " is a manifest list (" + m.mediaType() + ") of "
                    + platforms.size() + " image(s): " + String.join(", ", new LinkedHashSet<>(platforms))
                    + ". The built-in platform rebases a single image and does not choose a platform from a list;"
                    + " give one image by digest (" + ref.registry() + "/" + ref.repository() + "@sha256:...) or"
                    + " install pack.");
        }
        return m;
    }

    private ImageConfig config(ImageRef ref, RegistryClient.Manifest m) {
        String digest = m.json().path("config").path("digest").asText("");
        if (digest.isEmpty()) {
            throw new PlatformException("the manifest of " + ref + " names no config blob; it is not an image"
                    + " manifest (" + m.mediaType() + ").");
        }
        byte[] bytes = registry.blob(ref, digest);
        JsonNode json;
        try {
            json = Images.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new PlatformException("the config " + digest + " of " + ref + " is not JSON; the image is damaged.");
        }
        if (!(json instanceof ObjectNode o)) {
            throw new PlatformException("the config " + digest + " of " + ref + " is not a JSON object; the image is"
                    + " damaged.");
        }
        return ImageConfig.of(o);
    }

    private static void sameCount(ImageRef ref, RegistryClient.Manifest m, List<String> diffIds) {
        int layers = m.json().path("layers").size();
        if (layers != diffIds.size()) {
            throw new PlatformException("the manifest of " + ref + " lists " + layers + " layers, its config "
                    + diffIds.size() + " diff IDs; the image is inconsistent and cannot be rebased.");
        }
    }

    private static List<String> layerDigests(RegistryClient.Manifest m) {
        List<String> out = new ArrayList<>();
        m.json().path("layers").forEach(l -> out.add(l.path("digest").asText()));
        return out;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Images.JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
