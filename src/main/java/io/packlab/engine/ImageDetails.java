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

    /** How many history entries stand for a layer (those not marked {@code empty_layer}). */
    public static int nonEmptyHistory(com.fasterxml.jackson.databind.JsonNode history) {
        int n = 0;
        for (com.fasterxml.jackson.databind.JsonNode entry : history) {
            if (!entry.path("empty_layer").asBoolean(false)) {
                n++;
            }
        }
        return n;
    }
}
