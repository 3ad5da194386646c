/**
 * CNB descriptors, validated right after parsing (buildpack.toml, package.toml, builder.toml), and what
 * {@code pack buildpack new} writes.
 */
package io.packlab.cnb.descriptor;
