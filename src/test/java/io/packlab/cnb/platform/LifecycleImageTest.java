package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import io.packlab.error.PacklabException;
import io.packlab.support.FakeEngine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The launcher image's name and when it is built, without Docker. */
class LifecycleImageTest {

    @Test
    void theTagIsTheHashOfTheSourceInTheJar() {
        String hash = LifecycleImage.sourceHash();
        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        assertEquals(hash, LifecycleImage.sourceHash(), "the same source, the same hash");
        assertEquals("packlab/lifecycle:" + hash.substring(0, 12), LifecycleImage.reference());
        assertTrue(LifecycleImage.version().matches("\\d+\\.\\d+\\.\\d+\\+packlab\\.[0-9a-f]{12}"),
                "a semantic version: " + LifecycleImage.version());
    }

    @Test
    void anImageThatIsThereIsNotBuiltAgain() throws Exception {
        FakeEngine engine = new FakeEngine().with(LifecycleImage.reference(),
                FakeEngine.image("sha256:l", Map.of(), List.of(), ""));
        assertEquals(LifecycleImage.reference(), LifecycleImage.ensure(engine, LifecycleImage.Base.publicDefault(),
                Reporter.quiet(), Cancellation.none()), "the fake engine refuses to build: it was not asked");
    }

    @Test
    void aMissingLocalBaseFailsWhenLocalBasesAreRequiredAndIsSkippedOtherwise() throws Exception {
        FakeEngine engine = new FakeEngine();
        PlatformException e = assertThrows(PlatformException.class, () -> LifecycleImage.ensure(engine,
                new LifecycleImage.Base(Optional.of("packlab-base/debian:bookworm-slim"), true), Reporter.quiet(),
                Cancellation.none()));
        assertEquals(PacklabException.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("sudo scripts/make-bases.sh"), e.getMessage());
        AtomicReference<Map<String, String>> args = new AtomicReference<>();
        engine.onBuild = r -> {
            args.set(r.buildArgs());
            return "sha256:l";
        };
        LifecycleImage.ensure(engine, new LifecycleImage.Base(Optional.of("packlab-base/debian:bookworm-slim"), false),
                Reporter.quiet(), Cancellation.none());
        assertEquals(Map.of(), args.get(), "auto: the Dockerfile's public default");
    }

    private static io.packlab.engine.ImageInfo image(String id, List<String> tags, Map<String, String> labels) {
        return new io.packlab.engine.ImageInfo(id, tags, labels, List.of(), "", "", List.of(), List.of(), List.of(), 1);
    }

    @Test
    void buildingANewLauncherImageRemovesOlderLabelledOnesThatNoContainerUses() throws Exception {
        Map<String, String> label = Map.of(LifecycleImage.LABEL_SOURCE, "earlier");
        FakeEngine engine = new FakeEngine()
                .withImage(image("sha256:old", List.of("packlab/lifecycle:000000000001"), label))
                .withImage(image("sha256:plain", List.of("packlab/lifecycle:000000000002"), Map.of()))
                .withImage(image("sha256:used", List.of("packlab/lifecycle:000000000003"), label))
                .withImage(image("sha256:other", List.of("someone/else:1"), label))
                .withContainer(new io.packlab.engine.ContainerSummary("c1", "c1", "packlab/lifecycle:000000000003",
                        "exited", Map.of()));
        engine.onBuild = r -> {
            engine.withImage(image("sha256:new", r.tags(), r.labels()));
            return "sha256:new";
        };
        List<String> said = new java.util.ArrayList<>();
        LifecycleImage.ensure(engine, LifecycleImage.Base.publicDefault(), new Reporter() {
            @Override
            public void info(String line) {
                said.add(line);
            }

            @Override
            public void output(String line) {
            }
        }, Cancellation.none());
        assertTrue(engine.inspectImage(LifecycleImage.reference()).isPresent(), "the new one stays");
        assertTrue(engine.inspectImage("packlab/lifecycle:000000000001").isEmpty(), "the older labelled one goes");
        assertTrue(engine.inspectImage("packlab/lifecycle:000000000002").isPresent(), "no label: kept");
        assertTrue(engine.inspectImage("packlab/lifecycle:000000000003").isPresent(), "a container's: kept");
        assertTrue(engine.inspectImage("someone/else:1").isPresent(), "another repository: kept");
        assertEquals("Removed packlab/lifecycle:000000000001, packlab's launcher image of an earlier source",
                said.get(said.size() - 1));
    }
}
