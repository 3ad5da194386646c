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
