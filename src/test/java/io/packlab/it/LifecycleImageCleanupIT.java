package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.platform.LifecycleImage;
import io.packlab.cnb.platform.Reporter;
import io.packlab.engine.BuildListener;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import io.packlab.engine.ImageSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a new launcher image is built, older {@code packlab/lifecycle} images go, on a real engine: one with packlab's
 * source label and no container is removed; one without the label (same repository) is kept; one a container was made
 * from is kept; one that also has someone else's tag keeps that tag and loses only packlab's. The launcher images the
 * engine had before the test (real ones, perhaps of another checkout's source) are shielded by a container for the
 * test's duration, and the current one is untouched. Test images are made FROM the local Debian base with a label.
 */
class LifecycleImageCleanupIT {

    private static final String LABEL = "packlab-it-lifecycle-cleanup";
    private static final String BASE = "packlab-base/debian:bookworm-slim";
    private static final String OLD = LifecycleImage.REPOSITORY + ":itold0000001";
    private static final String UNLABELLED = LifecycleImage.REPOSITORY + ":itnolabel001";
    private static final String USED = LifecycleImage.REPOSITORY + ":itold0000003";
    private static final String SHARED = LifecycleImage.REPOSITORY + ":itold0000004";
    private static final String OTHERS = "packlab-it-lifecycle-cleanup/user:kept";

    @TempDir
    static Path context;

    private static DockerEngine engine;
    private static Set<String> before;
    private static final List<String> containers = new ArrayList<>();
    private static Optional<String> current;

    @BeforeAll
    static void images() throws Exception {
        engine = DockerSupport.engine();
        assertTrue(engine.inspectImage(BASE).isPresent(), BASE + " is made by scripts/make-bases.sh");
        before = DockerSupport.leftovers(engine);
        current = engine.inspectImage(LifecycleImage.reference()).map(ImageInfo::id);
        for (ImageSummary real : engine.listImages(List.of(LifecycleImage.LABEL_SOURCE))) {
            containers.add(engine.createContainer(ContainerSpec.idle(real.id(), Map.of(Engine.LESSON_LABEL, LABEL))));
        }
        Files.writeString(context.resolve("Dockerfile"), "FROM " + BASE + "\n");
        build(List.of(OLD), true, "a");
        build(List.of(UNLABELLED), false, "b");
        build(List.of(USED), true, "c");
        build(List.of(SHARED, OTHERS), true, "d");
        containers.add(engine.createContainer(ContainerSpec.idle(USED, Map.of(Engine.LESSON_LABEL, LABEL))));
    }

    private static void build(List<String> tags, boolean sourceLabel, String which) throws Exception {
        Map<String, String> labels = new HashMap<>(Map.of(Engine.LESSON_LABEL, LABEL, "io.packlab.test.which", which));
        if (sourceLabel) {
            labels.put(LifecycleImage.LABEL_SOURCE, "an-earlier-source-" + which);
        }
        engine.build(new BuildRequest(context, Optional.empty(), tags, Map.of(), labels, false, false),
                BuildListener.silent(), Cancellation.none());
    }

    @AfterAll
    static void cleanUp() {
        if (engine == null) {
            return;
        }
        try {
            containers.forEach(engine::removeContainer);
            for (String tag : List.of(OLD, UNLABELLED, USED, SHARED, OTHERS)) {
                engine.removeImage(tag, false);
            }
            assertTrue(engine.listImages(Engine.labelFilter(Engine.LESSON_LABEL, LABEL)).isEmpty(),
                    "the test's images are gone");
            assertEquals(before, DockerSupport.leftovers(engine), "no container, volume or dangling image left");
        } finally {
            engine.close();
        }
    }

    @Test
    void olderLabelledUnusedLauncherImagesGoAndNothingElse() {
        List<String> said = new ArrayList<>();
        LifecycleImage.removeOlder(engine, new Reporter() {
            @Override
            public void info(String text) {
                said.add(text);
            }

            @Override
            public void output(String text) {
                said.add(text);
            }
        });
        assertTrue(engine.inspectImage(OLD).isEmpty(), "the older labelled image without a container is removed");
        assertTrue(said.contains("Removed " + OLD + ", packlab's launcher image of an earlier source"), said.toString());
        assertTrue(engine.inspectImage(UNLABELLED).isPresent(), "an image without packlab's label is never touched");
        assertTrue(engine.inspectImage(USED).isPresent(), "an image a container was made from is kept");
        assertTrue(engine.inspectImage(SHARED).isEmpty(), "packlab's tag of a shared image goes");
        assertEquals("d", engine.inspectImage(OTHERS).orElseThrow().labels().get("io.packlab.test.which"),
                "the other tag keeps the image");
        assertEquals(current, engine.inspectImage(LifecycleImage.reference()).map(ImageInfo::id),
                "the current launcher image is as it was");
        assertEquals(2, said.size(), "one line per removed tag: " + said);
        assertFalse(said.stream().anyMatch(l -> l.contains(UNLABELLED) || l.contains(USED)), said.toString());
    }
}
