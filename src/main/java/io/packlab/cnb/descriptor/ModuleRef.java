package io.packlab.cnb.descriptor;

import java.util.Objects;

/** A buildpack in an order group: id, version (empty when not given) and whether it is optional. */
public record ModuleRef(String id, String version, boolean optional) {

    public ModuleRef {
        Objects.requireNonNull(id, "id");
        version = Objects.requireNonNullElse(version, "");
    }

    /** {@code id@version}, or the id alone when there is no version. */
    public String fullName() {
        return version.isEmpty() ? id : id + "@" + version;
    }
}
