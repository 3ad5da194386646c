package io.packlab.cnb.descriptor;

import java.util.Objects;

/** A license of a buildpack ({@code [[buildpack.licenses]]}): an SPDX type and/or a URI; empty when not given. */
public record License(String type, String uri) {

    public License {
        type = Objects.requireNonNullElse(type, "");
        uri = Objects.requireNonNullElse(uri, "");
    }
}
