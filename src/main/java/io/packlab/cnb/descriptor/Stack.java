package io.packlab.cnb.descriptor;

import java.util.List;

/** A stack a buildpack supports ({@code [[stacks]]}, deprecated in Buildpack API 0.10); {@code *} means any. */
public record Stack(String id, List<String> mixins) {

    /** The stack id that matches every stack. */
    public static final String ANY = "*";

    public Stack {
        mixins = List.copyOf(mixins);
    }

    public boolean isAny() {
        return ANY.equals(id);
    }
}
