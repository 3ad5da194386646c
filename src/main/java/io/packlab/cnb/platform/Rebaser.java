package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.cnb.image.ImageArchive;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.image.Layer;
import io.packlab.cnb.image.TarExtractor;
import io.packlab.cnb.metadata.LifecycleMetadata;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageDetails;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code pack rebase}: puts an app image on the current run image. The layers up to the recorded
 * run image top layer are replaced by the run image's layers; every layer above is kept byte for
 * byte (same diff IDs); the metadata is updated; the image keeps its name.
 */
final class Rebaser {

    /** The label by which a run image (and the apps built on it) says whether a rebase may swap it. */
    static final String REBASABLE = "io.buildpacks.rebasable";

    private final Engine engine;
    private final Reporter out;
    private final Map<String, String> extraLabels;

    Rebaser(Engine engine, Reporter out, Map<String, String> extraLabels) {
        this.engine = engine;
        this.out = out;
        this.extraLabels = extraLabels;
    }

    /** The outcome: image IDs and the layers before and after, for a table. */
    record Result(String oldId, String newId, List<String> oldLayers, List<String> newLayers, int runLayersBefore,
            int runLayersAfter) {
    }

    Result rebase(Requests.Rebase req, Path temp) throws IOException {
        ImageDetails appImage = Images.require(engine, req.image(), "app image", "Build it first with pack build.");
        ImageConfig app = ImageConfig.of(appImage);
        LifecycleMetadata meta = LifecycleMetadata.of(app.labels(), req.image());
        String runRef = RebaseConfig.runImage(req.runImage(), meta, req.image());
        ImageDetails runImage = Images.require(engine, runRef, "run image", "Build the new run image first.");
        ImageConfig run = ImageConfig.of(runImage);
        validate(app, run, runRef, req.image(), req.force(), out);
        Optional<String> renamed = RebaseConfig.checkName(meta, runRef, req.image(), req.force(), Cnb.PLATFORM_API,
                out);
        String appId = appImage.id();

        List<String> appDiffs = app.diffIds();
        int cut = RebaseConfig.runLayers(appDiffs, meta, req.image()) - 1;
        List<String> upper = appDiffs.subList(cut + 1, appDiffs.size());
        List<String> runDiffs = run.diffIds();
        out.info("Rebasing " + req.image() + " on run image " + runRef);
        if (appDiffs.subList(0, cut + 1).equals(runDiffs)) {
            out.info("The image is already on the run image's current layers: nothing to do");
            return new Result(appId, appId, appDiffs, appDiffs, cut + 1, runDiffs.size());
        }

        List<Layer> kept = upperLayers(req.image(), appDiffs, cut + 1, temp);

        LifecycleMetadata newMeta = RebaseConfig.metadata(meta, runDiffs.get(runDiffs.size() - 1), runImage.id(),
                renamed);
        ImageConfig image = RebaseConfig.config(app, run, cut + 1, newMeta, extraLabels);
        List<String> diffIds = image.diffIds();

        ImageArchive archive = ImageArchive.of(image, List.of(req.image()));
        runDiffs.forEach(archive::existingLayer);
        kept.forEach(archive::newLayer);
        out.event(new PlatformEvent.ImageSaving(req.image(), PlatformEvent.Store.ENGINE));
        String id = ImageArchive.load(engine, archive);
        out.event(new PlatformEvent.ImageSaved(req.image(), id, PlatformEvent.Store.ENGINE));
        out.info("Rebased " + req.image() + ": run image layers " + (cut + 1) + " -> " + runDiffs.size() + ", "
                + upper.size() + " app layer(s) kept as they were");
        return new Result(appId, id, appDiffs, diffIds, cut + 1, runDiffs.size());
    }

    /**
     * The lifecycle's rebaser checks, by the app's Platform API; packlab also keeps the stack check.
     * From 0.12, {@code force} turns a refusal of the app's {@code io.buildpacks.rebasable=false} or of
     * a different target into a warning, as the lifecycle's {@code -force} does.
     */
    static void validate(ImageConfig app, ImageConfig run, String runRef, String image, boolean force,
            Reporter out) {
        Map<String, String> appLabels = app.labels();
        Map<String, String> runLabels = run.labels();
        String appStack = appLabels.get(Cnb.LABEL_STACK_ID);
        String runStack = runLabels.get(Cnb.LABEL_STACK_ID);
        String api = app.envValue("CNB_PLATFORM_API").orElse("");
        boolean targets = !api.isEmpty() && compare(api, "0.12") >= 0;
        if (!targets) {
            if (appStack == null) {
                throw new PlatformException("stack not defined on app image " + image + ".");
            }
            if (runStack == null) {
                throw new PlatformException("stack not defined on new base image " + runRef + ".");
            }
        }
        if (appStack != null && runStack != null && !appStack.equals(runStack)) {
            throw new PlatformException("incompatible stack: the app image " + image + " is built on stack " + appStack
                    + ", the new run image " + runRef + " is stack " + runStack + ". A rebase only swaps compatible"
                    + " run images; rebuild the app with pack build to move it to another stack.");
        }
        if (targets) {
            if ("false".equals(appLabels.get(REBASABLE))) {
                String what = "app image " + image + " is not marked as rebasable (it has the label " + REBASABLE
                        + "=false, which it takes from the run image it was built on)";
                if (!force) {
                    throw new PlatformException(what + ": its layers may depend on that exact run image, so rebase"
                            + " refuses. Rebuild it with pack build, or add --force if you know the new run image is"
                            + " compatible.");
                }
                out.warn(what + "; rebasing anyway (--force)");
            }
            for (String key : List.of("os", "architecture", "variant")) {
                String a = platformField(app, key);
                String r = platformField(run, key);
                if (!a.equals(r)) {
                    String what = "the new run image " + runRef + " has " + key + " `" + r + "`, the app image " + image
                            + " `" + a + "`";
                    if (!force) {
                        throw new PlatformException(what + ": they must match for a rebase (--force overrides).");
                    }
                    out.warn(what + "; rebasing anyway (--force)");
                }
            }
            for (String key : List.of("io.buildpacks.base.distro.name", "io.buildpacks.base.distro.version")) {
                if (appLabels.containsKey(key) && runLabels.containsKey(key)
                        && !Objects.equals(appLabels.get(key), runLabels.get(key))) {
                    String what = "the new run image " + runRef + " has " + key + "=" + runLabels.get(key)
                            + ", the app image " + appLabels.get(key);
                    if (!force) {
                        throw new PlatformException(what + ": the distribution must match for a rebase (--force"
                                + " overrides).");
                    }
                    out.warn(what + "; rebasing anyway (--force)");
                }
            }
        }
    }

    private static String platformField(ImageConfig image, String key) {
        return switch (key) {
            case "os" -> image.os();
            case "architecture" -> image.architecture();
            default -> image.variant();
        };
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    /** The app's layers above the run image, as tar files from {@code docker save}. */
    private List<Layer> upperLayers(String image, List<String> appDiffs, int from, Path temp) throws IOException {
        Path saved = Files.createDirectories(temp.resolve("saved"));
        try (InputStream in = engine.saveImage(image)) {
            TarExtractor.extract(in, saved);
        }
        JsonNode manifest = Images.JSON.readTree(saved.resolve("manifest.json").toFile());
        JsonNode layers = manifest.path(0).path("Layers");
        if (layers.size() != appDiffs.size()) {
            throw new PlatformException("docker save of " + image + " gave " + layers.size() + " layers, the image"
                    + " config names " + appDiffs.size() + ".");
        }
        List<Layer> out = new ArrayList<>();
        for (int i = from; i < appDiffs.size(); i++) {
            Path tar = saved.resolve(layers.get(i).asText());
            out.add(new Layer(tar, appDiffs.get(i), Files.size(tar)));
        }
        return out;
    }
}
