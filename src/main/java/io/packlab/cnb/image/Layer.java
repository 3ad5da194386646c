package io.packlab.cnb.image;

import java.nio.file.Path;

/**
 * A layer tar written to disk: its file, its diff ID ({@code sha256:<hex>} of the uncompressed tar,
 * as {@code rootfs.diff_ids} lists it) and its size in bytes.
 */
public record Layer(Path path, String diffId, long size) {
}
