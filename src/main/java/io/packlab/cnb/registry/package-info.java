/**
 * A small client of the Registry HTTP API v2 for the built-in platform: image references,
 * manifests and configs, blob mounts and uploads; anonymous access and the bearer token flow.
 */
package io.packlab.cnb.registry;
