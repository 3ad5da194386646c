package io.packlab.config;

import io.packlab.error.PacklabException;
import java.util.List;
import java.util.Locale;

/**
 * Where the stack Dockerfiles take their bases from. {@code public}: the Dockerfiles' defaults
 * (Docker Hub, gcr.io); {@code local}: the images made by {@code scripts/make-bases.sh} from Debian
 * packages; {@code auto}: the local ones when the engine has them.
 */
public record BaseImages(Mode mode, List<LocalBase> locals) {

    public enum Mode {
        AUTO, LOCAL, PUBLIC;

        public static Mode parse(String text, String where) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw PacklabException.usage(where + ": the bases mode `" + text + "` is not one of auto, local, public.");
            }
        }
    }

    /** For a build context (relative to the work folder), the build arg that names its base, and the local image. */
    public record LocalBase(String context, String arg, String image) {
    }

    public BaseImages {
        locals = List.copyOf(locals);
    }

    public BaseImages withMode(Mode other) {
        return new BaseImages(other, locals);
    }
}
