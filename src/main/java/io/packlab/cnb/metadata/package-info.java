/**
 * The CNB labels of an app image as typed values: {@code io.buildpacks.lifecycle.metadata} and
 * {@code io.buildpacks.build.metadata}, read once with clear errors and written back unchanged.
 */
package io.packlab.cnb.metadata;
