package io.packlab.step;

import io.packlab.cnb.metadata.LifecycleMetadata;
import io.packlab.cnb.platform.BuiltinPlatform;
import io.packlab.cnb.platform.LifecycleImage;
import io.packlab.cnb.platform.PlatformEvent;
import io.packlab.cnb.platform.Reporter;
import io.packlab.cnb.platform.Requests;
import io.packlab.config.BaseImages;
import io.packlab.config.PacklabConfig;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.Created;
import io.packlab.engine.Engine;
import io.packlab.engine.EngineException;
import io.packlab.engine.ImageInfo;
import io.packlab.engine.ImageSnapshot;
import io.packlab.error.PacklabException;
import io.packlab.picture.Pictures;
import io.packlab.term.Console;
import io.packlab.term.StatusLine;
import io.packlab.words.ShellWords;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Runs one command line of a step. {@code cd}, {@code ls} and {@code cat} are done here;
 * {@code docker build} goes through the Engine API with packlab's labels and base images; other
 * {@code docker} and {@code pack} commands run the installed CLIs; anything else runs in {@code sh}.
 */
public final class StepRunner {

    /** Which implementation runs {@code pack} lines. */
    public enum PackEngine { AUTO, PACK, BUILTIN }

    private final Supplier<Engine> engine;
    private final PacklabConfig config;
    private final Console console;
    private final PackEngine packEngine;
    private final String version;
    private String lang = "en";

    public StepRunner(Supplier<Engine> engine, PacklabConfig config, Console console, PackEngine packEngine,
            String version) {
        this.engine = engine;
        this.config = config;
        this.console = console;
        this.packEngine = packEngine;
        this.version = version;
    }

    /** The learner's language (en, ja), for what packlab itself draws ({@code picture}); returns this runner. */
    public StepRunner language(String lang) {
        this.lang = lang;
        return this;
    }

    /** Runs a line; throws {@link StepFailedException} or {@link StepCancelledException} when it does not succeed. */
    public void run(String line, StepContext ctx, Cancellation cancellation) throws StepCancelledException {
        console.command(ctx.displayCwd(), line);
        if (ShellWords.needsShell(line)) {
            process(List.of("/bin/sh", "-c", line), line, ctx, cancellation);
            return;
        }
        List<String> words = ShellWords.split(line, ctx.env());
        if (words.isEmpty()) {
            return;
        }
        switch (words.get(0)) {
            case "cd" -> cd(words, ctx);
            case "ls" -> ls(words, ctx);
            case "cat" -> cat(words, ctx);
            case "docker" -> docker(words, line, ctx, cancellation);
            case "pack" -> pack(words, line, ctx, cancellation);
            case "snapshot" -> snapshot(words, ctx);
            case "layers" -> layers(words, ctx);
            case "picture" -> picture(words, ctx);
            default -> process(words, line, ctx, cancellation);
        }
    }

    private void cd(List<String> words, StepContext ctx) {
        Path target = words.size() < 2 ? ctx.workdir() : ctx.cwd().resolve(words.get(1)).normalize();
        if (!Files.isDirectory(target)) {
            throw new StepFailedException("cd: there is no folder " + target + ".");
        }
        ctx.cd(target);
    }

    private void ls(List<String> words, StepContext ctx) {
        boolean all = words.stream().skip(1).anyMatch(w -> w.startsWith("-") && w.contains("a"));
        List<String> paths = words.stream().skip(1).filter(w -> !w.startsWith("-")).toList();
        for (String p : paths.isEmpty() ? List.of(".") : paths) {
            Path dir = ctx.cwd().resolve(p).normalize();
            if (!Files.exists(dir)) {
                throw new StepFailedException("ls: there is no file or folder " + p + " in " + ctx.displayCwd() + ".");
            }
            if (paths.size() > 1) {
                console.output(p + ":");
            }
            if (!Files.isDirectory(dir)) {
                console.output(p);
                continue;
            }
            try (Stream<Path> list = Files.list(dir)) {
                list.sorted().map(f -> f.getFileName() + (Files.isDirectory(f) ? "/" : Files.isExecutable(f) ? "*" : ""))
                        .filter(n -> all || !n.startsWith("."))
                        .forEach(console::output);
            } catch (IOException e) {
                throw new StepFailedException("ls: cannot list " + dir + ": " + e.getMessage());
            }
        }
    }

    private void cat(List<String> words, StepContext ctx) {
        if (words.size() < 2) {
            throw new StepFailedException("cat: name the file to show, for example `cat buildpack.toml`.");
        }
        for (String name : words.subList(1, words.size())) {
            Path file = ctx.cwd().resolve(name).normalize();
            if (!Files.isRegularFile(file)) {
                throw new StepFailedException("cat: there is no file " + name + " in " + ctx.displayCwd() + ".");
            }
            try {
                Files.readAllLines(file, StandardCharsets.UTF_8).forEach(console::output);
            } catch (IOException e) {
                throw new StepFailedException("cat: cannot read " + file + ": " + e.getMessage());
            }
        }
    }

    private void docker(List<String> words, String line, StepContext ctx, Cancellation cancellation) {
        List<String> args = words.subList(1, words.size());
        boolean build = !args.isEmpty() && (args.get(0).equals("build")
                || args.size() > 1 && args.get(0).equals("image") && args.get(1).equals("build"));
        if (args.size() == 3 && args.get(0).equals("tag")) {
            engine.get().tagImage(args.get(1), args.get(2));
            engine.get().inspectImage(args.get(2)).ifPresent(i -> ctx.created(Created.tag(i.id(), args.get(2))));
            console.pass("tagged " + args.get(1) + " as " + args.get(2));
            return;
        }
        if (args.size() == 2 && args.get(0).equals("push")) {
            engine.get().pushImage(args.get(1), console::output);
            console.pass("pushed " + args.get(1));
            return;
        }
        if (!build) {
            if (!onPath("docker")) {
                throw new StepFailedException("`" + line + "` needs the docker CLI, which is not on PATH. packlab itself"
                        + " performs `docker build`; for other docker commands install the CLI (apt-get install docker.io).");
            }
            process(words, line, ctx, cancellation);
            return;
        }
        dockerBuild(args.subList(args.get(0).equals("image") ? 2 : 1, args.size()), ctx, cancellation);
    }

    /** Runs {@code docker build} through the Engine API; returns the image ID. */
    public String dockerBuild(List<String> args, StepContext ctx, Cancellation cancellation) {
        DockerBuildArgs parsed = new DockerBuildArgs();
        try {
            new CommandLine(parsed).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw PacklabException.usage("docker build: " + e.getMessage() + ". packlab runs docker build through the"
                    + " Engine API and takes -t/--tag, -f/--file, --build-arg, --label, --no-cache, --pull, -q and one"
                    + " context folder.");
        }
        Path context = ctx.cwd().resolve(parsed.context()).normalize();
        if (!Files.isDirectory(context)) {
            throw PacklabException.usage("docker build: the context `" + parsed.context() + "` "
                    + (Files.exists(context) ? "is a file, not a folder" : "does not exist") + " (resolved from " + ctx.cwd()
                    + " to " + context + "). Give the folder that holds the Dockerfile and what it copies, for example"
                    + " `docker build -t NAME .` inside it.");
        }
        Optional<Path> dockerfile = Optional.ofNullable(parsed.file()).map(f -> ctx.cwd().resolve(f).normalize());
        Path effective = dockerfile.orElse(context.resolve("Dockerfile"));
        if (!Files.isRegularFile(effective)) {
            throw PacklabException.usage("docker build: there is no Dockerfile at " + effective
                    + (parsed.file() == null ? " (the context's Dockerfile)" : " (-f " + parsed.file()
                            + ", from the current folder " + ctx.cwd() + ")")
                    + ". Name the Dockerfile with -f, or give the folder that holds it as the context.");
        }
        if (!effective.startsWith(context)) {
            throw PacklabException.usage("docker build: -f " + parsed.file() + " names " + effective + ", outside the"
                    + " context " + context + ". packlab sends the context alone to the Engine API, so the Dockerfile"
                    + " must be inside it (the docker CLI would send it along): move it into the context, or give a"
                    + " context folder that holds it.");
        }
        Map<String, String> buildArgs = new LinkedHashMap<>(parsed.buildArgs());
        List<String> usedBases = chooseBases(context, ctx, buildArgs);
        Map<String, String> labels = new LinkedHashMap<>(parsed.labels());
        if (ctx.lessonId() != null) {
            labels.put(Engine.LESSON_LABEL, ctx.lessonId());
        }
        BuildRequest request = new BuildRequest(context, dockerfile, parsed.tags(), buildArgs, labels,
                parsed.noCache(), parsed.pull());
        String id;
        StatusLine status = StatusLine.start(console, "docker build " + String.join(", ", parsed.tags()));
        try (status) {
            id = engine.get().build(request, line -> {
                if (!parsed.quiet()) {
                    console.output(line);
                }
                if (line.startsWith("Step ") && line.contains(" : ")) {
                    status.update(line.substring(0, line.indexOf(" : ")).toLowerCase(Locale.ROOT));
                }
            }, cancellation);
        } catch (InterruptedException e) {
            throw new StepCancelledException("docker build");
        } catch (EngineException e) {
            String hint = usedBases.isEmpty() && !localBasesFor(context, ctx).isEmpty()
                    ? " If the base image cannot be pulled here (no access to Docker Hub or gcr.io), make the local"
                    + " bases with `sudo scripts/make-bases.sh` and set PACKLAB_BASES=local."
                    : "";
            throw new StepFailedException(e.getMessage() + hint);
        }
        // the classic builder may report the short ID: record the engine's full one
        ctx.created(Created.image(engine.get().inspectImage(id).map(ImageInfo::id).orElse(id), parsed.tags()));
        String shortId = id.startsWith("sha256:") ? id.substring(7, Math.min(id.length(), 19)) : id;
        if (parsed.quiet()) {
            console.output(id);
        }
        console.pass("built " + (parsed.tags().isEmpty() ? "an untagged image" : String.join(", ", parsed.tags()))
                + " (" + shortId + ") in " + status.summary());
        return id;
    }

    private List<BaseImages.LocalBase> localBasesFor(Path context, StepContext ctx) {
        return config.bases().locals().stream()
                .filter(b -> ctx.workdir().resolve(b.context()).normalize().equals(context))
                .toList();
    }

    /** Adds the local base images as build args, as packlab.toml and PACKLAB_BASES say; returns those used. */
    private List<String> chooseBases(Path context, StepContext ctx, Map<String, String> buildArgs) {
        List<String> used = new ArrayList<>();
        BaseImages.Mode mode = config.bases().mode();
        if (mode == BaseImages.Mode.PUBLIC) {
            return used;
        }
        for (BaseImages.LocalBase base : localBasesFor(context, ctx)) {
            if (buildArgs.containsKey(base.arg())) {
                continue;
            }
            boolean present = engine.get().inspectImage(base.image()).isPresent();
            if (!present && mode == BaseImages.Mode.LOCAL) {
                throw new StepFailedException("the local base image " + base.image() + " is missing (PACKLAB_BASES or"
                        + " packlab.toml say `local`). Make it with `sudo scripts/make-bases.sh`, or use the public"
                        + " bases with PACKLAB_BASES=public.");
            }
            if (present) {
                buildArgs.put(base.arg(), base.image());
                used.add(base.image());
                console.detail("base", base.arg() + "=" + base.image() + " (local, made from Debian packages;"
                        + " see packlab.toml)");
            }
        }
        return used;
    }

    private void pack(List<String> words, String line, StepContext ctx, Cancellation cancellation) {
        if (packEngine != PackEngine.BUILTIN && onPath("pack")) {
            realPack(words, line, ctx, cancellation);
            return;
        }
        if (packEngine == PackEngine.PACK) {
            throw PacklabException.usage("`" + line + "` needs the pack CLI (--engine pack), which is not on PATH."
                    + " Install it (https://buildpacks.io/docs/for-platform-operators/how-to/integrate-ci/pack/) or use"
                    + " --engine builtin.");
        }
        Requests request = PackArgs.parse(words.subList(1, words.size()), ctx.cwd());
        Map<String, String> labels = ctx.lessonId() == null ? Map.of() : Map.of(Engine.LESSON_LABEL, ctx.lessonId());
        StatusLine status = StatusLine.start(console, String.join(" ", words.subList(0, Math.min(3, words.size()))));
        int[] layers = {0};
        BuiltinPlatform platform = new BuiltinPlatform(engine.get(), new Reporter() {
            @Override
            public void info(String text) {
                console.output(text);
            }

            @Override
            public void event(PlatformEvent event) {
                Reporter.super.event(event);
                if (event instanceof PlatformEvent.PhaseStarted p) {
                    status.update(p.phase().name());
                } else if (event instanceof PlatformEvent.LayerAdded) {
                    status.update("layers added: " + (++layers[0]));
                } else if (event instanceof PlatformEvent.BuildpackAdded) {
                    status.update("buildpacks added: " + (++layers[0]));
                } else if (event instanceof PlatformEvent.ImageSaving saving) {
                    status.update(saving.store() == PlatformEvent.Store.REGISTRY
                            ? "writing the new manifest to the registry" : "loading the image into the engine");
                }
            }

            @Override
            public void output(String text) {
                console.output(console.style().dim(text));
            }

            @Override
            public void warn(String text) {
                console.output(console.style().yellow("Warning: " + text));
            }

            @Override
            public void created(Created resource) {
                ctx.created(resource);
            }
        }, labels, version);
        platform.lifecycleBase(new LifecycleImage.Base(config.bases().localFor(BaseImages.BUILD_STACK_CONTEXT),
                config.bases().mode() == BaseImages.Mode.LOCAL));
        String summary;
        try (status) {
            summary = platform.run(request, cancellation);
        } catch (InterruptedException e) {
            throw new StepCancelledException(line);
        } catch (PacklabException e) {
            if (cancellation.isCancelled()) {
                throw new StepCancelledException(line);
            }
            throw e;
        }
        console.pass("pack (built-in): " + summary + " in " + status.summary());
    }

    /** {@code snapshot NAME IMAGE}: records the image's ID and layers for checks to compare with later. */
    private void snapshot(List<String> words, StepContext ctx) {
        if (words.size() != 3) {
            throw PacklabException.usage("snapshot takes a name and an image: snapshot before-rebase webapp.");
        }
        String image = words.get(2);
        ImageInfo info = engine.get().inspectImage(image).orElseThrow(() -> new StepFailedException("snapshot: there"
                + " is no image " + image + " to record; build it first."));
        ImageSnapshot snap = ImageSnapshot.of(image, info, LifecycleMetadata.runTopLayer(info.labels()).orElse(null));
        ctx.snapshots().put(words.get(1), snap);
        console.pass("recorded snapshot " + words.get(1) + " of " + image + ": image " + info.shortId() + ", "
                + info.layers().size() + " layers (" + snap.appLayers().size() + " above the run image)");
    }

    /** {@code layers IMAGE [--compare NAME]}: the image's layers, bottom first, beside a snapshot's. */
    private void layers(List<String> words, StepContext ctx) {
        if (words.size() != 2 && !(words.size() == 4 && words.get(2).equals("--compare"))) {
            throw PacklabException.usage("layers takes an image and optionally --compare SNAPSHOT: layers webapp"
                    + " --compare before-rebase.");
        }
        String image = words.get(1);
        ImageInfo info = engine.get().inspectImage(image).orElseThrow(() -> new StepFailedException("layers: there is"
                + " no image " + image + "."));
        ImageSnapshot now = ImageSnapshot.of(image, info, LifecycleMetadata.runTopLayer(info.labels()).orElse(null));
        Optional<ImageSnapshot> then = words.size() == 4 ? ctx.snapshots().get(words.get(3)) : Optional.empty();
        if (words.size() == 4 && then.isEmpty()) {
            throw new StepFailedException("layers: no snapshot " + words.get(3) + " was recorded; run the snapshot"
                    + " step first.");
        }
        List<String> nowRun = now.layers().subList(0, now.layers().size() - now.appLayers().size());
        if (then.isEmpty()) {
            console.output(String.format("%-10s %-3s %s", "part", "#", "diff ID"));
            table("run image", List.of(), nowRun, false);
            table("app", List.of(), now.appLayers(), false);
        } else {
            ImageSnapshot before = then.get();
            List<String> beforeRun = before.layers().subList(0, before.layers().size() - before.appLayers().size());
            console.output(String.format("%-10s %-3s %-13s %-13s %s", "part", "#", "before", "after", ""));
            table("run image", beforeRun, nowRun, true);
            table("app", before.appLayers(), now.appLayers(), true);
        }
        then.ifPresent(s -> console.output("image ID " + ImageInfo.shortDigest(s.id()) + " -> " + info.shortId() + "; app layers "
                + (s.appLayers().equals(now.appLayers()) ? "unchanged" : "changed")));
    }

    /**
     * {@code picture builder|build|rebase [IMAGE]}: the builder, the build or the rebase drawn from the
     * engine's images (the tutorial's when no image is named); the rebase compares with the snapshot
     * {@code before-rebase} of the same image when one was recorded.
     */
    private void picture(List<String> words, StepContext ctx) {
        Optional<Pictures.Kind> kind = words.size() >= 2 ? Pictures.Kind.named(words.get(1)) : Optional.empty();
        if (kind.isEmpty() || words.size() > 3) {
            throw PacklabException.usage("picture takes what to draw and optionally an image: " + Pictures.USAGE
                    + ", for example `picture build webapp`.");
        }
        String image = words.size() == 3 ? words.get(2) : kind.get().defaultImage();
        Optional<ImageSnapshot> before = kind.get() == Pictures.Kind.REBASE
                ? ctx.snapshots().get(Pictures.SNAPSHOT).filter(s -> s.reference().equals(image)) : Optional.empty();
        new Pictures(engine.get(), lang, console.width()).draw(kind.get(), image, before).forEach(console::println);
    }

    /** Rows of one part of the layer table: before and after side by side, by position in the part. */
    private void table(String part, List<String> before, List<String> after, boolean compare) {
        for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
            String b = i < before.size() ? ImageInfo.shortDigest(before.get(i)) : "-";
            String a = i < after.size() ? ImageInfo.shortDigest(after.get(i)) : "-";
            if (!compare) {
                console.output(String.format("%-10s %-3d %s", part, i + 1, a));
                continue;
            }
            String change = b.equals(a) ? "same" : b.equals("-") ? "added" : a.equals("-") ? "removed" : "changed";
            console.output(String.format("%-10s %-3d %-13s %-13s %s", part, i + 1, b, a, change));
        }
    }


    /**
     * Runs the real pack; the image it writes into the engine (the one the line names, when its ID
     * changed) is recorded as made by packlab. pack's own cache volumes are pack's, as they would be
     * outside packlab.
     */
    private void realPack(List<String> words, String line, StepContext ctx, Cancellation cancellation) {
        Optional<String> image;
        try {
            image = createdBy(PackArgs.parse(words.subList(1, words.size()), ctx.cwd()));
        } catch (PacklabException e) {
            image = Optional.empty(); // options only the real pack knows: nothing that packlab can name
        }
        Optional<String> before = image.flatMap(engine.get()::inspectImage).map(ImageInfo::id);
        process(words, line, ctx, cancellation);
        image.ifPresent(name -> engine.get().inspectImage(name).filter(i -> before.map(b -> !b.equals(i.id()))
                .orElse(true)).ifPresent(i -> ctx.created(Created.image(i.id(), List.of(name)))));
    }

    static Optional<String> createdBy(Requests request) {
        if (request instanceof Requests.PackageBuildpack r) {
            return Optional.of(r.name());
        }
        if (request instanceof Requests.CreateBuilder r) {
            return Optional.of(r.name());
        }
        if (request instanceof Requests.Build r) {
            return Optional.of(r.image());
        }
        if (request instanceof Requests.Rebase r && !r.publish()) {
            return Optional.of(r.image()); // with --publish the image is in the registry, not the engine
        }
        return Optional.empty();
    }

    /** Runs a program, its output shown line by line; Ctrl-C destroys it and its children. */
    private void process(List<String> command, String line, StepContext ctx, Cancellation cancellation) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ctx.cwd().toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(ctx.env());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new StepFailedException("cannot run `" + line + "`: " + command.get(0)
                    + " was not found or cannot be executed (" + e.getMessage() + ").");
        }
        Runnable kill = () -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        };
        cancellation.onCancel(kill);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = out.readLine()) != null) {
                console.output(l);
            }
            int code = p.waitFor();
            // Ctrl-C on a terminal reaches the child too (same process group): it dies of SIGINT (130)
            if (cancellation.isCancelled() || code == 130) {
                cancellation.cancel(); // the JVM may see the same SIGINT only later: record it now
                throw new StepCancelledException(line);
            }
            if (code != 0) {
                throw new StepFailedException("`" + line + "` failed with exit code " + code + " (its output is above).");
            }
        } catch (IOException e) {
            if (cancellation.isCancelled()) {
                throw new StepCancelledException(line);
            }
            throw new StepFailedException("lost the output of `" + line + "`: " + e.getMessage());
        } catch (InterruptedException e) {
            kill.run();
            Thread.currentThread().interrupt();
            throw new StepCancelledException(line);
        } finally {
            cancellation.forget(kill);
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Parses an --engine value. */
    public static PackEngine packEngine(String value) {
        try {
            return PackEngine.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw PacklabException.usage("--engine must be auto, pack or builtin, not `" + value + "`.");
        }
    }
}
