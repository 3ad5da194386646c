package io.packlab.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An image's full configuration as the OCI image config holds it (architecture, os, config, rootfs,
 * history), for code that writes new images on top of it.
 *
 * @param id     the image ID (sha256 of the config)
 * @param config the image config JSON: {@code architecture}, {@code os}, {@code config} (Env, User,
 *               Labels, Entrypoint, Cmd, WorkingDir, ExposedPorts...), {@code rootfs.diff_ids},
 *               {@code history} when the engine reports it
 */
public record ImageDetails(String id, ObjectNode config) {
}
