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
