package io.packlab.cnb.platform;

import io.packlab.cnb.image.ImageArchive;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.image.SaveRelay;
import io.packlab.cnb.metadata.LifecycleMetadata;
import io.packlab.engine.Cancellation;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageDetails;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
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

    /** The rebase, streamed from the engine's save into its load ({@link SaveRelay}): nothing goes to disk. */
    Result rebase(Requests.Rebase req) throws IOException {
        ImageDetails appImage = Images.require(engine, req.image(), "app image", "Build it first with pack build.");
        ImageConfig app = ImageConfig.of(appImage);
        LifecycleMetadata meta = LifecycleMetadata.of(app.labels(), req.image());
        String runRef = RebaseConfig.runImage(req.runImage(), meta, req.image());
        ImageDetails runImage = Images.require(engine, runRef, "run image", "Build the new run image first.");
        ImageConfig run = ImageConfig.of(runImage);
        RebaseChecks.validate(app, run, runRef, req.image(), req.force(), out);
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

        LifecycleMetadata newMeta = RebaseConfig.metadata(meta, runDiffs.get(runDiffs.size() - 1), runImage.id(),
                renamed);
        ImageConfig image = RebaseConfig.config(app, run, cut + 1, newMeta, extraLabels);
        List<String> diffIds = image.diffIds();

        // the app's layers go from the engine's save straight into the load: read once, never on disk
        SaveRelay relay = new SaveRelay(image, List.of(req.image()), runDiffs.size(), appDiffs, cut + 1, req.image());
        out.event(new PlatformEvent.ImageSaving(req.image(), PlatformEvent.Store.ENGINE));
        String id = ImageArchive.load(engine, to -> {
            try (InputStream saved = engine.saveImage(req.image())) {
                relay.relay(saved, to);
            }
        }, relay.imageId(), Cancellation.none());
        out.event(new PlatformEvent.ImageSaved(req.image(), id, PlatformEvent.Store.ENGINE));
        out.info("Rebased " + req.image() + ": run image layers " + (cut + 1) + " -> " + runDiffs.size() + ", "
                + upper.size() + " app layer(s) kept as they were");
        return new Result(appId, id, appDiffs, diffIds, cut + 1, runDiffs.size());
    }
}
