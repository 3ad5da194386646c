package io.packlab.cnb.descriptor;

import java.nio.file.Path;
import java.util.Optional;

/** Where a buildpack comes from: a local folder or archive, an image, or a URI kept as written. */
public sealed interface ModuleSource {

    /** A folder, {@code .tgz} or {@code .cnb} on this machine, as an absolute normalized path. */
    record Local(Path path) implements ModuleSource {
        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A buildpackage image ({@code docker://<ref>} or {@code image = "<ref>"}); the reference has no {@code docker://}. */
    record Image(String reference) implements ModuleSource {
        @Override
        public String toString() {
            return reference;
        }
    }

    /** A location kept as written: {@code http(s)://} archives, {@code urn:cnb:registry:}/{@code urn:cnb:builder:} and registry ids. */
    record Remote(String uri) implements ModuleSource {
        @Override
        public String toString() {
            return uri;
        }
    }

    /** The folder or archive on this machine, when it is one. */
    default Optional<Path> localPath() {
        return this instanceof Local local ? Optional.of(local.path()) : Optional.empty();
    }

    /**
     * Classifies a {@code uri} as pack does: {@code docker://} is an image; {@code urn:cnb:} and other schemes are kept;
     * {@code file://} and anything existing relative to {@code baseDir} are local; then a registry id
     * ({@code ns/name[@x.y.z]}), then an image reference; anything else is taken as a (missing) local path.
     */
    static ModuleSource of(String uri, Path baseDir) {
        return Locators.classify(uri, baseDir);
    }

    /** Whether {@code text} is an image reference ({@code [registry[:port]/]path[:tag][@sha256:digest]}). */
    static boolean isImageReference(String text) {
        return Locators.isImageReference(text);
    }

    /** Whether {@code text} has the form of a Buildpack Registry id ({@code namespace/name[@x.y.z]}), as pack tells it. */
    static boolean isRegistryId(String text) {
        return Locators.isRegistryId(text);
    }
}
