/**
 * The pack operations of the built-in platform: packaging buildpacks, creating builders, building
 * app images (detect, build, export, cache) and rebasing them.
 */
package io.packlab.cnb.platform;
