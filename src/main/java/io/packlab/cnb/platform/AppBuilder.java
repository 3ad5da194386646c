package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.descriptor.BuildpackApi;
import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.descriptor.ProjectDescriptor;
import io.packlab.cnb.descriptor.ModuleRef;
import io.packlab.cnb.descriptor.OrderGroup;
import io.packlab.cnb.image.ImageArchive;
import io.packlab.cnb.image.Layer;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.cnb.image.TarExtractor;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.Created;
import io.packlab.engine.Engine;
import io.packlab.engine.ExecResult;
import io.packlab.engine.ImageDetails;
import io.packlab.engine.Owner;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
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
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

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
 */
final class AppBuilder {

    private static final String WORK = "/tmp/packlab";

    private final Engine engine;
    private final Reporter out;
    private final Map<String, String> extraLabels;
    /** The --buildpack references that are on this machine, and the folder each one is (archives extracted). */
    private final Map<String, Path> localBuildpacks = new LinkedHashMap<>();
    private LifecycleImage.Base lifecycleBase = LifecycleImage.Base.auto();
    /** The user-provided and operator-defined env of this build, as the build container has them. */
    private PlatformEnv platformEnv = PlatformEnv.none();
    /** The app's project.toml, when it has one. */
    private Optional<ProjectDescriptor> project = Optional.empty();
    /** Each buildpack's {@code clear-env}, read from its buildpack.toml in the build container. */
    private final Map<String, Boolean> clearEnv = new LinkedHashMap<>();

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

    /** A buildpack as it runs in this build. */
    private record Bp(String id, String version, BuildpackApi api, String homepage, boolean optional) {
        String dir() {
            return Cnb.buildpackDir(id, version);
        }

        String layersDir() {
            return Cnb.LAYERS_DIR + "/" + Cnb.escape(id);
        }

        String key() {
            return id + "@" + version;
        }
    }

    /** What detect found: the buildpacks that take part, in order, and the build plan that matched them. */
    private record Detected(List<Bp> group, BuildPlan plan) {
    }

    String build(Requests.Build request, Path temp, Cancellation cancel) throws InterruptedException, IOException {
        if (!Files.isDirectory(request.appDir())) {
            throw PlatformException.refused("the app folder " + request.appDir() + " does not exist; run pack build in"
                    + " the app's folder or give --path.");
        }
        project = ProjectDescriptor.readIn(request.appDir());
        Requests.Build req = project.isPresent() ? ProjectBuild.apply(request, project.get(), temp, out) : request;
        ImageDetails builder = Images.require(engine, req.builder(), "builder", "Create it with `pack builder create "
                + req.builder() + " --config <builder.toml>`.");
        JsonNode meta = Images.jsonLabel(builder, req.builder(), Cnb.LABEL_BUILDER);
        int uid = Images.intEnv(builder, req.builder(), "CNB_USER_ID");
        int gid = Images.intEnv(builder, req.builder(), "CNB_GROUP_ID");
        String runRef = req.runImage().orElseGet(() -> runImageOf(meta, req.builder()));
        ImageDetails run = Images.require(engine, runRef, "run image", "Build it first (the stack lesson), or give"
                + " --run-image.");
        String builderStack = Images.labels(builder).get(Cnb.LABEL_STACK_ID);
        String runStack = Images.labels(run).get(Cnb.LABEL_STACK_ID);
        if (builderStack != null && runStack != null && !builderStack.equals(runStack)) {
            out.warn("deprecated usage of stack: the builder's stack " + builderStack + " differs from the run image's "
                    + runStack);
        }
        Optional<ImageDetails> previous = engine.imageDetails(req.image());
        out.info("===> ANALYZING");
        out.info(previous.isPresent() ? "Previous image with name \"" + req.image() + "\" found"
                : "Previous image with name \"" + req.image() + "\" not found");

        List<List<Bp>> order = order(req, builder, temp);
        String cache = "pack-cache-" + sha256(req.image()).substring(0, 12) + ".build";
        Map<String, String> labels = new LinkedHashMap<>(extraLabels);
        boolean newCache = !engine.listVolumes(List.of()).contains(cache);
        engine.createVolume(cache, labels);
        boolean produced = false;
        String container;
        try {
            container = engine.createContainer(new ContainerSpec(builder.id(), null, "0:0", Map.of(), labels,
                    List.of("sleep"), List.of("infinity"), Cnb.APP_DIR, Map.of(cache, "/cache"), Map.of()));
        } catch (RuntimeException e) {
            if (newCache) {
                dropCache(cache);
            }
            throw e;
        }
        Runnable kill = () -> engine.removeContainer(container);
        cancel.onCancel(kill);
        try {
            engine.startContainer(container);
            prepare(container, req, uid, gid, temp, cancel);
            restore(container, previous, uid, gid, req.clearCache(), temp, cancel);
            out.info("===> DETECTING");
            Detected detected = detect(container, order, builder, req.appDir(), cancel);
            out.info("===> BUILDING");
            Path layers = Files.createDirectories(temp.resolve("layers"));
            Map<String, String> userEnv = req.env();
            LaunchEnv buildEnv = new LaunchEnv(List.of());
            BuildPlan plan = detected.plan();
            for (Bp bp : detected.group()) {
                runBuild(container, bp, plan.entriesFor(bp.id()), builder, userEnv, buildEnv, uid, gid, cancel);
                extract(container, bp.layersDir(), layers);
                plan = plan.afterBuild(bp.id(), bp.key(), BuildpackOutput.unmet(layers.resolve(Cnb.escape(bp.id()))
                        .resolve("build.toml"), bp.key()));
                for (BuildpackOutput.LayerToml l : BuildpackOutput.layers(layers.resolve(Cnb.escape(bp.id())), bp.key(),
                        out)) {
                    if (l.build()) {
                        buildEnv.apply(layers.resolve(Cnb.escape(bp.id())).resolve(l.name()),
                                bp.layersDir() + "/" + l.name(), "build");
                    }
                }
            }
            extract(container, Cnb.APP_DIR, temp);
            // Unlike the lifecycle (export, then cache), the cache is saved first and replaced in one
            // move: the image save is then the last thing the build does, so that a cancel at any
            // point before the build returns leaves the image as it was (see undoSave).
            saveCache(container, detected.group(), layers, cancel);
            out.info("===> EXPORTING");
            String id = export(req, builder, run, runRef, previous, detected.group(), layers, temp.resolve("workspace"),
                    uid, gid, temp, cancel);
            if (cancel.isCancelled()) {
                undoSave(req.image(), previous, id);
                throw new InterruptedException("build cancelled");
            }
            produced = true;
            if (previous.map(p -> !p.id().equals(id)).orElse(true)) {
                out.created(Created.image(id, List.of(req.image())));
            }
            out.created(Created.volume(cache));
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
            cancel.forget(kill);
            engine.removeContainer(container);
            if (!produced && newCache) {
                dropCache(cache);
            }
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

    /**
     * The build was cancelled after its image was saved: the name goes back to the previous image (or
     * away), and the new image, now untagged, is removed unless another name holds it.
     */
    private void undoSave(String name, Optional<ImageDetails> previous, String newId) {
        if (previous.isPresent()) {
            if (!previous.get().id().equals(newId)) {
                engine.tagImage(previous.get().id(), name);
            }
        } else {
            engine.removeImage(name, false);
        }
        engine.inspectImage(newId).filter(i -> i.repoTags().isEmpty())
                .ifPresent(i -> engine.removeImage(newId, false));
    }

    private static void checkCancelled(Cancellation cancel) throws InterruptedIOException {
        if (cancel.isCancelled()) {
            throw new InterruptedIOException("build cancelled");
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

    /**
     * The groups detection tries: the builder's order, or for --buildpack one group of the given buildpacks; composite
     * buildpacks are resolved into their component buildpacks as the lifecycle does ({@link DetectionOrder}).
     */
    private List<List<Bp>> order(Requests.Build req, ImageDetails builder, Path temp) throws IOException {
        String where = "builder " + req.builder();
        JsonNode layers = Images.jsonLabel(builder, req.builder(), Cnb.LABEL_BUILDPACK_LAYERS);
        List<DetectionOrder.Module> modules = new ArrayList<>(DetectionOrder.fromLayersLabel(layers, where));
        List<OrderGroup> groups = new ArrayList<>();
        if (!req.buildpacks().isEmpty()) {
            List<ModuleRef> group = new ArrayList<>();
            for (String ref : req.buildpacks()) {
                if (BuildpackSource.isLocal(Path.of(ref))) {
                    Path dir = BuildpackSource.folder(Path.of(ref), temp);
                    localBuildpacks.put(ref, dir);
                    BuildpackDescriptor d = BuildpackDescriptor.read(dir.resolve("buildpack.toml"));
                    modules.add(DetectionOrder.Module.of(d));
                    group.add(new ModuleRef(d.id(), d.version(), false));
                } else {
                    int at = ref.indexOf('@');
                    group.add(new ModuleRef(at < 0 ? ref : ref.substring(0, at), at < 0 ? "" : ref.substring(at + 1),
                            false));
                }
            }
            groups.add(new OrderGroup(group));
            where = where + " and the --buildpack folders";
        } else {
            groups.addAll(DetectionOrder.orderOf(Images.jsonLabel(builder, req.builder(), Cnb.LABEL_BUILDPACK_ORDER)));
            if (groups.isEmpty()) {
                throw new PlatformException("builder " + req.builder() + " has an empty order: no buildpack to run.");
            }
        }
        List<List<Bp>> order = new ArrayList<>();
        for (List<DetectionOrder.Member> group : new DetectionOrder(modules, where).flatten(groups)) {
            order.add(group.stream().map(m -> new Bp(m.id(), m.version(), m.api(), m.homepage(), m.optional()))
                    .toList());
        }
        return order;
    }

    /** App source into /workspace, platform env, --buildpack folders into /cnb/buildpacks. */
    private void prepare(String container, Requests.Build req, int uid, int gid, Path temp, Cancellation cancel)
            throws IOException, InterruptedException {
        root(container, "mkdir -p " + WORK + " " + Cnb.APP_DIR + " " + Cnb.LAYERS_DIR + " " + Cnb.PLATFORM_DIR
                + "/env && chown " + uid + ":" + gid + " " + WORK + " " + Cnb.APP_DIR + " " + Cnb.LAYERS_DIR, cancel);
        LayerBuilder app = new LayerBuilder();
        app.tree(req.appDir(), "workspace", uid, gid, ProjectBuild.filter(project));
        copy(container, app, temp.resolve("app.tar"));
        if (!req.env().isEmpty()) {
            LayerBuilder env = new LayerBuilder();
            req.env().forEach((k, v) -> env.file("platform/env/" + k, v.getBytes(StandardCharsets.UTF_8), 0, 0, 0644));
            copy(container, env, temp.resolve("env.tar"));
        }
        for (String ref : req.buildpacks()) {
            Path dir = localBuildpacks.get(ref);
            if (dir != null) {
                BuildpackDescriptor d = BuildpackDescriptor.read(dir.resolve("buildpack.toml"));
                LayerBuilder bp = new LayerBuilder();
                bp.tree(dir, Cnb.buildpackDir(d.id(), d.version()).substring(1), 0, 0);
                copy(container, bp, temp.resolve("bp-" + Cnb.escape(d.id()) + ".tar"));
                out.info("Using buildpack " + d.id() + "@" + d.version() + " from " + ref);
            }
        }
        Path env = Files.createDirectories(temp.resolve("platform-env"));
        extract(container, Cnb.PLATFORM_DIR + "/env", env.resolve("user"));
        extract(container, Cnb.BUILD_CONFIG_ENV_DIR, env.resolve("operator"));
        platformEnv = PlatformEnv.read(env.resolve("user/env"), env.resolve("operator/env"));
    }

    /**
     * A buildpack executable's env before its CNB variables: {@code layerEnv} (what build layers of
     * earlier buildpacks set) over the builder's env, then the platform env (user-provided unless the
     * buildpack has {@code clear-env}, then operator-defined); only what differs from the builder's
     * env, which the executable inherits from the container.
     */
    private Map<String, String> withPlatformEnv(String container, Bp bp, ImageDetails builder,
            Map<String, String> layerEnv) throws IOException {
        Map<String, String> image = new LinkedHashMap<>(new LaunchEnv(Images.env(builder)).asMap());
        Map<String, String> base = new LinkedHashMap<>(image);
        base.putAll(layerEnv);
        boolean clear = clearEnv(container, bp);
        Map<String, String> env = new LinkedHashMap<>();
        platformEnv.apply(base, clear).forEach((k, v) -> {
            if (!v.equals(image.get(k))) {
                env.put(k, v);
            }
        });
        return env;
    }

    /** The buildpack's {@code clear-env}, from its buildpack.toml as the build container has it. */
    private boolean clearEnv(String container, Bp bp) throws IOException {
        Boolean known = clearEnv.get(bp.key());
        if (known != null) {
            return known;
        }
        Path dir = Owner.tempDirectory("descriptor");
        boolean clear = false;
        try {
            extract(container, bp.dir() + "/buildpack.toml", dir);
            Path toml = dir.resolve("buildpack.toml");
            if (Files.isRegularFile(toml)) {
                TomlParseResult p = Toml.parse(toml);
                clear = !p.hasErrors() && Boolean.TRUE.equals(p.getBoolean("buildpack.clear-env"));
            }
        } finally {
            deleteTree(dir);
        }
        clearEnv.put(bp.key(), clear);
        return clear;
    }

    /** Cached layers back from the cache volume; metadata of launch layers from the previous image. */
    private void restore(String container, Optional<ImageDetails> previous, int uid, int gid, boolean clear, Path temp,
            Cancellation cancel) throws IOException, InterruptedException {
        out.info("===> RESTORING");
        if (clear) {
            out.info("Clearing the cache (--clear-cache)");
            root(container, "rm -rf /cache/layers", cancel);
        }
        root(container, "if [ -d /cache/layers ]; then cp -a /cache/layers/. " + Cnb.LAYERS_DIR + "/ && chown -R "
                + uid + ":" + gid + " " + Cnb.LAYERS_DIR + " && for f in /cache/layers/*/*.toml; do [ -e \"$f\" ] && echo"
                + " \"Restoring cached layer '$(basename \"$(dirname \"$f\")\"):$(basename \"$f\" .toml)'\"; done;"
                + " fi; true", cancel);
        if (previous.isEmpty()) {
            return;
        }
        String metaText = Images.labels(previous.get()).get(Cnb.LABEL_LIFECYCLE);
        if (metaText == null) {
            return;
        }
        JsonNode meta;
        try {
            meta = Images.JSON.readTree(metaText);
        } catch (IOException e) {
            out.warn("the previous image's lifecycle metadata is not JSON; nothing is restored from it");
            return;
        }
        LayerBuilder tomls = new LayerBuilder();
        int n = 0;
        Map<String, BuildpackApi> apis = previousApis(previous.get());
        for (JsonNode bp : meta.path("buildpacks")) {
            String dir = "layers/" + Cnb.escape(bp.path("key").asText());
            BuildpackApi api = apis.getOrDefault(bp.path("key").asText(), BuildpackApi.NEWEST_SUPPORTED);
            var it = bp.path("layers").fields();
            while (it.hasNext()) {
                var e = it.next();
                JsonNode layer = e.getValue();
                if (!RestoredFiles.fromImage(layer)) {
                    continue; // cache layers come with their content from the cache volume; build layers are rebuilt
                }
                Object data = TomlWriter.plain(layer.path("data"));
                String toml = RestoredFiles.layerToml(data instanceof Map<?, ?> m ? stringKeys(m) : Map.of(), true,
                        false, false, api);
                tomls.file(dir + "/" + e.getKey() + ".toml", toml.getBytes(StandardCharsets.UTF_8), uid, gid, 0644);
                out.info("Restoring metadata for \"" + bp.path("key").asText() + ":" + e.getKey()
                        + "\" from app image");
                n++;
            }
            Optional<String> store = RestoredFiles.storeToml(bp.get("store"));
            if (store.isPresent()) {
                tomls.file(dir + "/store.toml", store.get().getBytes(StandardCharsets.UTF_8), uid, gid, 0644);
                n++;
            }
        }
        if (n > 0) {
            copy(container, tomls, temp.resolve("restored.tar"));
        }
    }

    /** The Buildpack API of each buildpack of the previous image, by id (its build metadata). */
    private static Map<String, BuildpackApi> previousApis(ImageDetails previous) {
        Map<String, BuildpackApi> apis = new LinkedHashMap<>();
        String text = Images.labels(previous).get(Cnb.LABEL_BUILD);
        if (text == null) {
            return apis;
        }
        try {
            for (JsonNode bp : Images.JSON.readTree(text).path("buildpacks")) {
                apis.put(bp.path("id").asText(), BuildpackApi.parse(bp.path("api").asText()));
            }
        } catch (IOException | IllegalArgumentException e) {
            // an unreadable record: the newest API's rules apply
        }
        return apis;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /**
     * Runs bin/detect of the buildpacks of each group (each buildpack once, as the lifecycle caches its runs) and keeps
     * the first group that {@link BuildPlan#resolve} passes; prints its pass/skip/fail lines as the lifecycle logs them.
     */
    private Detected detect(String container, List<List<Bp>> order, ImageDetails builder, Path appDir,
            Cancellation cancel) throws IOException, InterruptedException {
        Map<String, BuildPlan.Run> runs = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        boolean errored = false;
        int g = 0;
        for (List<Bp> group : order) {
            g++;
            List<BuildPlan.Run> groupRuns = new ArrayList<>();
            for (Bp bp : group) {
                BuildPlan.Run run = runs.get(bp.key());
                if (run == null) {
                    run = runDetect(container, bp, builder, runs.size() + 1, cancel);
                    runs.put(bp.key(), run);
                }
                groupRuns.add(new BuildPlan.Run(new DetectionOrder.Member(bp.id(), bp.version(), bp.api(),
                        bp.homepage(), bp.optional()), run.exitCode(), run.output(), run.planText()));
            }
            BuildPlan.Verdict verdict = BuildPlan.resolve(groupRuns);
            verdict.lines().forEach(out::info);
            if (verdict.passed()) {
                BuildPlan plan = verdict.plan().get();
                List<Bp> passed = group.stream().filter(bp -> plan.group().stream().anyMatch(m -> m.key().equals(
                        bp.key()))).toList();
                return new Detected(passed, plan);
            }
            errored |= verdict.errored();
            reasons.add((order.size() > 1 ? "group " + g + " (" + String.join(", ", group.stream().map(Bp::key)
                    .toList()) + "): " : "") + verdict.reason());
        }
        throw new PlatformException("No buildpack groups passed detection" + (errored ? " (a buildpack's detect"
                + " errored)" : "") + ": " + String.join("; ", reasons) + ". Please check that you are running against"
                + " the correct path: the app folder was " + appDir + " (run pack build in the app's folder, or give"
                + " --path).");
    }

    /** One buildpack's bin/detect, as the CNB user, with the arguments and env of its API; its output is shown live. */
    private BuildPlan.Run runDetect(String container, Bp bp, ImageDetails builder, int n, Cancellation cancel)
            throws IOException, InterruptedException {
        String plan = WORK + "/plan-" + n + ".toml";
        Map<String, String> env = withPlatformEnv(container, bp, builder, Map.of());
        env.putAll(bpEnv(bp, builder));
        if (bp.api().cnbEnv()) {
            env.put("CNB_PLATFORM_DIR", Cnb.PLATFORM_DIR);
            env.put("CNB_BUILD_PLAN_PATH", plan);
        }
        List<String> lines = new ArrayList<>();
        user(container, cnbUser(builder), "touch " + plan, cancel);
        ExecResult r = engine.exec(container, List.of(bp.dir() + "/bin/detect", Cnb.PLATFORM_DIR, plan), cnbUser(
                builder), env, Cnb.APP_DIR, line -> {
                    lines.add(line);
                    out.output(line);
                }, cancel);
        return new BuildPlan.Run(new DetectionOrder.Member(bp.id(), bp.version(), bp.api(), bp.homepage(),
                bp.optional()), r.exitCode(), lines, r.exitCode() == 0 ? readText(container, plan) : "");
    }

    private void runBuild(String container, Bp bp, List<BuildPlan.Require> entries, ImageDetails builder,
            Map<String, String> userEnv, LaunchEnv buildEnv, int uid, int gid, Cancellation cancel)
            throws InterruptedException, IOException {
        out.info("Running the build of " + bp.id() + " " + bp.version());
        String plan = WORK + "/bpplan-" + Cnb.escape(bp.id()) + ".toml";
        LayerBuilder planTar = new LayerBuilder();
        planTar.file(plan.substring(1), BuildPlan.toml(entries).getBytes(StandardCharsets.UTF_8), uid, gid, 0644);
        Path tmp = Owner.tempFile("plan", ".tar");
        try {
            copy(container, planTar, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
        user(container, cnbUser(builder), "mkdir -p " + bp.layersDir(), cancel);
        Map<String, String> layerEnv = new LinkedHashMap<>(buildEnv.asMap());
        String path = buildEnv.get("PATH");
        if (path != null) {
            layerEnv.put("PATH", path + ":" + Images.envValue(builder, "PATH").orElse("/usr/bin:/bin"));
        }
        Map<String, String> env = withPlatformEnv(container, bp, builder, layerEnv);
        env.putAll(bpEnv(bp, builder));
        if (bp.api().cnbEnv()) {
            env.put("CNB_LAYERS_DIR", bp.layersDir());
            env.put("CNB_PLATFORM_DIR", Cnb.PLATFORM_DIR);
            env.put("CNB_BP_PLAN_PATH", plan);
        }
        ExecResult r = engine.exec(container, List.of(bp.dir() + "/bin/build", bp.layersDir(), Cnb.PLATFORM_DIR, plan),
                cnbUser(builder), env, Cnb.APP_DIR, out::output, cancel);
        if (!r.ok()) {
            throw new PlatformException("buildpack " + bp.key() + " failed to build: bin/build exited with code "
                    + r.exitCode() + " (its output is above). No image was made.");
        }
    }

    /** The env every buildpack gets, by its API. */
    private static Map<String, String> bpEnv(Bp bp, ImageDetails builder) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNB_BUILDPACK_DIR", bp.dir());
        if (bp.api().hasTargets()) {
            env.put("CNB_TARGET_OS", builder.config().path("os").asText("linux"));
            env.put("CNB_TARGET_ARCH", builder.config().path("architecture").asText("amd64"));
            if (builder.config().hasNonNull("variant")) {
                env.put("CNB_TARGET_ARCH_VARIANT", builder.config().get("variant").asText());
            }
            Map<String, String> labels = Images.labels(builder);
            Optional.ofNullable(labels.get("io.buildpacks.base.distro.name"))
                    .ifPresent(v -> env.put("CNB_TARGET_DISTRO_NAME", v));
            Optional.ofNullable(labels.get("io.buildpacks.base.distro.version"))
                    .ifPresent(v -> env.put("CNB_TARGET_DISTRO_VERSION", v));
        }
        if (bp.api().execEnv()) {
            env.put("CNB_EXEC_ENV", "production");
        }
        return env;
    }

    private static String cnbUser(ImageDetails builder) {
        return Images.envValue(builder, "CNB_USER_ID").orElse("1000") + ":"
                + Images.envValue(builder, "CNB_GROUP_ID").orElse("1000");
    }

    private String export(Requests.Build req, ImageDetails builder, ImageDetails run, String runRef,
            Optional<ImageDetails> previous, List<Bp> group, Path layers, Path workspace, int uid, int gid, Path temp,
            Cancellation cancel) throws IOException, InterruptedException {
        byte[] launcher = LifecycleImage.launcher(engine, lifecycleBase, out, extraLabels, cancel);
        List<String> runDiffs = Images.diffIds(run);
        if (runDiffs.isEmpty()) {
            throw new PlatformException("the run image " + runRef + " has no layers.");
        }
        List<Layer> newLayers = new ArrayList<>();
        List<String> history = new ArrayList<>();
        LaunchEnv env = new LaunchEnv(Images.env(run));
        ArrayNode buildpacksMeta = Images.JSON.createArrayNode();
        ArrayNode buildMetaBps = Images.JSON.createArrayNode();
        List<BuildpackOutput.Process> processes = new ArrayList<>();
        Map<String, String> launchLabels = new LinkedHashMap<>();
        int n = 0;
        for (Bp bp : group) {
            Path bpLayers = layers.resolve(Cnb.escape(bp.id()));
            ObjectNode bpMeta = buildpacksMeta.addObject();
            bpMeta.put("key", bp.id());
            bpMeta.put("version", bp.version());
            ObjectNode layerMeta = bpMeta.putObject("layers");
            RestoredFiles.store(bpLayers, bp.key()).ifPresent(store -> bpMeta.set("store", store));
            ObjectNode bm = buildMetaBps.addObject().put("id", bp.id()).put("version", bp.version())
                    .put("api", bp.api().toString());
            if (bp.homepage() != null) {
                bm.put("homepage", bp.homepage());
            }
            for (BuildpackOutput.LayerToml l : BuildpackOutput.layers(bpLayers, bp.key(), out)) {
                if (!l.launch()) {
                    continue;
                }
                Path dir = bpLayers.resolve(l.name());
                String inImage = bp.layersDir() + "/" + l.name();
                if (!Files.isDirectory(dir)) {
                    out.warn("layer '" + bp.id() + ":" + l.name() + "' is marked launch but has no content; the"
                            + " built-in platform cannot reuse it from the previous image, so it is left out");
                    continue;
                }
                LayerBuilder lb = new LayerBuilder();
                lb.directory("layers", uid, gid, 0755);
                lb.directory(inImage.substring(1, inImage.lastIndexOf('/')), uid, gid, 0755);
                lb.tree(dir, inImage.substring(1), uid, gid);
                checkCancelled(cancel);
                Layer layer = lb.write(temp.resolve("layer-" + (n++) + ".tar"));
                newLayers.add(layer);
                history.add("Layer: '" + l.name() + "', Created by buildpack: " + bp.key());
                out.info("Adding layer '" + bp.id() + ":" + l.name() + "'");
                ObjectNode lm = layerMeta.putObject(l.name());
                lm.put("sha", layer.diffId());
                lm.set("data", Images.JSON.valueToTree(l.metadata()));
                lm.put("launch", true);
                if (l.build()) {
                    lm.put("build", true);
                }
                if (l.cache()) {
                    lm.put("cache", true);
                }
            }
            Path launchToml = bpLayers.resolve("launch.toml");
            for (BuildpackOutput.Process p : BuildpackOutput.processes(launchToml, bp.id(), bp.api())) {
                processes.removeIf(q -> q.type().equals(p.type()));
                processes.add(p);
            }
            launchLabels.putAll(BuildpackOutput.labels(launchToml, bp.id()));
        }

        LayerBuilder app = new LayerBuilder();
        app.tree(workspace, "workspace", uid, gid);
        checkCancelled(cancel);
        Layer appLayer = app.write(temp.resolve("app-layer.tar"));
        newLayers.add(appLayer);
        history.add("Application Layer");
        out.info("Adding 1/1 app layer(s)");

        String defaultType = req.defaultProcess().orElseGet(() -> processes.stream().filter(
                BuildpackOutput.Process::isDefault).map(BuildpackOutput.Process::type).reduce((a, b) -> b)
                .orElse(processes.stream().anyMatch(p -> p.type().equals("web")) ? "web" : null));
        Optional<BuildpackOutput.Process> defaultProcess = processes.stream().filter(p -> p.type().equals(
                defaultType)).findFirst();
        if (defaultType != null && defaultProcess.isEmpty()) {
            throw new PlatformException("the default process `" + defaultType + "` is not among the processes the"
                    + " buildpacks declare (" + processes.stream().map(BuildpackOutput.Process::type).toList() + ").");
        }

        LayerBuilder launcherLayer = new LayerBuilder();
        launcherLayer.directory("cnb", 0, 0, 0755);
        launcherLayer.directory("cnb/lifecycle", 0, 0, 0755);
        launcherLayer.file(LifecycleImage.LAUNCHER.substring(1), launcher, 0, 0, 0755);
        checkCancelled(cancel);
        Layer launcherTar = launcherLayer.write(temp.resolve("launcher-layer.tar"));
        newLayers.add(launcherTar);
        history.add("Buildpacks Application Launcher");
        out.info("Adding layer 'packlab/lifecycle:launcher'");

        LayerBuilder configLayer = new LayerBuilder();
        configLayer.directory("layers", uid, gid, 0755);
        configLayer.directory("layers/config", 0, 0, 0755);
        configLayer.file("layers/config/metadata.toml", LaunchMetadata.toml(processes, defaultType, group.stream()
                .map(bp -> new LaunchMetadata.Buildpack(bp.id(), bp.version(), bp.api().toString())).toList())
                .getBytes(StandardCharsets.UTF_8), 0, 0, 0644);
        Layer config = configLayer.write(temp.resolve("config-layer.tar"));
        newLayers.add(config);
        history.add("Buildpacks Launcher Config");
        out.info("Adding layer 'packlab/lifecycle:config'");

        Layer processTypes = null;
        if (!processes.isEmpty()) {
            LayerBuilder links = new LayerBuilder();
            links.directory("cnb", 0, 0, 0755);
            links.directory("cnb/process", 0, 0, 0755);
            for (BuildpackOutput.Process p : processes) {
                if (!p.type().matches("[A-Za-z0-9._-]+") || p.type().matches("\\.+")) {
                    throw new PlatformException("buildpack " + p.buildpackId() + " declares the process type `"
                            + p.type() + "` in launch.toml; a type may hold only letters, digits, `.`, `_` and `-`"
                            + " (it names /cnb/process/<type>). Rename it.");
                }
                links.symlink("cnb/process/" + p.type(), LifecycleImage.LAUNCHER, 0, 0);
            }
            processTypes = links.write(temp.resolve("process-types-layer.tar"));
            newLayers.add(processTypes);
            history.add("Buildpacks Process Types");
            out.info("Adding layer 'packlab/lifecycle:process-types'");
        }

        List<String> diffIds = new ArrayList<>(runDiffs);
        newLayers.forEach(l -> diffIds.add(l.diffId()));
        ObjectNode image = Images.derive(run, diffIds, history);

        // the launch env is the launcher's to compose at start, over what the container is given
        env.set("CNB_LAYERS_DIR", Cnb.LAYERS_DIR);
        env.set("CNB_APP_DIR", Cnb.APP_DIR);
        env.set("CNB_PLATFORM_API", Cnb.PLATFORM_API);
        env.set("CNB_DEPRECATION_MODE", "quiet");
        env.prepend("PATH", "/cnb/process:/cnb/lifecycle", ":");
        Images.setEnv(image, env.entries());
        ObjectNode c = (ObjectNode) image.get("config");
        c.put("WorkingDir", Cnb.APP_DIR);
        defaultProcess.filter(p -> !p.direct()).ifPresent(p -> out.warn("process `" + p.type() + "` is not direct"
                + " (Buildpack API below 0.9 without direct = true): the launcher runs it through bash or sh, which"
                + " the run image must have"));
        if (defaultProcess.isEmpty()) {
            out.warn("no default process: `docker run` of the image lists its process types; run one with"
                    + " `docker run --entrypoint <type> IMAGE`");
        }
        Images.setArray(image, "Entrypoint", List.of(defaultProcess.map(p -> "/cnb/process/" + p.type())
                .orElse(LifecycleImage.LAUNCHER)));
        Images.setArray(image, "Cmd", null);

        ObjectNode lifecycle = Images.JSON.createObjectNode();
        lifecycle.putArray("app").addObject().put("sha", appLayer.diffId());
        lifecycle.putObject("config").put("sha", config.diffId());
        lifecycle.putObject("launcher").put("sha", launcherTar.diffId());
        if (processTypes != null) {
            lifecycle.putObject("process-types").put("sha", processTypes.diffId());
        }
        lifecycle.set("buildpacks", buildpacksMeta);
        ObjectNode runImage = lifecycle.putObject("runImage");
        runImage.put("topLayer", runDiffs.get(runDiffs.size() - 1));
        runImage.put("reference", run.id());
        runImage.put("image", runRef);
        lifecycle.putObject("stack").putObject("runImage").put("image", runRef).putArray("mirrors");

        ObjectNode buildMeta = Images.JSON.createObjectNode();
        buildMeta.putArray("bom");
        buildMeta.set("buildpacks", buildMetaBps);
        buildMeta.putObject("launcher").put("version", LifecycleImage.version()).putObject("source")
                .put("name", Cnb.PLATFORM_NAME);
        ArrayNode procs = buildMeta.putArray("processes");
        for (BuildpackOutput.Process p : processes) {
            ObjectNode o = procs.addObject().put("type", p.type());
            ArrayNode cmd = o.putArray("command");
            p.command().forEach(cmd::add);
            ArrayNode args = o.putArray("args");
            p.args().forEach(args::add);
            o.put("direct", p.direct()).put("default", p.type().equals(defaultType)).put("buildpackID", p.buildpackId());
            if (p.workingDir() != null) {
                o.put("working-dir", p.workingDir());
            }
        }
        if (defaultType != null) {
            buildMeta.put("buildpack-default-process-type", defaultType);
        }

        Map<String, String> labels = new LinkedHashMap<>(launchLabels);
        labels.put(Cnb.LABEL_LIFECYCLE, Images.text(lifecycle));
        labels.put(Cnb.LABEL_BUILD, Images.text(buildMeta));
        labels.put(Cnb.LABEL_PROJECT, ProjectBuild.label(project));
        labels.putAll(extraLabels);
        Images.setLabels(image, labels);

        // Layers the previous image has at the same place in its chain are in the daemon already:
        // they travel as empty entries, so an unchanged rebuild sends only the config.
        List<String> previousDiffs = previous.map(Images::diffIds).orElse(List.of());
        int shared = 0;
        while (shared < diffIds.size() && shared < previousDiffs.size()
                && diffIds.get(shared).equals(previousDiffs.get(shared))) {
            shared++;
        }
        ImageArchive archive = ImageArchive.of(image, List.of(req.image()));
        runDiffs.forEach(archive::existingLayer);
        int reused = 0;
        for (int i = 0; i < newLayers.size(); i++) {
            if (runDiffs.size() + i < shared) {
                archive.existingLayer(newLayers.get(i).diffId());
                reused++;
            } else {
                archive.newLayer(newLayers.get(i));
            }
        }
        if (reused > 0) {
            out.info("Reusing " + reused + " of " + newLayers.size() + " layer(s) of the previous image");
        }
        out.info("Saving " + req.image() + "...");
        String id = ImageArchive.load(engine, archive, cancel);
        out.info("*** Images (" + id.substring(0, Math.min(id.length(), 19)) + "):");
        out.info("      " + req.image());
        defaultProcess.ifPresent(p -> out.info("Setting default process type '" + p.type() + "'"));
        return id;
    }

    /** Cache layers into the volume (replacing what was there), so the next build restores them. */
    private void saveCache(String container, List<Bp> group, Path layers, Cancellation cancel)
            throws InterruptedException, IOException {
        // into a new folder that replaces the old one in one move: a kill half-way keeps the old cache
        StringBuilder script = new StringBuilder("rm -rf /cache/layers.new && mkdir -p /cache/layers.new");
        // each <layer>.toml is kept as the next build gets it back: metadata only, the types reset
        LayerBuilder tomls = new LayerBuilder();
        String staging = WORK + "/cache-toml";
        for (Bp bp : group) {
            for (BuildpackOutput.LayerToml l : BuildpackOutput.layers(layers.resolve(Cnb.escape(bp.id())), bp.key(),
                    Reporter.quiet())) {
                if (!l.cache()) {
                    continue;
                }
                String from = bp.layersDir() + "/" + l.name();
                String to = "/cache/layers.new/" + Cnb.escape(bp.id());
                String toml = staging + "/" + Cnb.escape(bp.id()) + "/" + l.name() + ".toml";
                tomls.file(toml.substring(1), RestoredFiles.layerToml(l.metadata(), l.launch(), l.build(), l.cache(),
                        bp.api()).getBytes(StandardCharsets.UTF_8), 0, 0, 0644);
                script.append(" && mkdir -p ").append(to).append(" && cp -a ").append(from).append(' ').append(toml)
                        .append(' ').append(to).append('/');
                out.info("Adding cache layer '" + bp.id() + ":" + l.name() + "'");
            }
        }
        script.append(" && rm -rf /cache/layers && mv /cache/layers.new /cache/layers");
        if (!tomls.names().isEmpty()) {
            copy(container, tomls, layers.resolveSibling("cache-toml.tar"));
        }
        root(container, script.toString(), cancel);
    }

    private void root(String container, String script, Cancellation cancel) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        ExecResult r = engine.exec(container, List.of("sh", "-c", script), "0:0", Map.of(), null, line -> {
            lines.add(line);
            if (line.startsWith("Restoring")) {
                out.info(line);
            }
        }, cancel);
        if (!r.ok()) {
            throw new PlatformException("a step of the build in the builder container failed (exit code "
                    + r.exitCode() + "): " + String.join(" / ", lines));
        }
    }

    /** Runs a shell line as the CNB user (the container itself runs as root). */
    private void user(String container, String cnbUser, String script, Cancellation cancel)
            throws InterruptedException {
        ExecResult r = engine.exec(container, List.of("sh", "-c", script), cnbUser, Map.of(), null, out::output, cancel);
        if (!r.ok()) {
            throw new PlatformException("`" + script + "` failed in the builder container (exit code " + r.exitCode()
                    + ").");
        }
    }

    private void copy(String container, LayerBuilder content, Path tar) throws IOException {
        Layer layer = content.write(tar);
        try (InputStream in = Files.newInputStream(layer.path())) {
            engine.copyToContainer(container, in, "/");
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    private void extract(String container, String path, Path into) throws IOException {
        Optional<InputStream> tar = engine.copyFromContainer(container, path);
        if (tar.isEmpty()) {
            return;
        }
        try (InputStream in = tar.get()) {
            TarExtractor.extract(in, into, TarExtractor.AbsoluteLinks.KEEP);
        }
    }

    private String readText(String container, String file) throws IOException {
        Path dir = Owner.tempDirectory("plan");
        try {
            extract(container, file, dir);
            Path f = dir.resolve(Path.of(file).getFileName().toString());
            return Files.isRegularFile(f) ? new String(Files.readAllBytes(f), StandardCharsets.UTF_8) : "";
        } finally {
            deleteTree(dir);
        }
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
