package io.packlab.cnb.descriptor;

import java.util.Objects;

/** An OS distribution of a target ({@code [[targets.distros]]}); an empty field matches any. */
public record Distro(String name, String version) {

    public Distro {
        name = Objects.requireNonNullElse(name, "");
        version = Objects.requireNonNullElse(version, "");
    }

    @Override
    public String toString() {
        return version.isEmpty() ? name : name + "@" + version;
    }
}
