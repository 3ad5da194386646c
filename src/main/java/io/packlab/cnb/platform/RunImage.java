package io.packlab.cnb.platform;

import io.packlab.engine.ImageDetails;

/** The run image of a build: as the engine has it, and the name it was given by. */
record RunImage(ImageDetails details, String reference) {
}
