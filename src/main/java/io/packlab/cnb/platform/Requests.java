package io.packlab.cnb.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pack operations' arguments, as the command lines give them. */
public final class Requests {

    private Requests() {
    }

    /** {@code pack buildpack new ID --api A --path P --version V [--stacks S]... [--targets T]...}. */
    public record NewBuildpack(String id, String api, Path path, String version, List<String> stacks,
            List<String> targets) {
    }

    /** {@code pack buildpack package NAME --config package.toml}. */
    public record PackageBuildpack(String name, Path config) {
    }

    /** {@code pack builder create NAME --config builder.toml}. */
    public record CreateBuilder(String name, Path config) {
    }

    /**
     * {@code pack build IMAGE --builder B [--buildpack DIR|ID@VERSION|IMAGE]... [--env K=V]...
     * [--path DIR] [--run-image R] [--clear-cache] [--default-process T]}.
     */
    public record Build(String image, String builder, List<String> buildpacks, Map<String, String> env, Path appDir,
            Optional<String> runImage, boolean clearCache, Optional<String> defaultProcess) {
    }

    /**
     * {@code pack rebase IMAGE [--run-image R] [--publish [--insecure-registry HOST:PORT]...] [--force]}:
     * with {@code publish} the app and run image are in registries and the result goes to the registry;
     * {@code insecureRegistries} are spoken to over plain http (loopback registries always are);
     * {@code force} overrides the checks of rebasable, target and run image name (Platform API 0.12).
     */
    public record Rebase(String image, Optional<String> runImage, boolean publish, List<String> insecureRegistries,
            boolean force) {

        /** A rebase without --force. */
        public Rebase(String image, Optional<String> runImage, boolean publish, List<String> insecureRegistries) {
            this(image, runImage, publish, insecureRegistries, false);
        }

        /** A rebase in the Docker engine. */
        public Rebase(String image, Optional<String> runImage) {
            this(image, runImage, false, List.of());
        }
    }
}
