/** The offline kit: the images the tutorial needs saved to one archive, and loaded back into an engine. */
package io.packlab.kit;
