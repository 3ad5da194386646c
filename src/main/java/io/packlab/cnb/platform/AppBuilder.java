package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.descriptor.ProjectDescriptor;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.engine.Cancellation;
import io.packlab.engine.Created;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageDetails;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pack build}: runs the builder's buildpacks on the app in a container of the builder image
 * (detect over the order groups, then build, as the CNB user, with the arguments and env of each
 * buildpack's API), then exports an app image: the run image's layers, one layer per launch layer,
 * the app layer and a config layer, with the lifecycle's labels. Cache layers are kept in a volume
 * per app image and restored on the next build.
 *
 * <p>As the lifecycle's exporter, it adds packlab's launcher ({@link LifecycleImage}), the
 * processes in {@code /layers/config/metadata.toml} and a {@code /cnb/process/<type>} link per
 * process; the default process's link is the entrypoint. The launch environment is the launcher's
 * to compose when the container starts, over the environment the container is given.
 *
 * <p>This class is the conductor: {@link #build} reads as the lifecycle's phase list, each phase a class of its own
 * ({@link Restorer}, {@link Detector}, {@link BuildpackRunner}, {@link CacheWriter}, {@link Exporter},
 * {@link ImageSaver}) that reaches the container through {@link BuildContainer}.
 */
final class AppBuilder {

    private final Engine engine;
    private final Reporter out;
    private final Map<String, String> extraLabels;
    private LifecycleImage.Base lifecycleBase = LifecycleImage.Base.auto();
    /** Where the launcher program comes from; null: packlab's launcher image (made first if needed). */
    private Distribution.LauncherSource launcher;

    AppBuilder(Engine engine, Reporter out, Map<String, String> extraLabels) {
        this.engine = engine;
        this.out = out;
        this.extraLabels = extraLabels;
    }

    /** The Debian base that packlab's launcher image is compiled on, if it has to be made. */
    AppBuilder lifecycleBase(LifecycleImage.Base base) {
        this.lifecycleBase = base;
        return this;
    }

    /** The launcher program from {@code source} instead of packlab's launcher image (a unit test's bytes). */
    AppBuilder launcher(Distribution.LauncherSource source) {
        this.launcher = source;
        return this;
    }

    /**
     * The lifecycle's phases in order: analyze (builder, run image, previous image, order), restore, detect, build,
     * cache, export; returns the new image's ID.
     */
    String build(Requests.Build request, Path temp, Cancellation cancel) throws InterruptedException, IOException {
        if (!Files.isDirectory(request.appDir())) {
            throw PlatformException.refused("the app folder " + request.appDir() + " does not exist; run pack build in"
                    + " the app's folder or give --path.");
        }
        Optional<ProjectDescriptor> project = ProjectDescriptor.readIn(request.appDir());
        Requests.Build req = project.isPresent() ? ProjectBuild.apply(request, project.get(), temp, out) : request;
        String cache = "pack-cache-" + sha256(req.image()).substring(0, 12) + ".build";
        // the first call through docker-java (its client made, 0.2-0.4 s) runs while the images are looked at
        java.util.concurrent.CompletableFuture<Boolean> cacheFound = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> engine.listVolumes(List.of()).contains(cache));
        ImageDetails builder = Images.require(engine, req.builder(), "builder", "Create it with `pack builder create "
                + req.builder() + " --config <builder.toml>`.");
        JsonNode meta = Images.jsonLabel(builder, req.builder(), Cnb.LABEL_BUILDER);
        CnbUser user = CnbUser.of(builder, req.builder());
        String runRef = req.runImage().orElseGet(() -> runImageOf(meta, req.builder()));
        RunImage run = new RunImage(Images.require(engine, runRef, "run image", "Build it first (the stack lesson), or"
                + " give --run-image."), runRef);
        warnStacks(builder, run.details());
        Optional<ImageDetails> previous = analyze(req.image());
        BuildOrder order = BuildOrder.of(req, builder, temp, engine);

        boolean newCache = !joined(cacheFound);
        engine.createVolume(cache, new LinkedHashMap<>(extraLabels));
        boolean produced = false;
        BuildContainer container;
        try {
            container = BuildContainer.create(engine, builder.id(), new LinkedHashMap<>(extraLabels), cache, user, out,
                    cancel);
        } catch (RuntimeException e) {
            if (newCache) {
                dropCache(cache);
            }
            throw e;
        }
        try {
            container.start();
            Map<String, Boolean> clearEnv = new LinkedHashMap<>(order.clearEnv());
            Prepared prepared = prepare(container, req, project, order, clearEnv, temp, previous);
            BuildpackEnv env = new BuildpackEnv(container, builder, prepared.env(), clearEnv);
            CachedLayers cached = prepared.cached();
            phase(PlatformEvent.Phase.DETECTING);
            Detector.Detected detected = new Detector(container, env, out).detect(order.groups(), req.appDir());
            phase(PlatformEvent.Phase.BUILDING);
            Path layers = Files.createDirectories(temp.resolve("layers"));
            new BuildpackRunner(container, env, out).build(detected, layers, cached);
            container.extract(Cnb.APP_DIR, temp);
            phase(PlatformEvent.Phase.EXPORTING);
            byte[] program = launcher != null ? launcher.read()
                    : LifecycleImage.launcher(engine, lifecycleBase, out, extraLabels, cancel);
            Exporter.Image image = new Exporter(out, user, extraLabels, project, temp, cancel).from(container::archive)
                    .reusing(cached).export(new Exporter.Request(req.image(), req.defaultProcess(), run,
                            detected.group(), layers, temp.resolve("workspace")), program);
            // As the lifecycle, export, then cache (with the diff IDs the export found); the cache is replaced in one
            // move, before the image save, which is the last thing the build does: a cancel at any point before the
            // build returns leaves the image as it was (see ImageSaver.undo).
            new CacheWriter(container, out).save(detected.group(), layers, image.launchLayers());
            ImageSaver saver = new ImageSaver(engine, out);
            String id = saver.save(req.image(), image, previous, cancel);
            // the launch layers were read from the container up to here: it is removed while the build ends
            container.closeInBackground();
            image.defaultProcess().ifPresent(p -> out.info("Setting default process type '" + p.type() + "'"));
            if (cancel.isCancelled()) {
                saver.undo(req.image(), previous, id);
                throw new InterruptedException("build cancelled");
            }
            produced = true;
            if (previous.map(p -> !p.id().equals(id)).orElse(true)) {
                out.event(new PlatformEvent.ResourceCreated(Created.image(id, List.of(req.image()))));
            }
            out.event(new PlatformEvent.ResourceCreated(Created.volume(cache)));
            return id;
        } catch (PlatformException e) {
            if (cancel.isCancelled()) {
                throw new InterruptedException("build cancelled");
            }
            throw newCache ? e : new PlatformException(e.getMessage() + " The build cache of earlier builds of "
                    + req.image() + " stays in the volume " + cache + " (`docker volume rm " + cache + "` removes it).");
        } catch (InterruptedIOException e) {
            if (cancel.isCancelled()) {
                throw new InterruptedException("build cancelled");
            }
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (cancel.isCancelled()) { // the container went with the cancel: what failed next is the cancel
                throw new InterruptedException("build cancelled");
            }
            throw e;
        } finally {
            container.close();
            if (!produced && newCache) {
                dropCache(cache);
            }
        }
    }

    /** The value of a call made on another thread; its failure as it would have been on this one. */
    private static <T> T joined(java.util.concurrent.CompletableFuture<T> call) throws InterruptedException {
        try {
            return call.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void phase(PlatformEvent.Phase phase) {
        out.event(new PlatformEvent.PhaseStarted(phase));
    }

    /** The analyze phase: the previous image of the name, if there is one. */
    private Optional<ImageDetails> analyze(String image) {
        Optional<ImageDetails> previous = engine.imageDetails(image);
        phase(PlatformEvent.Phase.ANALYZING);
        out.info(previous.isPresent() ? "Previous image with name \"" + image + "\" found"
                : "Previous image with name \"" + image + "\" not found");
        return previous;
    }

    private void warnStacks(ImageDetails builder, ImageDetails run) {
        String builderStack = ImageConfig.of(builder).labels().get(Cnb.LABEL_STACK_ID);
        String runStack = ImageConfig.of(run).labels().get(Cnb.LABEL_STACK_ID);
        if (builderStack != null && runStack != null && !builderStack.equals(runStack)) {
            out.warn("deprecated usage of stack: the builder's stack " + builderStack + " differs from the run image's "
                    + runStack);
        }
    }

    /** A build that made no image leaves no cache volume of its own behind (one from earlier builds stays). */
    private void dropCache(String cache) {
        try {
            engine.removeVolume(cache);
        } catch (RuntimeException e) {
            out.warn("could not remove the new cache volume " + cache + " of this failed build (" + e.getMessage()
                    + "); `docker volume rm " + cache + "` removes it.");
        }
    }

    private static String runImageOf(JsonNode meta, String builder) {
        String image = meta.path("stack").path("runImage").path("image").asText("");
        if (image.isEmpty()) {
            image = meta.path("images").path(0).path("image").asText("");
        }
        if (image.isEmpty()) {
            throw new PlatformException("run image must be specified: builder " + builder + " names none; give"
                    + " --run-image.");
        }
        return image;
    }

    /** What the prepare found: the platform env, and what the cache step recorded of the restored launch layers. */
    private record Prepared(PlatformEnv env, CachedLayers cached) {
    }

    /**
     * App source into /workspace, platform env, --buildpack folders into /cnb/buildpacks and the TOMLs restored from
     * the previous image (one copy in); the folders of the build and the empty plan files of detect made, what the
     * build needs to read of the container gathered, then the restore phase (one exec: the prepare's shell line and
     * the restore's, {@link Restorer.Restore}); returns the platform env (user-provided and operator-defined) as the
     * build container has it, and adds to {@code clearEnv} the {@code clear-env} of the builder's buildpacks (read
     * from their buildpack.toml: the builder's labels do not carry it).
     */
    private Prepared prepare(BuildContainer container, Requests.Build req, Optional<ProjectDescriptor> project,
            BuildOrder order, Map<String, Boolean> clearEnv, Path temp, Optional<ImageDetails> previous)
            throws IOException, InterruptedException {
        LayerBuilder in = new LayerBuilder();
        Restorer.Restore restore = new Restorer(container, out).naming(order.groups().stream().flatMap(List::stream)
                .map(GroupMember::id).toList()).prepare(previous, req.clearCache(), in);
        in.tree(req.appDir(), "workspace", container.user().uid(), container.user().gid(),
                ProjectBuild.filter(project));
        req.env().forEach((k, v) -> in.file("platform/env/" + k, v.getBytes(StandardCharsets.UTF_8), 0, 0, 0644));
        for (BuildOrder.Added added : order.added()) {
            BuildpackDescriptor d = added.descriptor();
            in.tree(added.dir(), Cnb.buildpackDir(d.id(), d.version()).substring(1), 0, 0);
        }
        container.copyIn(in, temp.resolve("in.tar"));
        for (BuildOrder.Added added : order.added()) {
            out.info("Using buildpack " + added.descriptor().id() + "@" + added.descriptor().version() + " from "
                    + added.from());
        }
        List<GroupMember> probed = new ArrayList<>();
        for (List<GroupMember> group : order.groups()) {
            for (GroupMember bp : group) {
                if (!clearEnv.containsKey(bp.key()) && probed.stream().noneMatch(p -> p.key().equals(bp.key()))) {
                    probed.add(bp);
                }
            }
        }
        phase(PlatformEvent.Phase.RESTORING);
        restore.starting();
        container.root(prepareScript(container.user(), Detector.planFiles(order.groups()), probed) + " && "
                + restore.script(), restore::line);
        restore.done();
        Path env = Files.createDirectories(temp.resolve("platform-env"));
        container.extract(PROBE, env);
        for (int i = 0; i < probed.size(); i++) {
            clearEnv.put(probed.get(i).key(), BuildpackEnv.clearEnv(env.resolve("probe/buildpacks/" + i + ".toml")));
        }
        return new Prepared(PlatformEnv.read(env.resolve("probe/user/env"), env.resolve("probe/operator/env")),
                restore.cached());
    }

    /** Where the shell line of {@link #prepareScript} gathers what the build reads of the container. */
    static final String PROBE = BuildContainer.WORK + "/probe";

    /**
     * The shell line, as root, that makes the build's folders (owned by the CNB user), detect's empty plan files, and
     * gathers into {@link #PROBE} the platform env ({@code user/env}), the operator env ({@code operator/env}) and
     * the buildpack.toml of each of {@code probed} ({@code buildpacks/<n>.toml}), those that exist.
     */
    static String prepareScript(CnbUser user, List<String> plans, List<GroupMember> probed) {
        String owner = user.spec();
        StringBuilder script = new StringBuilder("mkdir -p " + BuildContainer.WORK + " " + Cnb.APP_DIR + " "
                + Cnb.LAYERS_DIR + " " + Cnb.PLATFORM_DIR + "/env " + PROBE + "/user " + PROBE + "/operator " + PROBE
                + "/buildpacks && chown " + owner + " " + BuildContainer.WORK + " " + Cnb.APP_DIR + " "
                + Cnb.LAYERS_DIR);
        if (!plans.isEmpty()) {
            String files = String.join(" ", plans.stream().map(AppBuilder::quoted).toList());
            script.append(" && touch ").append(files).append(" && chown ").append(owner).append(' ').append(files);
        }
        script.append(" && cp -a " + Cnb.PLATFORM_DIR + "/env " + PROBE + "/user/ && { [ ! -d "
                + Cnb.BUILD_CONFIG_ENV_DIR + " ] || cp -a " + Cnb.BUILD_CONFIG_ENV_DIR + " " + PROBE + "/operator/; }");
        for (int i = 0; i < probed.size(); i++) {
            String toml = quoted(probed.get(i).dir() + "/buildpack.toml");
            script.append(" && { [ ! -f ").append(toml).append(" ] || cp ").append(toml).append(' ')
                    .append(PROBE).append("/buildpacks/").append(i).append(".toml; }");
        }
        return script.toString();
    }

    /** {@code text} as one word of a POSIX shell line. */
    static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
