package io.packlab.cnb.platform;

import io.packlab.engine.Created;
import java.util.List;
import java.util.Objects;

/**
 * A step of the built-in platform's progress, typed so that a caller (a status line) can follow it without reading
 * text; {@link #lines()} is what the learner sees of it, the lines pack prints.
 */
public sealed interface PlatformEvent {

    /** The lines this event prints, in order (none for an event only a caller acts on). */
    List<String> lines();

    /** The lifecycle's phases as a build announces them. */
    enum Phase {
        ANALYZING, RESTORING, DETECTING, BUILDING, EXPORTING
    }

    /** Where an image is saved. */
    enum Store {
        /** loaded into the Docker engine */
        ENGINE,
        /** a manifest put to a registry */
        REGISTRY
    }

    /** A phase of the build begins: {@code ===> DETECTING}. */
    record PhaseStarted(Phase phase) implements PlatformEvent {
        public PhaseStarted {
            Objects.requireNonNull(phase, "phase");
        }

        @Override
        public List<String> lines() {
            return List.of("===> " + phase.name());
        }
    }

    /** A layer of the app image was written: a buildpack's launch layer, or one of the lifecycle's own. */
    record LayerAdded(String owner, String layer) implements PlatformEvent {
        @Override
        public List<String> lines() {
            return List.of("Adding layer '" + owner + ":" + layer + "'");
        }
    }

    /** The app's own layers (the workspace) were written. */
    record AppLayersAdded(int count) implements PlatformEvent {
        @Override
        public List<String> lines() {
            return List.of("Adding " + count + "/" + count + " app layer(s)");
        }
    }

    /** A cache layer went into the build's cache volume. */
    record CacheLayerAdded(String buildpack, String layer) implements PlatformEvent {
        @Override
        public List<String> lines() {
            return List.of("Adding cache layer '" + buildpack + ":" + layer + "'");
        }
    }

    /** Layers of the new image that the previous image already had: sent as blank entries. */
    record LayersReused(int reused, int total) implements PlatformEvent {
        @Override
        public List<String> lines() {
            return List.of("Reusing " + reused + " of " + total + " layer(s) of the previous image");
        }
    }

    /** A buildpack's layer was added to a builder. */
    record BuildpackAdded(String id, String version, String api) implements PlatformEvent {
        @Override
        public List<String> lines() {
            return List.of("Adding buildpack " + id + "@" + version + " (Buildpack API " + api + ")");
        }
    }

    /** An image is being saved under {@code image}: loaded into the engine or written to a registry. */
    record ImageSaving(String image, Store store) implements PlatformEvent {
        public ImageSaving {
            Objects.requireNonNull(store, "store");
        }

        @Override
        public List<String> lines() {
            return List.of("Saving " + image + "...");
        }
    }

    /** The image is saved: its ID (or, in a registry, its manifest digest, then also printed in full). */
    record ImageSaved(String image, String id, Store store) implements PlatformEvent {
        @Override
        public List<String> lines() {
            String head = "*** Images (" + id.substring(0, Math.min(19, id.length())) + "):";
            return store == Store.REGISTRY ? List.of(head, "      " + image, "*** Digest: " + id)
                    : List.of(head, "      " + image);
        }
    }

    /** A package or builder image was created: {@code Successfully created package NAME}. */
    record ImageCreated(String kind, String image) implements PlatformEvent {
        @Override
        public List<String> lines() {
            return List.of("Successfully created " + kind + " " + image);
        }
    }

    /** Something made in the engine for the caller to record as its own; it prints nothing. */
    record ResourceCreated(Created resource) implements PlatformEvent {
        @Override
        public List<String> lines() {
            return List.of();
        }
    }
}
