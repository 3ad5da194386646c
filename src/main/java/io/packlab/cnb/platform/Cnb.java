package io.packlab.cnb.platform;

/** Names, paths and versions of the CNB formats that the built-in platform writes. */
public final class Cnb {

    private Cnb() {
    }

    /** The Platform API the images claim (runImage.image in metadata, rebase by target and stack). */
    public static final String PLATFORM_API = "0.12";

    /**
     * The lifecycle version builders name ({@code io.buildpacks.builder.metadata} lifecycle.version):
     * a semantic version, as pack parses it, whose pre-release tag says it is packlab's built-in
     * platform, not a lifecycle release; 0.21 is the lifecycle whose Buildpack APIs (0.7-0.12) it runs.
     */
    public static final String LIFECYCLE_VERSION = "0.21.0-packlab";

    /** What the build metadata names as the launcher's source (packlab's own: see LifecycleImage). */
    public static final String PLATFORM_NAME = "packlab built-in platform";

    public static final String BUILDPACKS_DIR = "/cnb/buildpacks";
    public static final String LAYERS_DIR = "/layers";
    public static final String APP_DIR = "/workspace";
    public static final String PLATFORM_DIR = "/platform";
    /** Operator-defined build env of a builder ({@code [[build.env]]}), as pack writes it. */
    public static final String BUILD_CONFIG_ENV_DIR = "/cnb/build-config/env";

    public static final String LABEL_STACK_ID = "io.buildpacks.stack.id";
    public static final String LABEL_STACK_MIXINS = "io.buildpacks.stack.mixins";
    public static final String LABEL_BUILDPACKAGE = "io.buildpacks.buildpackage.metadata";
    public static final String LABEL_BUILDPACK_LAYERS = "io.buildpacks.buildpack.layers";
    public static final String LABEL_BUILDPACK_ORDER = "io.buildpacks.buildpack.order";
    public static final String LABEL_BUILDER = "io.buildpacks.builder.metadata";
    public static final String LABEL_LIFECYCLE = "io.buildpacks.lifecycle.metadata";
    public static final String LABEL_BUILD = "io.buildpacks.build.metadata";
    public static final String LABEL_PROJECT = "io.buildpacks.project.metadata";

    /** The buildpack folder inside images: {@code /cnb/buildpacks/<id with / as _>/<version>}. */
    public static String buildpackDir(String id, String version) {
        return BUILDPACKS_DIR + "/" + escape(id) + "/" + version;
    }

    /** pack's directory form of a buildpack id. */
    public static String escape(String id) {
        return id.replace('/', '_');
    }
}
