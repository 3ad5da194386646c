package io.packlab.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code docker build}: the context directory, the Dockerfile (relative to the context, or
 * absolute), tags, build args and labels to add.
 */
public record BuildRequest(Path context, Optional<Path> dockerfile, List<String> tags,
        Map<String, String> buildArgs, Map<String, String> labels, boolean noCache, boolean pull) {

    public BuildRequest {
        tags = List.copyOf(tags);
        buildArgs = Map.copyOf(buildArgs);
        labels = Map.copyOf(labels);
    }
}
