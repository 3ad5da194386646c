package io.packlab.support;

import io.packlab.engine.BuildListener;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.ContainerSummary;
import io.packlab.engine.Engine;
import io.packlab.engine.EngineInfo;
import io.packlab.engine.ExecResult;
import io.packlab.engine.ImageDetails;
import io.packlab.engine.ImageInfo;
import io.packlab.engine.ImageSummary;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

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
        return new EngineInfo("fake://", "0", "1.41", "none", "linux", "x86_64", "/nonexistent",
                java.time.OffsetDateTime.now().toString());
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

    /** Containers the test puts in (listed by label filters, removed by ID); none are ever made. */
    private final List<ContainerSummary> containers = new java.util.ArrayList<>();

    public FakeEngine withContainer(ContainerSummary container) {
        containers.add(container);
        return this;
    }

    @Override
    public List<ContainerSummary> listContainers(List<String> labelFilters) {
        return containers.stream().filter(c -> labelFilters.stream().allMatch(f -> f.contains("=")
                ? f.substring(f.indexOf('=') + 1).equals(c.labels().get(f.substring(0, f.indexOf('='))))
                : c.labels().containsKey(f))).toList();
    }

    @Override
    public void removeContainer(String id) {
        containers.removeIf(c -> c.id().equals(id));
    }

    @Override
    public String build(BuildRequest request, BuildListener listener, Cancellation cancellation) {
        throw new UnsupportedOperationException("the fake engine does not build");
    }

    /** The fake knows images only as {@link ImageInfo}; code that writes images needs the real engine. */
    @Override
    public Optional<ImageDetails> imageDetails(String reference) {
        return Optional.empty();
    }

    @Override
    public List<String> loadImage(InputStream tar) {
        throw unsupported("load images");
    }

    @Override
    public InputStream saveImage(String reference) {
        throw unsupported("save images");
    }

    @Override
    public InputStream saveImages(List<String> references) {
        throw unsupported("save images");
    }

    @Override
    public void pushImage(String reference, io.packlab.engine.BuildListener listener) {
        throw unsupported("push images");
    }

    @Override
    public void tagImage(String source, String target) {
        throw unsupported("tag images");
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        throw unsupported("create containers");
    }

    @Override
    public void startContainer(String id) {
        throw unsupported("start containers");
    }

    @Override
    public void stopContainer(String id, int seconds) {
        throw unsupported("stop containers");
    }

    @Override
    public int waitContainer(String id) {
        throw unsupported("wait for containers");
    }

    @Override
    public String logs(String id) {
        throw unsupported("read container logs");
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, String user, Map<String, String> env,
            String workingDir, Consumer<String> output, Cancellation cancellation) {
        throw unsupported("run commands in containers");
    }

    @Override
    public void copyToContainer(String containerId, InputStream tar, String path) {
        throw unsupported("copy files into containers");
    }

    @Override
    public Optional<InputStream> copyFromContainer(String containerId, String path) {
        throw unsupported("copy files out of containers");
    }

    @Override
    public Optional<Integer> hostPort(String containerId, int containerPort) {
        throw unsupported("publish ports");
    }

    @Override
    public void createVolume(String name, Map<String, String> labels) {
        throw unsupported("create volumes");
    }

    @Override
    public List<String> listVolumes(List<String> labelFilters) {
        throw unsupported("list volumes");
    }

    @Override
    public void removeVolume(String name) {
        throw unsupported("remove volumes");
    }

    private static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException("the fake engine does not " + what);
    }

    @Override
    public void close() {
    }
}
