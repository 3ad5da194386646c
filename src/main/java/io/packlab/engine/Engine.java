package io.packlab.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container engine packlab works on. {@link DockerEngine} is the real one; unit tests of checks
 * may use a stand-in.
 */
public interface Engine extends AutoCloseable {

    /** The label that marks every image, container and volume packlab itself creates. */
    String LESSON_LABEL = "io.packlab.lesson";

    /** Connects (if not yet) and describes the daemon; throws {@link EngineUnavailableException}. */
    EngineInfo info();

    Optional<ImageInfo> inspectImage(String reference);

    /** Images carrying all the given labels ({@code key} alone or {@code key=value}). */
    List<ImageSummary> listImages(List<String> labelFilters);

    /** Removes one reference (a tag or an ID); returns false when it did not exist. */
    boolean removeImage(String reference, boolean force);

    List<ContainerSummary> listContainers(List<String> labelFilters);

    void removeContainer(String id);

    /** Builds an image and returns its ID; streams output to the listener; stops on cancellation. */
    String build(BuildRequest request, BuildListener listener, Cancellation cancellation) throws InterruptedException;

    /**
     * The image config as JSON (architecture, os, config, rootfs.diff_ids, history), for writing
     * new images on top of it; empty when the image does not exist.
     */
    Optional<ImageDetails> imageDetails(String reference);

    /**
     * Loads images from a tar stream in the {@code docker save} format (POST /images/load); layers
     * the daemon already has may be given as empty entries. Returns the loaded image references
     * ("Loaded image: ..." lines) and IDs.
     */
    List<String> loadImage(java.io.InputStream tar);

    /**
     * The image as a {@code docker save} tar stream (legacy layout: manifest.json, config, one
     * {@code layer.tar} per layer); the caller closes it.
     */
    java.io.InputStream saveImage(String reference);

    /**
     * Several images ({@code name:tag} references) as one {@code docker save} tar stream, layers they
     * share stored once, one manifest.json entry per image; the caller closes it.
     */
    java.io.InputStream saveImages(List<String> references);

    /** Pushes {@code reference} (REGISTRY/NAME:TAG) to its registry, streaming progress lines. */
    void pushImage(String reference, BuildListener listener);

    /** Tags an image: {@code source} (ID or reference) gets {@code target} ({@code repo:tag}). */
    void tagImage(String source, String target);

    /** Creates a container (not started); returns its ID. */
    String createContainer(ContainerSpec spec);

    void startContainer(String id);

    /** Stops a running container (waits up to {@code seconds}, then kills it). */
    void stopContainer(String id, int seconds);

    /**
     * Runs a command in a running container as {@code user} (null: the container's), with extra
     * env, in {@code workingDir} (null: the container's); streams its output (stdout and stderr)
     * line by line; stops when cancelled.
     */
    ExecResult exec(String containerId, List<String> command, String user, Map<String, String> env,
            String workingDir, java.util.function.Consumer<String> output, Cancellation cancellation)
            throws InterruptedException;

    /** Extracts a tar stream into the container at {@code path} (a folder that exists). */
    void copyToContainer(String containerId, java.io.InputStream tar, String path);

    /**
     * A tar stream of {@code path} in the container (its last path element is the top entry, as
     * {@code docker cp} does); the caller closes it. Empty when the path does not exist.
     */
    Optional<java.io.InputStream> copyFromContainer(String containerId, String path);

    /** The host port that a container's {@code containerPort}/tcp is published on. */
    Optional<Integer> hostPort(String containerId, int containerPort);

    /**
     * The host that published ports are reached on: this machine's loopback, unless the engine is
     * reached over the network (then the host its address names).
     */
    default String publishedHost() {
        return "127.0.0.1";
    }

    /** How packlab reaches a remote engine (address, TLS), for doctor; empty for a local socket. */
    default Optional<String> connection() {
        return Optional.empty();
    }

    /** Waits until a started container stops; returns its exit code. */
    int waitContainer(String id);

    /** What a container wrote so far, stdout and stderr interleaved as the engine kept them. */
    String logs(String id);

    /** Creates a volume with labels (nothing happens if it exists). */
    void createVolume(String name, Map<String, String> labels);

    /** Volume names carrying all the given labels. */
    List<String> listVolumes(List<String> labelFilters);

    void removeVolume(String name);

    @Override
    void close();

    /** Convenience: the map form of a single label filter. */
    static List<String> labelFilter(String key, String value) {
        return List.of(value == null ? key : key + "=" + value);
    }

    static List<String> labelFilter(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
