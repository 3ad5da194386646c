/** Reproducible image writing: tar layers, image configs and {@code docker load} archives, on the Engine interface. */
package io.packlab.cnb.image;
