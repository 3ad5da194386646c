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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/** A stand-in engine for unit tests of checks: images are what the test puts in. Never proof that a lesson works. */
public final class FakeEngine implements Engine {

    private final Map<String, ImageInfo> images = new HashMap<>();
    private final List<ContainerSummary> containers = new ArrayList<>();
    private final Map<String, Map<String, String>> volumes = new TreeMap<>();
    public int inspections;
    /** What {@link #build} does; unset, the fake engine refuses to build. */
    public java.util.function.Function<BuildRequest, String> onBuild;

    public FakeEngine with(String ref, ImageInfo image) {
        images.put(ref, image);
        return this;
    }

    /** An image known by its ID and by each of its tags (listed by {@link #listImages}). */
    public FakeEngine withImage(ImageInfo image) {
        images.put(image.id(), image);
        for (String tag : image.repoTags()) {
            images.put(tag, image);
            if (tag.endsWith(":latest")) { // the engine finds name:latest by its name alone
                images.put(tag.substring(0, tag.length() - ":latest".length()), image);
            }
        }
        return this;
    }

    public FakeEngine withContainer(ContainerSummary container) {
        containers.add(container);
        return this;
    }

    public FakeEngine withVolume(String name, Map<String, String> labels) {
        volumes.put(name, Map.copyOf(labels));
        return this;
    }

    /** True when the labels carry every filter ({@code key} or {@code key=value}), as the engine filters. */
    private static boolean matches(Map<String, String> labels, List<String> filters) {
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq < 0 ? !labels.containsKey(f) : !f.substring(eq + 1).equals(labels.get(f.substring(0, eq)))) {
                return false;
            }
        }
        return true;
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
        return images.values().stream().distinct().filter(i -> matches(i.labels(), labelFilters))
                .map(i -> new ImageSummary(i.id(), i.repoTags(), i.labels(), 0, i.size())).toList();
    }

    @Override
    public boolean removeImage(String reference, boolean force) {
        return images.remove(reference) != null;
    }

    @Override
    public List<ContainerSummary> listContainers(List<String> labelFilters) {
        return containers.stream().filter(c -> matches(c.labels(), labelFilters)).toList();
    }

    @Override
    public void removeContainer(String id) {
        containers.removeIf(c -> c.id().equals(id));
    }

    @Override
    public String build(BuildRequest request, BuildListener listener, Cancellation cancellation) {
        if (onBuild != null) {
            return onBuild.apply(request);
        }
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
        return volumes.entrySet().stream().filter(e -> matches(e.getValue(), labelFilters)).map(Map.Entry::getKey)
                .toList();
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
