package io.packlab.cnb.platform;

import io.packlab.cnb.image.ImageArchive;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.engine.Cancellation;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageDetails;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The export's save: the image loaded into the engine under its name, with the run image's layers, and the layers the
 * previous image has at the same place in its chain, as blank entries (the daemon has them), so that an unchanged
 * rebuild sends only the config; and its undo when the build is cancelled after the save.
 */
final class ImageSaver {

    private final Engine engine;
    private final Reporter out;

    ImageSaver(Engine engine, Reporter out) {
        this.engine = engine;
        this.out = out;
    }

    /** Saves {@code image} as {@code name}; returns its ID. */
    String save(String name, Exporter.Image image, Optional<ImageDetails> previous, Cancellation cancel)
            throws IOException {
        List<String> runDiffs = image.runDiffs();
        ImageArchive archive = ImageArchive.of(image.config(), List.of(name));
        runDiffs.forEach(archive::existingLayer);
        int shared = shared(image.config().diffIds(), previous.map(p -> ImageConfig.of(p).diffIds()).orElse(List.of()));
        int reused = 0;
        for (int i = 0; i < image.newLayers().size(); i++) {
            if (runDiffs.size() + i < shared) {
                archive.existingLayer(image.newLayers().get(i).diffId());
                image.newLayers().get(i).content().drop(); // never read again: the engine has it
                reused++;
            } else {
                archive.newLayer(image.newLayers().get(i));
            }
        }
        if (reused > 0) {
            out.event(new PlatformEvent.LayersReused(reused, image.newLayers().size()));
        }
        out.event(new PlatformEvent.ImageSaving(name, PlatformEvent.Store.ENGINE));
        String id;
        if (reused == image.newLayers().size() && previous.isPresent()
                && previous.get().id().equals(archive.imageId())) {
            // the very image the name holds (the same config, so the same ID): a load would change nothing
            id = archive.imageId();
        } else {
            id = ImageArchive.load(engine, archive, cancel);
        }
        out.event(new PlatformEvent.ImageSaved(name, id, PlatformEvent.Store.ENGINE));
        return id;
    }

    /** How many diff IDs, from the bottom, the new image's chain shares with the previous image's. */
    static int shared(List<String> diffIds, List<String> previousDiffs) {
        int shared = 0;
        while (shared < diffIds.size() && shared < previousDiffs.size()
                && diffIds.get(shared).equals(previousDiffs.get(shared))) {
            shared++;
        }
        return shared;
    }

    /**
     * The build was cancelled after its image was saved: the name goes back to the previous image (or away), and the
     * new image, now untagged, is removed unless another name holds it.
     */
    void undo(String name, Optional<ImageDetails> previous, String newId) {
        if (previous.isPresent()) {
            if (!previous.get().id().equals(newId)) {
                engine.tagImage(previous.get().id(), name);
            }
        } else {
            engine.removeImage(name, false);
        }
        engine.inspectImage(newId).filter(i -> i.repoTags().isEmpty())
                .ifPresent(i -> engine.removeImage(newId, false));
    }
}
