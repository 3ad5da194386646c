package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.descriptor.BuilderConfig;
import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.descriptor.Distro;
import io.packlab.cnb.descriptor.ModuleRef;
import io.packlab.cnb.descriptor.ModuleSource;
import io.packlab.cnb.descriptor.OrderGroup;
import io.packlab.cnb.descriptor.PackageConfig;
import io.packlab.cnb.descriptor.Stack;
import io.packlab.cnb.descriptor.Target;
import io.packlab.cnb.descriptor.TomlPlaces;
import io.packlab.cnb.image.ImageArchive;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.image.Layer;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageDetails;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code pack buildpack package} and {@code pack builder create}: buildpacks distributed as images. */
final class Distribution {

    /** Buildpack APIs the built-in platform runs (as lifecycle 0.18 and later do). */
    static final List<String> BUILDPACK_APIS = List.of("0.7", "0.8", "0.9", "0.10", "0.11", "0.12");
    static final List<String> PLATFORM_APIS = List.of("0.12");

    private final Engine engine;
    private final Reporter out;
    private final Map<String, String> extraLabels;
    private final String version;

    Distribution(Engine engine, Reporter out, Map<String, String> extraLabels, String version) {
        this.engine = engine;
        this.out = out;
        this.extraLabels = extraLabels;
        this.version = version;
    }

    /** Where packlab's launcher program comes from, which a builder carries at /cnb/lifecycle/launcher. */
    interface LauncherSource {
        byte[] read() throws InterruptedException;
    }

    private LauncherSource launcher;

    Distribution launcher(LauncherSource source) {
        this.launcher = source;
        return this;
    }

    String packageBuildpack(Requests.PackageBuildpack req, Path temp) throws IOException {
        PackageConfig config = PackageConfig.read(req.config());
        Path dir = config.buildpackPath().orElseThrow(() -> TomlPlaces.error(req.config(), "the built-in platform"
                + " packages buildpacks from folders; `" + config.buildpack() + "` is an image or URL (or a name that"
                + " is no file or folder next to " + req.config().getFileName() + "). Give a folder as [buildpack] uri,"
                + " or use pack for images.", "buildpack", "uri"));
        Path folder;
        try {
            folder = BuildpackSource.folder(dir, temp);
        } catch (PlatformException e) {
            throw TomlPlaces.error(req.config(), "`buildpack.uri`: " + e.getMessage(), "buildpack", "uri");
        }
        BuildpackLayers.Packed p = BuildpackLayers.pack(folder, temp.resolve("buildpack.tar"));
        BuildpackDescriptor d = p.descriptor();
        out.info("Packaging buildpack " + d.id() + "@" + d.version() + " from " + dir);
        List<BuildpackLayers.Packed> all = new ArrayList<>(List.of(p));
        List<Integer> entries = new ArrayList<>();
        all.addAll(dependencies(req.config(), config, temp, entries));
        checkDependencies(req.config(), all, entries);

        ObjectNode meta = Images.JSON.createObjectNode();
        meta.put("id", d.id());
        meta.put("version", d.version());
        d.name().ifPresent(n -> meta.put("name", n));
        d.homepage().ifPresent(h -> meta.put("homepage", h));
        ArrayNode stacks = meta.putArray("stacks");
        for (Stack s : packageStacks(req.config(), all)) {
            ObjectNode o = stacks.addObject().put("id", s.id());
            if (!s.mixins().isEmpty()) {
                s.mixins().forEach(o.putArray("mixins")::add);
            }
        }
        ObjectNode layers = Images.JSON.createObjectNode();
        all.forEach(x -> BuildpackLayers.describe(layers, x));

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Cnb.LABEL_BUILDPACKAGE, Images.text(meta));
        labels.put(Cnb.LABEL_BUILDPACK_LAYERS, Images.text(layers));
        labels.putAll(extraLabels);
        ImageConfig image = ImageConfig.scratch(config.os(), architecture())
                .withLayers(all.stream().map(x -> x.layer().diffId()).toList(),
                        all.stream().map(x -> "Buildpack: " + x.descriptor().fullName()).toList())
                .withLabels(labels);

        ImageArchive archive = ImageArchive.of(image, List.of(req.name()));
        all.forEach(x -> archive.newLayer(x.layer()));
        String id = ImageArchive.load(engine, archive);
        out.event(new PlatformEvent.ImageCreated("package", req.name()));
        return id;
    }

    /**
     * The [[dependencies]] of package.toml as layers: a folder or archive on this machine, or a buildpackage image in
     * the engine with every buildpack it holds (one already in the package is not added again); {@code entries} gets
     * the [[dependencies]] index of each.
     */
    private List<BuildpackLayers.Packed> dependencies(Path file, PackageConfig config, Path temp, List<Integer> entries)
            throws IOException {
        List<BuildpackLayers.Packed> out = new ArrayList<>();
        for (int at = 0; at < config.dependencies().size(); at++) {
            if (config.dependencies().get(at) instanceof ModuleSource.Remote remote) {
                throw TomlPlaces.sourceError(file, "dependency " + remote + " is a URL or registry id; the built-in"
                        + " platform downloads nothing: it packages buildpacks from folders, .tgz archives and"
                        + " buildpackage images in the Docker engine (docker://<image>). Give the buildpack's folder as"
                        + " uri, or use pack.", "dependencies", at);
            }
        }
        for (int at = 0; at < config.dependencies().size(); at++) {
            var source = config.dependencies().get(at);
            Optional<Path> local = source.localPath();
            if (source instanceof ModuleSource.Image image) {
                BuildpackageImage pkg = image(file, "dependencies", at, image.reference(), temp);
                for (BuildOrder.Added a : pkg.buildpacks()) {
                    String name = a.descriptor().fullName();
                    if (out.stream().anyMatch(x -> x.descriptor().fullName().equals(name))) {
                        continue;
                    }
                    out.add(BuildpackLayers.pack(a.dir(), temp.resolve("dependency-" + at + "-" + out.size() + ".tar")));
                    entries.add(at);
                    this.out.info("Adding dependency " + name + " from image " + image.reference());
                }
                continue;
            }
            Path folder;
            try {
                folder = BuildpackSource.folder(local.get(), temp);
            } catch (PlatformException e) {
                throw TomlPlaces.error(file, "`dependencies.uri`: " + e.getMessage(), "dependencies", at, "uri");
            }
            BuildpackLayers.Packed p = BuildpackLayers.pack(folder, temp.resolve("dependency-" + at + ".tar"));
            out.add(p);
            entries.add(at);
            this.out.info("Adding dependency " + p.descriptor().fullName() + " from " + local.get());
        }
        return out;
    }

    /**
     * pack's rules for a package: every buildpack a composite's order names (in the package's buildpack or a dependency)
     * is a dependency, every dependency is named by one, and the orders resolve (no composite names itself).
     */
    private static void checkDependencies(Path file, List<BuildpackLayers.Packed> all, List<Integer> entries) {
        BuildpackDescriptor main = all.get(0).descriptor();
        Map<String, Integer> dependencies = new LinkedHashMap<>();
        for (int at = 1; at < all.size(); at++) {
            dependencies.putIfAbsent(all.get(at).descriptor().fullName(), entries.get(at - 1));
        }
        List<String> used = new ArrayList<>();
        for (BuildpackLayers.Packed p : all) {
            BuildpackDescriptor d = p.descriptor();
            for (OrderGroup g : d.order()) {
                for (ModuleRef ref : g.group()) {
                    if (!dependencies.containsKey(ref.fullName())) {
                        throw TomlPlaces.error(file, "buildpack " + d.fullName() + " references buildpack "
                                + ref.fullName() + " which is not present: add its folder as a [[dependencies]] uri"
                                + (dependencies.isEmpty() ? "" : " (the dependencies are " + String.join(", ",
                                        dependencies.keySet()) + ")") + ".", "dependencies");
                    }
                    used.add(ref.fullName());
                }
            }
        }
        for (var e : dependencies.entrySet()) {
            if (!used.contains(e.getKey())) {
                throw TomlPlaces.sourceError(file, "buildpack " + e.getKey() + " is not used by buildpack " + main.fullName()
                        + ": a dependency must be named in the [[order]] of the package's buildpack (or of another"
                        + " dependency). Remove it from [[dependencies]], or add it to the order.", "dependencies",
                        e.getValue());
            }
        }
        if (main.isComposite()) {
            try {
                new DetectionOrder(all.stream().map(p -> DetectionOrder.Module.of(p.descriptor())).toList(),
                        "the package").flatten(List.of(new OrderGroup(List.of(new ModuleRef(main.id(), main.version(),
                                false)))));
            } catch (PlatformException e) {
                throw TomlPlaces.error(file, e.getMessage(), "buildpack", "uri");
            }
        }
    }

    /**
     * The stacks a package runs on, as pack resolves them: those of its buildpack ({@code *} for one that declares only
     * targets), narrowed by each component dependency's ({@code *} matches any; mixins are joined); none is refused.
     */
    static List<Stack> packageStacks(Path file, List<BuildpackLayers.Packed> all) {
        List<Stack> stacks = stacksOf(all.get(0).descriptor());
        for (BuildpackLayers.Packed p : all.subList(1, all.size())) {
            List<Stack> own = stacksOf(p.descriptor());
            if (stacks.isEmpty()) {
                stacks = own;
            } else if (!own.isEmpty()) {
                stacks = mergeStacks(stacks, own);
                if (stacks.isEmpty()) {
                    throw TomlPlaces.error(file, "no compatible stacks among provided buildpacks: "
                            + p.descriptor().fullName() + " supports none of the stacks of the buildpacks before it."
                            + " Give them a stack in common, or declare [[targets]] instead of [[stacks]].",
                            "dependencies");
                }
            }
        }
        return stacks;
    }

    private static List<Stack> stacksOf(BuildpackDescriptor d) {
        if (d.stacks().isEmpty() && !d.isComposite()) {
            return List.of(new Stack(Stack.ANY, List.of()));
        }
        return d.stacks();
    }

    private static List<Stack> mergeStacks(List<Stack> a, List<Stack> b) {
        boolean anyA = a.stream().anyMatch(Stack::isAny);
        boolean anyB = b.stream().anyMatch(Stack::isAny);
        if (anyA && anyB) {
            return List.of(new Stack(Stack.ANY, List.of()));
        }
        if (anyA || anyB) {
            return anyA ? b : a;
        }
        List<Stack> out = new ArrayList<>();
        for (Stack s : b) {
            a.stream().filter(x -> x.id().equals(s.id())).findFirst().ifPresent(x -> {
                java.util.TreeSet<String> mixins = new java.util.TreeSet<>(x.mixins());
                mixins.addAll(s.mixins());
                out.add(new Stack(s.id(), List.copyOf(mixins)));
            });
        }
        return out;
    }

    /**
     * Before the stack images are looked at: the id and version a [[buildpacks]] entry states must be
     * its buildpack's (a buildpackage's own buildpack for an image), and every buildpack the order names
     * must be among them (for an image, any buildpack the package holds). {@code folders} are the
     * [[buildpacks]] as folders, in order (empty for an image); {@code images} the images, by entry.
     */
    private static void checkOrder(Path file, BuilderConfig config, List<Optional<Path>> folders,
            Map<Integer, BuildpackageImage> images) {
        int gi = 0;
        List<String> declared = new ArrayList<>();
        for (int at = 0; at < folders.size(); at++) {
            BuilderConfig.BuildpackEntry entry = config.buildpacks().get(at);
            BuildpackageImage image = images.get(at);
            if (folders.get(at).isEmpty() && image == null) {
                refuseRemote(file, config);
            }
            String toml = image != null ? "the buildpackage " + image.reference()
                    : folders.get(at).get().resolve("buildpack.toml").toString();
            BuildpackDescriptor d = image != null ? image.entry()
                    : BuildpackDescriptor.read(folders.get(at).get().resolve("buildpack.toml"));
            if (!entry.id().isEmpty() && !entry.id().equals(d.id())) {
                throw TomlPlaces.error(file, "buildpack entry id " + entry.id() + " does not match the id " + d.id()
                        + " in " + toml + ". Make them the same, or leave id out.", "buildpacks", at, "id");
            }
            if (!entry.version().isEmpty() && !entry.version().equals(d.version())) {
                throw TomlPlaces.error(file, "buildpack " + d.id() + " is version " + d.version() + " in " + toml
                        + ", not " + entry.version() + " as the builder says. Make them the same, or leave version out.",
                        "buildpacks", at, "version");
            }
            if (image == null) {
                declared.add(d.id() + "@" + d.version());
            } else {
                image.buildpacks().forEach(b -> declared.add(b.descriptor().fullName()));
            }
        }
        for (OrderGroup g : config.order()) {
            int ei = 0;
            for (ModuleRef e : g.group()) {
                boolean versioned = e.version() != null && !e.version().isEmpty();
                if (declared.stream().noneMatch(x -> versioned ? x.equals(e.id() + "@" + e.version())
                        : x.startsWith(e.id() + "@"))) {
                    throw TomlPlaces.error(file, "the [[order]] names buildpack " + e.id()
                            + (versioned ? "@" + e.version() : "") + ", which is not among its [[buildpacks]] (they"
                            + " are " + (declared.isEmpty() ? "none" : String.join(", ", declared)) + "). Add it to"
                            + " [[buildpacks]] with its folder as uri, or fix the id in the order.", "order", gi, "group",
                            ei, "id");
                }
                ei++;
            }
            gi++;
        }
    }

    /**
     * Refuses a [[buildpacks]] entry that is neither on this machine nor an image (a URL, a registry id, urn:cnb:), before
     * the engine is asked for anything.
     */
    private static void refuseRemote(Path file, BuilderConfig config) {
        for (int at = 0; at < config.buildpacks().size(); at++) {
            BuilderConfig.BuildpackEntry entry = config.buildpacks().get(at);
            if (entry.source() instanceof ModuleSource.Remote) {
                throw TomlPlaces.error(file, "buildpack " + entry.displayName() + " comes from a URL or registry; the"
                        + " built-in platform downloads nothing: it adds buildpacks from folders (uri ="
                        + " \"../../buildpacks/<name>\") and buildpackage images in the Docker engine (uri ="
                        + " \"docker://<image>\"). Use pack for the others.", "buildpacks", at);
            }
        }
    }

    /**
     * The buildpackage image of the entry {@code at} of {@code tables} in {@code file}, read from the engine: absent,
     * exit 1 naming it (nothing is pulled); one that is no buildpackage, exit 2 at its uri or image.
     */
    private BuildpackageImage image(Path file, String tables, int at, String reference, Path temp) throws IOException {
        try {
            return BuildpackageImage.read(engine, reference, "[[" + tables + "]] of " + file.getFileName(), false, temp);
        } catch (PlatformException e) {
            if (e.exitCode() == PlatformException.USAGE) {
                throw TomlPlaces.sourceError(file, e.getMessage(), tables, at);
            }
            throw e;
        }
    }

    String createBuilder(Requests.CreateBuilder req, Path temp) throws IOException, InterruptedException {
        BuilderConfig config = BuilderConfig.read(req.config());
        refuseRemote(req.config(), config);
        List<Optional<Path>> folders = new ArrayList<>(); // archives are extracted here, once
        Map<Integer, BuildpackageImage> images = new HashMap<>(); // buildpackage images, read from the engine once
        for (BuilderConfig.BuildpackEntry entry : config.buildpacks()) {
            if (entry.source() instanceof ModuleSource.Image image) {
                images.put(folders.size(), image(req.config(), "buildpacks", folders.size(), image.reference(), temp));
                folders.add(Optional.empty());
                continue;
            }
            try {
                folders.add(entry.path().isEmpty() ? Optional.empty()
                        : Optional.of(BuildpackSource.folder(entry.path().get(), temp)));
            } catch (PlatformException e) {
                throw TomlPlaces.error(req.config(), "`buildpacks.uri`: " + e.getMessage(), "buildpacks", folders.size(),
                        "uri");
            }
        }
        checkOrder(req.config(), config, folders, images);
        String fix = "Build the stack images first (lesson stack: docker build ... -t " + config.buildImage()
                + ").";
        ImageDetails build = Images.require(engine, config.buildImage(), "build image", fix);
        ImageConfig run = ImageConfig.of(Images.require(engine, config.runImage(), "run image", fix));
        int uid = Images.intEnv(build, config.buildImage(), "CNB_USER_ID");
        int gid = Images.intEnv(build, config.buildImage(), "CNB_GROUP_ID");
        ImageConfig buildConfig = ImageConfig.of(build);
        String buildStack = buildConfig.labels().get(Cnb.LABEL_STACK_ID);
        String runStack = run.labels().get(Cnb.LABEL_STACK_ID);
        Optional<String> stack = config.stackId().or(() -> Optional.ofNullable(buildStack));
        if (stack.isPresent() && runStack != null && !stack.get().equals(runStack)) {
            throw new PlatformException("stack " + stack.get() + " from builder config is incompatible with stack "
                    + runStack + " from run image " + config.runImage() + ". Both images of a stack must carry the same"
                    + " io.buildpacks.stack.id label; fix the run image's Dockerfile or [stack] id in " + req.config()
                    + ".");
        }
        if (config.stackId().isPresent() && buildStack != null && !config.stackId().get().equals(buildStack)) {
            throw new PlatformException("stack " + config.stackId().get() + " from builder config is incompatible"
                    + " with stack " + buildStack + " from build image " + config.buildImage() + ".");
        }
        Target buildTarget = targetOf(buildConfig);

        List<Layer> layers = new ArrayList<>();
        List<String> history = new ArrayList<>();
        ObjectNode layersLabel = Images.JSON.createObjectNode();
        ObjectNode meta = Images.JSON.createObjectNode();
        meta.put("description", config.description() == null ? "" : config.description());
        ArrayNode bpMeta = meta.putArray("buildpacks");
        List<BuildpackDescriptor> added = new ArrayList<>();
        List<Path> dirs = new ArrayList<>(); // every buildpack to add: a folder entry's, every one of a package's
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int n = 0; n < folders.size(); n++) {
            if (images.containsKey(n)) {
                for (BuildOrder.Added a : images.get(n).buildpacks()) {
                    if (names.add(a.descriptor().fullName())) { // one that an entry before brought is not added again
                        dirs.add(a.dir());
                    }
                }
            } else {
                dirs.add(folders.get(n).orElseThrow());
                names.add(BuildpackDescriptor.read(dirs.get(dirs.size() - 1).resolve("buildpack.toml")).fullName());
            }
        }
        for (int n = 0; n < dirs.size(); n++) {
            BuildpackLayers.Packed p = BuildpackLayers.pack(dirs.get(n), temp.resolve("bp-" + n + ".tar"));
            BuildpackDescriptor d = p.descriptor();
            // checkOrder has made sure each entry is a folder or package, with the id and version of its buildpack
            if (stack.isPresent() && !d.stacks().isEmpty() && !d.supportsStack(stack.get())) {
                throw new PlatformException("buildpack " + d.id() + "@" + d.version() + " does not support stack "
                        + stack.get() + " (it supports " + d.stacks().stream().map(s -> s.id()).toList() + "). Add the"
                        + " stack to its [[stacks]], or build it for another stack.");
            }
            if (!d.runsOn(buildTarget)) {
                throw new PlatformException("unable to satisfy target os/arch constraints: buildpack " + d.id() + "@"
                        + d.version() + " runs on " + String.join(", ", d.effectiveTargets().stream().map(Target::toString)
                        .toList()) + ", and the build image " + config.buildImage() + " is " + buildTarget + ". Add a"
                        + " [[targets]] entry that matches it to " + d.file() + ", or use a build image of a target the"
                        + " buildpack declares.");
            }
            added.add(d);
            layers.add(p.layer());
            history.add("Buildpack: " + d.id() + "@" + d.version());
            BuildpackLayers.describe(layersLabel, p);
            ObjectNode b = bpMeta.addObject().put("id", d.id()).put("version", d.version());
            d.homepage().ifPresent(h -> b.put("homepage", h));
            out.event(new PlatformEvent.BuildpackAdded(d.id(), d.version(), d.api().toString()));
        }

        StringBuilder orderToml = new StringBuilder();
        List<OrderGroup> groups = config.order();
        if (groups.isEmpty()) {
            throw TomlPlaces.error(req.config(), "the builder has no [[order]]: add one group that names its"
                    + " buildpacks ([[order]] then [[order.group]] with id = \"<buildpack id>\").");
        }
        DetectionOrder resolution = checkComposites(req.config(), added);
        for (int gi = 0; gi < groups.size(); gi++) {
            OrderGroup g = groups.get(gi);
            orderToml.append("[[order]]\n");
            for (int ei = 0; ei < g.group().size(); ei++) {
                ModuleRef e = g.group().get(ei);
                DetectionOrder.Module d;
                try {
                    d = resolution.resolve(e, "the builder's [[order]]");
                } catch (PlatformException notOne) { // checkOrder made sure it is there: more than one version
                    throw TomlPlaces.error(req.config(), notOne.getMessage(), "order", gi, "group", ei, "id");
                }
                orderToml.append("  [[order.group]]\n    id = \"").append(d.id()).append("\"\n    version = \"")
                        .append(d.version()).append("\"\n");
                if (e.optional()) {
                    orderToml.append("    optional = true\n");
                }
            }
        }

        String mirrors = Images.text(Images.JSON.valueToTree(config.runImageMirrors()));
        meta.putObject("stack").putObject("runImage").put("image", config.runImage())
                .set("mirrors", Images.JSON.valueToTree(config.runImageMirrors()));
        meta.putArray("images").addObject().put("image", config.runImage())
                .set("mirrors", Images.JSON.valueToTree(config.runImageMirrors()));
        meta.set("lifecycle", lifecycleMetadata());
        meta.putObject("createdBy").put("name", "packlab").put("version", version);

        if (launcher != null) {
            LayerBuilder lifecycleLayer = new LayerBuilder();
            lifecycleLayer.directory("cnb", 0, 0, 0755);
            lifecycleLayer.directory("cnb/lifecycle", 0, 0, 0755);
            lifecycleLayer.file(LifecycleImage.LAUNCHER.substring(1), launcher.read(), 0, 0, 0755);
            layers.add(lifecycleLayer.write(temp.resolve("lifecycle.tar")));
            history.add("Lifecycle: packlab's launcher " + LifecycleImage.version());
        }

        LayerBuilder cnb = new LayerBuilder();
        cnb.directory("cnb", 0, 0, 0755);
        cnb.file("cnb/order.toml", orderToml.toString().getBytes(StandardCharsets.UTF_8), 0, 0, 0644);
        String runToml = "[[images]]\n  image = \"" + config.runImage() + "\"\n  mirrors = " + mirrors + "\n";
        cnb.file("cnb/run.toml", runToml.getBytes(StandardCharsets.UTF_8), 0, 0, 0644);
        String stackToml = "[run-image]\n  image = \"" + config.runImage() + "\"\n  mirrors = " + mirrors
                + "\n\n[build-image]\n  image = \"" + config.buildImage() + "\"\n";
        cnb.file("cnb/stack.toml", stackToml.getBytes(StandardCharsets.UTF_8), 0, 0, 0644);
        cnb.directory("workspace", uid, gid, 0755);
        cnb.directory("layers", uid, gid, 0755);
        cnb.directory("platform", 0, 0, 0755);
        cnb.directory("platform/env", 0, 0, 0755);
        // [[build.env]] are operator-defined variables: pack puts them in <build-config>/env, not <platform>/env
        cnb.directory(Cnb.BUILD_CONFIG_ENV_DIR.substring(1), 0, 0, 0755);
        config.platformEnv().forEach((k, v) -> cnb.file(Cnb.BUILD_CONFIG_ENV_DIR.substring(1) + "/" + k,
                v.getBytes(StandardCharsets.UTF_8), 0, 0, 0644));
        Layer cnbLayer = cnb.write(temp.resolve("cnb.tar"));
        layers.add(cnbLayer);
        history.add("Builder: order, stack, run images, workspace");

        List<String> diffIds = new ArrayList<>(buildConfig.diffIds());
        layers.forEach(l -> diffIds.add(l.diffId()));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Cnb.LABEL_BUILDER, Images.text(meta));
        labels.put(Cnb.LABEL_BUILDPACK_ORDER, Images.text(orderLabel(groups)));
        labels.put(Cnb.LABEL_BUILDPACK_LAYERS, Images.text(layersLabel));
        stack.ifPresent(s -> labels.put(Cnb.LABEL_STACK_ID, s));
        labels.putAll(extraLabels);
        ImageConfig image = ImageConfig.derive(build, diffIds, history).withWorkingDir(Cnb.LAYERS_DIR)
                .withLabels(labels);

        ImageArchive archive = ImageArchive.of(image, List.of(req.name()));
        buildConfig.diffIds().forEach(archive::existingLayer);
        layers.forEach(archive::newLayer);
        String id = ImageArchive.load(engine, archive);
        out.event(new PlatformEvent.ImageCreated("builder image", req.name()));
        out.info("Tip: Run pack build <image-name> --builder " + req.name() + " to use this builder");
        return id;
    }

    /**
     * The {@code io.buildpacks.buildpack.order} label: the order as builder.toml gives it, a version only where one is
     * written (as pack labels it); the resolved versions go to {@code /cnb/order.toml} only.
     */
    static ArrayNode orderLabel(List<OrderGroup> groups) {
        ArrayNode order = Images.JSON.createArrayNode();
        for (OrderGroup g : groups) {
            ArrayNode group = order.addObject().putArray("group");
            for (ModuleRef e : g.group()) {
                ObjectNode o = group.addObject().put("id", e.id());
                if (!e.version().isEmpty()) {
                    o.put("version", e.version());
                }
                if (e.optional()) {
                    o.put("optional", true);
                }
            }
        }
        return order;
    }

    /**
     * The builder metadata's {@code lifecycle}: the version (a semantic version, as pack parses it,
     * that names packlab's built-in platform) and the Buildpack and Platform APIs it runs, in the old
     * ({@code api}) and the current ({@code apis}) form.
     */
    static ObjectNode lifecycleMetadata() {
        ObjectNode lifecycle = Images.JSON.createObjectNode();
        lifecycle.put("version", Cnb.LIFECYCLE_VERSION);
        lifecycle.putObject("api").put("buildpack", BUILDPACK_APIS.get(BUILDPACK_APIS.size() - 1))
                .put("platform", Cnb.PLATFORM_API);
        ObjectNode apis = lifecycle.putObject("apis");
        ObjectNode bpApis = apis.putObject("buildpack");
        bpApis.putArray("deprecated");
        ArrayNode bpSupported = bpApis.putArray("supported");
        BUILDPACK_APIS.forEach(bpSupported::add);
        ObjectNode plApis = apis.putObject("platform");
        plApis.putArray("deprecated");
        ArrayNode plSupported = plApis.putArray("supported");
        PLATFORM_APIS.forEach(plSupported::add);
        return lifecycle;
    }

    /**
     * Every buildpack a composite's order names must be on the builder too (pack: "buildpack ... not found on the
     * builder"), and the builder's order must resolve (no composite that names itself); the resolution for the order.
     */
    private static DetectionOrder checkComposites(Path file, List<BuildpackDescriptor> added) {
        List<String> keys = added.stream().map(BuildpackDescriptor::fullName).toList();
        for (int at = 0; at < added.size(); at++) {
            BuildpackDescriptor d = added.get(at);
            for (OrderGroup g : d.order()) {
                for (ModuleRef ref : g.group()) {
                    if (!keys.contains(ref.fullName())) {
                        throw TomlPlaces.error(file, "buildpack " + ref.fullName() + " not found on the builder: the"
                                + " composite buildpack " + d.fullName() + " names it in its [[order]], but the builder's"
                                + " [[buildpacks]] are " + String.join(", ", keys) + ". Add " + ref.fullName() + " to"
                                + " [[buildpacks]] with its folder as uri.", "buildpacks", at, "uri");
                    }
                }
            }
        }
        DetectionOrder resolution = new DetectionOrder(added.stream().map(DetectionOrder.Module::of).toList(),
                "the builder");
        try {
            resolution.flatten(added.stream().filter(BuildpackDescriptor::isComposite).map(d -> new OrderGroup(List.of(
                    new ModuleRef(d.id(), d.version(), false)))).toList());
        } catch (PlatformException e) {
            throw TomlPlaces.error(file, e.getMessage(), "buildpacks");
        }
        return resolution;
    }

    /** The os, arch, variant and distro of an image, as targets are matched against it. */
    static Target targetOf(ImageConfig image) {
        Map<String, String> labels = image.labels();
        String distro = labels.getOrDefault("io.buildpacks.base.distro.name", "");
        return new Target(image.json().path("os").asText("linux"), image.architecture(),
                image.variant(), distro.isEmpty() ? List.of()
                        : List.of(new Distro(distro, labels.getOrDefault("io.buildpacks.base.distro.version", ""))));
    }

    private String architecture() {
        String arch = engine.info().architecture();
        return switch (arch == null ? "" : arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch == null || arch.isEmpty() ? "amd64" : arch;
        };
    }

}
