package io.packlab.step;

import io.packlab.cnb.platform.Requests;
import io.packlab.error.PacklabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code pack} command lines that the built-in platform performs, parsed with picocli into
 * one of the {@link Requests}. Options pack has that change nothing here (--pull-policy,
 * --trust-builder, --verbose) are accepted; others are refused by name.
 */
public final class PackArgs {

    private PackArgs() {
    }

    /** Parses {@code args} (the words after "pack"); relative paths are resolved against {@code cwd}. */
    public static Requests parse(List<String> args, Path cwd) {
        Root root = new Root();
        CommandLine cl = new CommandLine(root);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.ParseResult result;
        try {
            result = cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw PacklabException.usage("pack " + String.join(" ", args) + ": " + e.getMessage()
                    + ". The built-in platform performs `pack buildpack new`, `pack buildpack package --config`,"
                    + " `pack builder create --config`, `pack build --builder` and `pack rebase`; install pack for"
                    + " anything else.");
        }
        CommandLine.ParseResult leaf = result;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        if (!(leaf.commandSpec().userObject() instanceof Operation operation)) {
            throw PacklabException.usage("`pack " + String.join(" ", args) + "` names no operation. The built-in"
                    + " platform performs: pack buildpack new, pack buildpack package, pack builder create,"
                    + " pack build, pack rebase.");
        }
        operation.cwd(cwd);
        return operation.request();
    }

    interface Resolving {
        void cwd(Path cwd);
    }

    /** A command that names one pack operation: its request, once the current folder is known. */
    interface Operation extends Resolving {
        Requests request();
    }

    /** The shared options that pack accepts on every command and that change nothing here. */
    static class Common implements Resolving {
        @Option(names = "--pull-policy", paramLabel = "always|never|if-not-present",
                description = "Accepted; the built-in platform uses images the engine has.")
        String pullPolicy;

        @Option(names = {"-v", "--verbose"}, description = "Accepted.")
        boolean verbose;

        @Option(names = {"-q", "--quiet"}, description = "Accepted.")
        boolean quiet;

        @Option(names = "--no-color", description = "Accepted.")
        boolean noColor;

        Path cwd = Path.of("");

        @Override
        public void cwd(Path dir) {
            this.cwd = dir;
        }

        Path resolve(String path) {
            return cwd.resolve(path).normalize();
        }

        /**
         * The file ({@code folder} false) or folder that a path option names, resolved against the
         * current folder; when it is not there, a usage error naming the option, the path as given, where
         * that is, and the folder relative paths start at.
         */
        Path existing(String option, String given, boolean folder, String advice) {
            Path path = resolve(given);
            if (folder ? Files.isDirectory(path) : Files.isRegularFile(path)) {
                return path;
            }
            String problem = !Files.exists(path) ? "which does not exist"
                    : folder ? "which is a file, not a folder" : "which is a folder, not a file";
            throw PacklabException.usage(option + " " + given + " names " + path + ", " + problem + (path.isAbsolute()
                    && !Path.of(given).isAbsolute() ? " (relative paths start at the current folder, " + cwd + ")" : "")
                    + ". " + advice);
        }

        void checkPullPolicy() {
            if (pullPolicy != null && !pullPolicy.matches("(?i)always|never|if-not-present")) {
                throw PacklabException.usage("--pull-policy must be always, never or if-not-present, not `"
                        + pullPolicy + "`.");
            }
        }
    }

    @Command(name = "pack", subcommands = {BuildpackGroup.class, BuilderGroup.class, BuildCmd.class, RebaseCmd.class,
        PackageBuildpackCmd.class, CreateBuilderCmd.class})
    static final class Root implements Group {
    }

    interface Group {
    }

    @Command(name = "buildpack", aliases = "buildpacks", subcommands = {NewCmd.class, PackageCmd.class})
    static final class BuildpackGroup implements Group {
    }

    @Command(name = "builder", aliases = "builders", subcommands = CreateCmd.class)
    static final class BuilderGroup implements Group {
    }

    @Command(name = "new")
    static final class NewCmd extends Common implements Operation {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = {"-a", "--api"}, defaultValue = "0.8")
        String api;

        @Option(names = {"-p", "--path"})
        String path;

        @Option(names = {"-V", "--version"}, defaultValue = "1.0.0")
        String version;

        @Option(names = {"-s", "--stacks"}, split = ",")
        List<String> stacks = new ArrayList<>();

        @Option(names = {"-t", "--targets"}, split = ",")
        List<String> targets = new ArrayList<>();

        @Override
        public Requests.NewBuildpack request() {
            String dir = path != null ? path : id.substring(id.lastIndexOf('/') + 1);
            return new Requests.NewBuildpack(id, api, resolve(dir), version, stacks, targets);
        }
    }

    @Command(name = "package")
    static class PackageCmd extends Common implements Operation {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = {"-c", "--config"})
        String config;

        @Option(names = {"-f", "--format"}, defaultValue = "image")
        String format;

        @Option(names = "--publish")
        boolean publish;

        @Override
        public Requests.PackageBuildpack request() {
            checkPullPolicy();
            if (config == null) {
                throw PacklabException.usage("pack buildpack package needs --config PATH (the package.toml), for"
                        + " example --config ./packages/empty/package.toml.");
            }
            if (!"image".equals(format)) {
                throw PacklabException.usage("the built-in platform packages buildpacks as images only, not as `"
                        + format + "` (--format file needs pack).");
            }
            if (publish) {
                throw PacklabException.usage("--publish: the built-in platform writes to the Docker engine only;"
                        + " package without --publish, then `docker push` the image to a registry.");
            }
            return new Requests.PackageBuildpack(name, existing("--config", config, false,
                    "Give the package.toml that names the buildpack to package."));
        }
    }

    /** The older name of {@code pack buildpack package}. */
    @Command(name = "package-buildpack")
    static final class PackageBuildpackCmd extends PackageCmd {
    }

    @Command(name = "create")
    static class CreateCmd extends Common implements Operation {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = {"-c", "--config"})
        String config;

        @Option(names = "--publish")
        boolean publish;

        @Override
        public Requests.CreateBuilder request() {
            checkPullPolicy();
            if (config == null) {
                throw PacklabException.usage("pack builder create needs --config PATH (the builder.toml), for"
                        + " example --config ./builders/distroless-python/builder.toml.");
            }
            if (publish) {
                throw PacklabException.usage("--publish: the built-in platform writes to the Docker engine only.");
            }
            return new Requests.CreateBuilder(name, existing("--config", config, false,
                    "Give the builder.toml that lists the builder's buildpacks and stack."));
        }
    }

    /** The older name of {@code pack builder create}. */
    @Command(name = "create-builder")
    static final class CreateBuilderCmd extends CreateCmd {
    }

    @Command(name = "build")
    static final class BuildCmd extends Common implements Operation {
        @Parameters(index = "0", paramLabel = "IMAGE")
        String image;

        @Option(names = {"-B", "--builder"})
        String builder;

        @Option(names = {"-b", "--buildpack"})
        List<String> buildpacks = new ArrayList<>();

        @Option(names = {"-e", "--env"})
        List<String> env = new ArrayList<>();

        @Option(names = {"-p", "--path"})
        String path;

        @Option(names = "--run-image")
        String runImage;

        @Option(names = "--clear-cache")
        boolean clearCache;

        @Option(names = {"-D", "--default-process"})
        String defaultProcess;

        @Option(names = "--trust-builder")
        boolean trustBuilder;

        @Option(names = "--publish")
        boolean publish;

        @Override
        public Requests.Build request() {
            checkPullPolicy();
            if (builder == null) {
                throw PacklabException.usage("pack build needs --builder NAME (there is no default builder here),"
                        + " for example --builder python:distroless.");
            }
            if (publish) {
                throw PacklabException.usage("--publish: the built-in platform writes to the Docker engine only;"
                        + " build without --publish, then `docker push` the image.");
            }
            Map<String, String> vars = new LinkedHashMap<>();
            for (String e : env) {
                int eq = e.indexOf('=');
                if (eq <= 0) {
                    String value = System.getenv(e);
                    if (value == null) {
                        throw PacklabException.usage("--env " + e + ": give NAME=VALUE (or NAME of a variable that"
                                + " is set).");
                    }
                    vars.put(e, value);
                } else {
                    vars.put(e.substring(0, eq), e.substring(eq + 1));
                }
            }
            List<String> bps = buildpacks.stream().map(this::buildpack).toList();
            Path app = path != null ? existing("--path", path, true, "Give the app's folder, or run pack build in it"
                    + " without --path.") : cwd.toAbsolutePath().normalize();
            if (!Files.isDirectory(app)) {
                throw PacklabException.usage("pack build builds the app in the current folder (pack's default --path),"
                        + " and " + app + " is no longer there. Change to the app's folder, or give --path.");
            }
            return new Requests.Build(image, builder, bps, vars, app, Optional.ofNullable(runImage), clearCache,
                    Optional.ofNullable(defaultProcess));
        }

        /**
         * A buildpack folder or archive as an absolute path; an id, id@version, image, URI or {@code from=builder} as
         * given (pack reads {@code from=builder}, {@code urn:cnb:} and URIs before it looks for a file).
         */
        private String buildpack(String b) {
            if (b.equals("from=builder") || b.startsWith("from=builder:") || b.startsWith("urn:cnb:")
                    || b.matches("(?s).+:/.*") || !looksLikePath(b)) {
                return b;
            }
            Path dir = resolve(b);
            return Files.isDirectory(dir) ? dir.toString() : existing("--buildpack", b, false, "Give a buildpack"
                    + " folder or archive (.tgz, .tar), the id@version of one of the builder's buildpacks, or a"
                    + " buildpackage image as docker://<image>.").toString();
        }

        private boolean looksLikePath(String b) {
            return b.startsWith(".") || b.startsWith("/") || b.startsWith("~")
                    || Files.isDirectory(resolve(b)) || Files.isRegularFile(resolve(b));
        }
    }

    @Command(name = "rebase")
    static final class RebaseCmd extends Common implements Operation {
        @Parameters(index = "0", paramLabel = "IMAGE")
        String image;

        @Option(names = "--run-image")
        String runImage;

        @Option(names = "--publish", description = "Rebase in the registry: IMAGE and the run image are read from"
                + " registries and the result is written to IMAGE's registry, not to the engine.")
        boolean publish;

        @Option(names = "--insecure-registry", paramLabel = "HOST:PORT", description = "A registry spoken to over"
                + " plain http (registries on localhost and 127.0.0.1 always are).")
        List<String> insecureRegistries = new ArrayList<>();

        @Option(names = "--force", description = "Rebase even when the app is not rebasable, its target differs or"
                + " the run image has a name the app does not record.")
        boolean force;

        @Override
        public Requests.Rebase request() {
            checkPullPolicy();
            if (!insecureRegistries.isEmpty() && !publish) {
                throw PacklabException.usage("--insecure-registry names a registry for --publish; without --publish"
                        + " pack rebase works in the Docker engine and speaks to no registry.");
            }
            return new Requests.Rebase(image, Optional.ofNullable(runImage), publish, List.copyOf(insecureRegistries),
                    force);
        }
    }
}
