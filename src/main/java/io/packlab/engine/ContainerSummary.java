package io.packlab.engine;

import java.util.Map;

/** One row of a container listing. */
public record ContainerSummary(String id, String name, String image, String state, Map<String, String> labels) {

    public ContainerSummary {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
