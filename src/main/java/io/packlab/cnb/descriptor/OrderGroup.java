package io.packlab.cnb.descriptor;

import java.util.List;

/** One {@code [[order]]} entry: a group of buildpacks that detect together, in order. */
public record OrderGroup(List<ModuleRef> group) {

    public OrderGroup {
        group = List.copyOf(group);
    }
}
