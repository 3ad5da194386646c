package io.packlab.engine;

import java.util.List;

/**
 * Something packlab itself created in the engine, as reported by the code that created it: an image
 * (its ID and the tags packlab gave it), a tag packlab put on an image it did not make, a container
 * or a volume. {@code reset} removes only what was reported this way.
 */
public record Created(Kind kind, String id, List<String> tags) {

    /** What was created. */
    public enum Kind {
        /** An image packlab wrote (a build, a package, a builder, a rebase, a kit image). */
        IMAGE,
        /** Only a tag, on an image that may not be packlab's ({@code docker tag}). */
        TAG,
        CONTAINER,
        /** A volume; its name is its ID. */
        VOLUME
    }

    public Created {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public static Created image(String id, List<String> tags) {
        return new Created(Kind.IMAGE, id, tags);
    }

    public static Created tag(String id, String tag) {
        return new Created(Kind.TAG, id, List.of(tag));
    }

    public static Created container(String id) {
        return new Created(Kind.CONTAINER, id, List.of());
    }

    public static Created volume(String name) {
        return new Created(Kind.VOLUME, name, List.of());
    }
}
