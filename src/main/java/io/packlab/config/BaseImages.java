package io.packlab.config;

import io.packlab.error.PacklabException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

    /** The build stack's context: packlab's launcher image is compiled on its base too (a Debian with apt). */
    public static final String BUILD_STACK_CONTEXT = "stacks/distroless-python/build";

    public BaseImages {
        locals = List.copyOf(locals);
    }

    /** The local image that stands in for the base of {@code context}; empty in public mode or when none is listed. */
    public Optional<String> localFor(String context) {
        return mode == Mode.PUBLIC ? Optional.empty()
                : locals.stream().filter(b -> b.context().equals(context)).map(LocalBase::image).findFirst();
    }

    public BaseImages withMode(Mode other) {
        return new BaseImages(other, locals);
    }
}
