/**
 * The built-in CNB platform: what {@code pack} does (buildpack new/package, builder create, build,
 * rebase), performed on the Docker Engine API, producing images with the CNB labels and layout.
 * Knows nothing about lessons.
 */
package io.packlab.cnb;
