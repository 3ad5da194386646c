package io.packlab.engine;

import java.util.List;
import java.util.Map;

/** One row of an image listing. */
public record ImageSummary(String id, List<String> repoTags, Map<String, String> labels, long created, long size) {

    public ImageSummary {
        repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
