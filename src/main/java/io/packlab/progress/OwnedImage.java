package io.packlab.progress;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An image packlab made for a lesson: its ID and the tags packlab gave it. With {@code tagOnly}
 * packlab only tagged it ({@code docker tag}): the image itself may be someone else's.
 */
public record OwnedImage(String id, List<String> tags,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean tagOnly) {

    public OwnedImage {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** The same image with more tags; made by packlab if either record says so. */
    OwnedImage merge(OwnedImage other) {
        LinkedHashSet<String> all = new LinkedHashSet<>(tags);
        all.addAll(other.tags);
        return new OwnedImage(id, new ArrayList<>(all), tagOnly && other.tagOnly);
    }
}
