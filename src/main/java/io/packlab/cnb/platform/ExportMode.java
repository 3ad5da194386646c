package io.packlab.cnb.platform;

import java.util.Locale;

/**
 * How the exporter learns a launch layer's diff ID and size, which the engine's load wants before the layer's bytes:
 * {@link #HASH_FIRST} reads the layer from the build container once to hash it and again only when it is sent (an
 * unchanged layer is read once and never sent); {@link #SPILL} writes it to a temp file while hashing, which the load
 * then reads and deletes. Chosen with the system property {@code packlab.export} or the environment variable
 * {@code PACKLAB_EXPORT} ({@code hash-first}, the default, or {@code spill}). On a quiet machine the two build a new
 * 512 MiB layer in the same time (the second read costs what the temp file's write and read cost), and hash-first
 * rebuilds an unchanged one without writing it to disk, so it is the default.
 */
enum ExportMode {
    HASH_FIRST,
    SPILL;

    static ExportMode current() {
        String v = System.getProperty("packlab.export", System.getenv("PACKLAB_EXPORT"));
        if (v == null || v.isBlank()) {
            return HASH_FIRST;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "spill" -> SPILL;
            case "hash-first" -> HASH_FIRST;
            default -> throw PlatformException.refused("PACKLAB_EXPORT (or -Dpacklab.export) is `" + v
                    + "`; it may be hash-first or spill.");
        };
    }
}
