package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.packlab.engine.Created;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformEventTest {

    @Test
    void eachEventPrintsTheLinesPackPrints() {
        assertEquals(List.of("===> DETECTING"), new PlatformEvent.PhaseStarted(PlatformEvent.Phase.DETECTING).lines());
        assertEquals(List.of("Adding layer 'examples/node:node'"), new PlatformEvent.LayerAdded("examples/node",
                "node").lines());
        assertEquals(List.of("Adding 1/1 app layer(s)"), new PlatformEvent.AppLayersAdded(1).lines());
        assertEquals(List.of("Adding cache layer 'examples/node:deps'"), new PlatformEvent.CacheLayerAdded(
                "examples/node", "deps").lines());
        assertEquals(List.of("Reusing 3 of 5 layer(s) of the previous image"), new PlatformEvent.LayersReused(3, 5)
                .lines());
        assertEquals(List.of("Adding buildpack examples/node@0.1.0 (Buildpack API 0.10)"),
                new PlatformEvent.BuildpackAdded("examples/node", "0.1.0", "0.10").lines());
        assertEquals(List.of("Saving webapp..."), new PlatformEvent.ImageSaving("webapp", PlatformEvent.Store.ENGINE)
                .lines());
        assertEquals(List.of("*** Images (sha256:0123456789ab):", "      webapp"), new PlatformEvent.ImageSaved(
                "webapp", "sha256:0123456789abcdef", PlatformEvent.Store.ENGINE).lines());
        assertEquals(List.of("*** Images (sha256:0123456789ab):", "      localhost:5000/webapp",
                "*** Digest: sha256:0123456789abcdef"), new PlatformEvent.ImageSaved("localhost:5000/webapp",
                "sha256:0123456789abcdef", PlatformEvent.Store.REGISTRY).lines());
        assertEquals(List.of("Successfully created builder image my-builder"), new PlatformEvent.ImageCreated(
                "builder image", "my-builder").lines());
    }

    @Test
    void theDefaultRenderingPrintsLinesAndHandsACreatedResourceToCreated() {
        RecordingReporter out = new RecordingReporter();
        out.event(new PlatformEvent.ImageSaving("webapp", PlatformEvent.Store.ENGINE));
        out.event(new PlatformEvent.ResourceCreated(Created.volume("pack-cache-x.build")));
        assertEquals(List.of("Saving webapp..."), out.lines, "a created resource prints nothing");
        assertEquals(List.of(Created.volume("pack-cache-x.build")), out.created);
    }
}
