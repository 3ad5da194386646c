package io.packlab.progress;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.packlab.engine.Created;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What packlab knows about one lesson: what its steps created in the engine (images by ID with the
 * tags packlab gave them, containers by ID, volumes by name), and the last failure. {@code legacyTags}
 * are tags that a packlab of progress format 1 recorded without the image ID: packlab cannot tell
 * whether they still name what it made, so {@code reset} keeps them.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LessonState(List<OwnedImage> images, List<String> containers, List<String> volumes,
        List<String> legacyTags, @JsonInclude(JsonInclude.Include.NON_NULL) String lastFailure,
        @JsonInclude(JsonInclude.Include.ALWAYS) int failures) {

    public LessonState {
        images = images == null ? List.of() : List.copyOf(images);
        containers = containers == null ? List.of() : List.copyOf(containers);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        legacyTags = legacyTags == null ? List.of() : List.copyOf(legacyTags);
    }

    public static LessonState empty() {
        return new LessonState(List.of(), List.of(), List.of(), List.of(), null, 0);
    }

    /** True when nothing created by the lesson is recorded. */
    public boolean createdNothing() {
        return images.isEmpty() && containers.isEmpty() && volumes.isEmpty() && legacyTags.isEmpty();
    }

    /** Adds what a step created; an image already recorded (same ID) gets the new tags. */
    public LessonState withCreated(List<Created> created) {
        Map<String, OwnedImage> byId = new LinkedHashMap<>();
        images.forEach(i -> byId.merge(i.id(), i, OwnedImage::merge));
        LinkedHashSet<String> cs = new LinkedHashSet<>(containers);
        LinkedHashSet<String> vs = new LinkedHashSet<>(volumes);
        for (Created c : created) {
            switch (c.kind()) {
                case IMAGE -> byId.merge(c.id(), new OwnedImage(c.id(), c.tags(), false), OwnedImage::merge);
                case TAG -> byId.merge(c.id(), new OwnedImage(c.id(), c.tags(), true), OwnedImage::merge);
                case CONTAINER -> cs.add(c.id());
                case VOLUME -> vs.add(c.id());
                default -> throw new IllegalArgumentException(c.kind().toString());
            }
        }
        return new LessonState(new ArrayList<>(byId.values()), new ArrayList<>(cs), new ArrayList<>(vs), legacyTags,
                lastFailure, failures);
    }

    /** The same failures, with only the given records of what was created (what a reset kept). */
    public LessonState withOnly(List<OwnedImage> keptImages, List<String> keptContainers, List<String> keptVolumes,
            List<String> keptLegacyTags) {
        return new LessonState(keptImages, keptContainers, keptVolumes, keptLegacyTags, lastFailure, failures);
    }

    public LessonState withFailure(String reason) {
        return new LessonState(images, containers, volumes, legacyTags, reason, failures + 1);
    }

    public LessonState passed() {
        return new LessonState(images, containers, volumes, legacyTags, null, 0);
    }
}
