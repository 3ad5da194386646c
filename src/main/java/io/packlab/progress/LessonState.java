package io.packlab.progress;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
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
 * whether they still name what it made, so {@code reset} keeps them (see {@link #fromJson}).
 * {@code failingCheck} and {@code hint} are the text of the check (or step line) whose failure is
 * {@code lastFailure} and the hint the learner was shown for it; both optional in the file (older
 * packlabs neither write nor need them).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LessonState(List<OwnedImage> images, List<String> containers, List<String> volumes,
        List<String> legacyTags, @JsonInclude(JsonInclude.Include.NON_NULL) String lastFailure,
        @JsonInclude(JsonInclude.Include.ALWAYS) int failures,
        @JsonInclude(JsonInclude.Include.NON_NULL) String failingCheck,
        @JsonInclude(JsonInclude.Include.NON_NULL) String hint) {

    public LessonState {
        images = images == null ? List.of() : List.copyOf(images);
        containers = containers == null ? List.of() : List.copyOf(containers);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        legacyTags = legacyTags == null ? List.of() : List.copyOf(legacyTags);
    }

    /**
     * Reads both formats of {@code images}: format 2 lists {@code {"id": ..., "tags": [...]}}; format 1
     * listed tags alone, without the image ID, which become {@link #legacyTags()}: what they name now
     * may not be what packlab made, so reset keeps them.
     */
    @JsonCreator
    static LessonState fromJson(@JsonProperty("images") List<JsonNode> images,
            @JsonProperty("containers") List<String> containers, @JsonProperty("volumes") List<String> volumes,
            @JsonProperty("legacyTags") List<String> legacyTags, @JsonProperty("lastFailure") String lastFailure,
            @JsonProperty("failures") int failures, @JsonProperty("failingCheck") String failingCheck,
            @JsonProperty("hint") String hint) {
        List<OwnedImage> owned = new ArrayList<>();
        List<String> legacy = new ArrayList<>(legacyTags == null ? List.of() : legacyTags);
        for (JsonNode image : images == null ? List.<JsonNode>of() : images) {
            if (image.isTextual()) {
                legacy.add(image.asText());
            } else if (image.isObject() && image.path("id").isTextual()) {
                List<String> tags = new ArrayList<>();
                image.path("tags").forEach(t -> tags.add(t.asText()));
                owned.add(new OwnedImage(image.get("id").asText(), tags, image.path("tagOnly").asBoolean(false)));
            } else {
                throw new IllegalArgumentException("an entry of `images` is neither a tag nor {\"id\": ..., \"tags\":"
                        + " [...]}: " + image);
            }
        }
        return new LessonState(owned, containers, volumes, legacy, lastFailure, failures, failingCheck, hint);
    }

    public static LessonState empty() {
        return new LessonState(List.of(), List.of(), List.of(), List.of(), null, 0, null, null);
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
                lastFailure, failures, failingCheck, hint);
    }

    /** The same failures, with only the given records of what was created (what a reset kept). */
    public LessonState withOnly(List<OwnedImage> keptImages, List<String> keptContainers, List<String> keptVolumes,
            List<String> keptLegacyTags) {
        return new LessonState(keptImages, keptContainers, keptVolumes, keptLegacyTags, lastFailure, failures,
                failingCheck, hint);
    }

    public LessonState withFailure(String reason) {
        return withFailure(reason, null, null);
    }

    /** One more failure: why, the check (or step line) that failed, and the hint shown for it (either may be null). */
    public LessonState withFailure(String reason, String check, String shownHint) {
        return new LessonState(images, containers, volumes, legacyTags, reason, failures + 1, check, shownHint);
    }

    public LessonState passed() {
        return new LessonState(images, containers, volumes, legacyTags, null, 0, null, null);
    }
}
