package io.packlab.support;

import io.packlab.engine.BuildListener;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSummary;
import io.packlab.engine.Engine;
import io.packlab.engine.EngineInfo;
import io.packlab.engine.ImageInfo;
import io.packlab.engine.ImageSummary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A stand-in engine for unit tests of checks: images are what the test puts in. Never proof that a lesson works. */
public final class FakeEngine implements Engine {

    private final Map<String, ImageInfo> images = new HashMap<>();
    public int inspections;

    public FakeEngine with(String ref, ImageInfo image) {
        images.put(ref, image);
        return this;
    }

    public static ImageInfo image(String id, Map<String, String> labels, List<String> env, String user) {
        return new ImageInfo(id, List.of(), labels, env, user, "", List.of(), List.of(), List.of("sha256:aa", "sha256:bb"), 1);
    }

    @Override
    public EngineInfo info() {
        return new EngineInfo("fake://", "0", "1.41", "none", "linux", "x86_64", "/nonexistent");
    }

    @Override
    public Optional<ImageInfo> inspectImage(String reference) {
        inspections++;
        return Optional.ofNullable(images.get(reference));
    }

    @Override
    public List<ImageSummary> listImages(List<String> labelFilters) {
        return List.of();
    }

    @Override
    public boolean removeImage(String reference, boolean force) {
        return images.remove(reference) != null;
    }

    @Override
    public List<ContainerSummary> listContainers(List<String> labelFilters) {
        return List.of();
    }

    @Override
    public void removeContainer(String id) {
    }

    @Override
    public String build(BuildRequest request, BuildListener listener, Cancellation cancellation) {
        throw new UnsupportedOperationException("the fake engine does not build");
    }

    @Override
    public void close() {
    }
}
