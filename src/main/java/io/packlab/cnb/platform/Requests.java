package io.packlab.cnb.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pack operation's arguments, as the command line gives them: a sealed type with one record per
 * operation that the built-in platform performs, so a caller handles each kind by name.
 */
public sealed interface Requests permits Requests.NewBuildpack, Requests.PackageBuildpack,
        Requests.CreateBuilder, Requests.Build, Requests.Rebase {

    /** {@code pack buildpack new ID --api A --path P --version V [--stacks S]... [--targets T]...}. */
    record NewBuildpack(String id, String api, Path path, String version, List<String> stacks,
            List<String> targets) implements Requests {
    }

    /** {@code pack buildpack package NAME --config package.toml}. */
    record PackageBuildpack(String name, Path config) implements Requests {
    }

    /** {@code pack builder create NAME --config builder.toml}. */
    record CreateBuilder(String name, Path config) implements Requests {
    }

    /**
     * {@code pack build IMAGE --builder B [--buildpack DIR|ARCHIVE|ID[@VERSION]|urn:cnb:builder:ID[@VERSION]|
     * docker://IMAGE|IMAGE|from=builder]... [--env K=V]...
     * [--path DIR] [--run-image R] [--clear-cache] [--default-process T]}.
     */
    record Build(String image, String builder, List<String> buildpacks, Map<String, String> env, Path appDir,
            Optional<String> runImage, boolean clearCache, Optional<String> defaultProcess) implements Requests {
    }

    /**
     * {@code pack rebase IMAGE [--run-image R] [--publish [--insecure-registry HOST:PORT]...] [--force]}:
     * with {@code publish} the app and run image are in registries and the result goes to the registry;
     * {@code insecureRegistries} are spoken to over plain http (loopback registries always are);
     * {@code force} overrides the checks of rebasable, target and run image name (Platform API 0.12).
     */
    record Rebase(String image, Optional<String> runImage, boolean publish, List<String> insecureRegistries,
            boolean force) implements Requests {

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
