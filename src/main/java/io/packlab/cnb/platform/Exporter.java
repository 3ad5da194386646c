package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.descriptor.ProjectDescriptor;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.image.Layer;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.cnb.image.LayerStream;
import io.packlab.cnb.image.LayerTar;
import io.packlab.engine.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle's export phase, up to the save: the app image's config and new layers over the run image's (one per
 * launch layer, the app layer, packlab's launcher, the launcher config with the processes, a {@code /cnb/process/<type>}
 * link per process), its env, entrypoint and labels. The launch environment is the launcher's to compose when the
 * container starts, over the environment the container is given.
 */
final class Exporter {

    /** What to export: the image's name, the chosen default process, and what the build made. */
    record Request(String image, Optional<String> defaultProcess, RunImage run, List<GroupMember> group, Path layers,
            Path workspace) {
    }

    /** An image ready to save: its config, the run image's diff IDs and the new layers above them. */
    record Image(ImageConfig config, List<String> runDiffs, List<LayerTar> newLayers,
            Optional<BuildpackOutput.Process> defaultProcess, Map<String, CachedLayers.Record> launchLayers) {
    }

    /** The build container's paths as tar streams (its archive API): where launch layers are read from. */
    interface Archives {
        /** {@code path} as a tar whose top entry is its last element; empty when it does not exist. */
        Optional<InputStream> open(String path) throws IOException;
    }

    private final Reporter out;
    private final CnbUser user;
    private final Map<String, String> extraLabels;
    private final Optional<ProjectDescriptor> project;
    private final Path temp;
    private final Cancellation cancel;
    private int written;
    private Archives archives;
    private CachedLayers cached = CachedLayers.none();
    /** The launch layers exported, by {@link CachedLayers#key}: what the cache step records. */
    private final Map<String, CachedLayers.Record> exported = new LinkedHashMap<>();

    Exporter(Reporter out, CnbUser user, Map<String, String> extraLabels, Optional<ProjectDescriptor> project, Path temp,
            Cancellation cancel) {
        this.out = out;
        this.user = user;
        this.extraLabels = extraLabels;
        this.project = project;
        this.temp = temp;
        this.cancel = cancel;
    }

    /** Launch layers are read from {@code archives} (the build container), not from the host copy of the layers. */
    Exporter from(Archives archives) {
        this.archives = archives;
        return this;
    }

    /**
     * A restored cache layer that the build left as the restore gave it is not read to learn its diff ID: the cache
     * step's record gives it ({@link CachedLayers}); it is read only if it has to be sent.
     */
    Exporter reusing(CachedLayers cached) {
        this.cached = cached;
        return this;
    }

    /** The image; {@code launcher} is the launcher program's bytes. */
    Image export(Request req, byte[] launcher) throws IOException {
        List<String> runDiffs = ImageConfig.of(req.run().details()).diffIds();
        if (runDiffs.isEmpty()) {
            throw new PlatformException("the run image " + req.run().reference() + " has no layers.");
        }
        List<LayerTar> newLayers = new ArrayList<>();
        List<String> history = new ArrayList<>();
        List<ExportLabels.Contribution> contributions = new ArrayList<>();
        List<BuildpackOutput.Process> processes = new ArrayList<>();
        Map<String, String> launchLabels = new LinkedHashMap<>();
        for (GroupMember bp : req.group()) {
            Path bpLayers = req.layers().resolve(Cnb.escape(bp.id()));
            contributions.add(launchLayers(bp, bpLayers, newLayers, history));
            Path launchToml = bpLayers.resolve("launch.toml");
            for (BuildpackOutput.Process p : BuildpackOutput.processes(launchToml, bp.id(), bp.api())) {
                processes.removeIf(q -> q.type().equals(p.type()));
                processes.add(p);
            }
            launchLabels.putAll(BuildpackOutput.labels(launchToml, bp.id()));
        }

        LayerBuilder app = new LayerBuilder();
        app.tree(req.workspace(), "workspace", user.uid(), user.gid());
        Layer appLayer = add(app, "app-layer.tar", "Application Layer", newLayers, history);
        out.event(new PlatformEvent.AppLayersAdded(1));

        String defaultType = defaultType(req.defaultProcess(), processes);
        Optional<BuildpackOutput.Process> defaultProcess = processes.stream().filter(p -> p.type().equals(
                defaultType)).findFirst();
        ExportLabels.LifecycleLayers own = lifecycleLayers(launcher, processes, defaultType, req.group(), appLayer,
                newLayers, history);

        List<String> diffIds = new ArrayList<>(runDiffs);
        newLayers.forEach(l -> diffIds.add(l.diffId()));
        ImageConfig image = configure(ImageConfig.derive(req.run().details(), diffIds, history), req.run(),
                defaultProcess).withLabels(ExportLabels.all(launchLabels, ExportLabels.lifecycle(contributions, own,
                        req.run(), runDiffs.get(runDiffs.size() - 1)), ExportLabels.build(req.group(), processes,
                        defaultType), project, extraLabels));
        return new Image(image, runDiffs, newLayers, defaultProcess, Map.copyOf(exported));
    }

    /** One layer per launch layer of the buildpack, {@code /layers/<id>/<name>} owned by the CNB user. */
    private ExportLabels.Contribution launchLayers(GroupMember bp, Path bpLayers, List<LayerTar> newLayers,
            List<String> history) throws IOException {
        Optional<ObjectNode> store = RestoredFiles.store(bpLayers, bp.key());
        List<ExportLabels.LaunchLayer> layers = new ArrayList<>();
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
            String key = CachedLayers.key(bp.id(), l.name());
            Optional<CachedLayers.Record> same = cached.unchanged(key, user.uid(), user.gid());
            same.ifPresent(r -> out.info("Layer '" + bp.id() + ":" + l.name() + "' is as it was restored: its diff ID"
                    + " is the cache's, and it is not read again"));
            LayerTar layer = streamed(inImage, "Layer: '" + l.name() + "', Created by buildpack: " + bp.key(),
                    newLayers, history, same);
            exported.put(key, new CachedLayers.Record(key, layer.diffId(), layer.size(), user.uid(), user.gid()));
            out.event(new PlatformEvent.LayerAdded(bp.id(), l.name()));
            layers.add(new ExportLabels.LaunchLayer(l.name(), layer.diffId(), l.metadata(), l.build(), l.cache()));
        }
        return new ExportLabels.Contribution(bp, layers, store);
    }

    /** The default process: the one asked for, else the last one a buildpack marks default, else {@code web}. */
    static String defaultType(Optional<String> asked, List<BuildpackOutput.Process> processes) {
        String type = asked.orElseGet(() -> processes.stream().filter(BuildpackOutput.Process::isDefault)
                .map(BuildpackOutput.Process::type).reduce((a, b) -> b)
                .orElse(processes.stream().anyMatch(p -> p.type().equals("web")) ? "web" : null));
        if (type != null && processes.stream().noneMatch(p -> p.type().equals(type))) {
            throw new PlatformException("the default process `" + type + "` is not among the processes the"
                    + " buildpacks declare (" + processes.stream().map(BuildpackOutput.Process::type).toList() + ").");
        }
        return type;
    }

    /** The launcher, its config ({@code /layers/config/metadata.toml}) and the process links. */
    private ExportLabels.LifecycleLayers lifecycleLayers(byte[] launcher, List<BuildpackOutput.Process> processes,
            String defaultType, List<GroupMember> group, Layer appLayer, List<LayerTar> newLayers, List<String> history)
            throws IOException {
        LayerBuilder launcherLayer = new LayerBuilder();
        launcherLayer.directory("cnb", 0, 0, 0755);
        launcherLayer.directory("cnb/lifecycle", 0, 0, 0755);
        launcherLayer.file(LifecycleImage.LAUNCHER.substring(1), launcher, 0, 0, 0755);
        Layer launcherTar = add(launcherLayer, "launcher-layer.tar", "Buildpacks Application Launcher", newLayers,
                history);
        out.event(new PlatformEvent.LayerAdded(LifecycleImage.REPOSITORY, "launcher"));

        LayerBuilder configLayer = new LayerBuilder();
        configLayer.directory("layers", user.uid(), user.gid(), 0755);
        configLayer.directory("layers/config", 0, 0, 0755);
        configLayer.file("layers/config/metadata.toml", LaunchMetadata.toml(processes, defaultType, group.stream()
                .map(bp -> new LaunchMetadata.Buildpack(bp.id(), bp.version(), bp.api().toString())).toList())
                .getBytes(StandardCharsets.UTF_8), 0, 0, 0644);
        Layer config = configLayer.write(temp.resolve("config-layer.tar"));
        newLayers.add(LayerTar.of(config));
        history.add("Buildpacks Launcher Config");
        out.event(new PlatformEvent.LayerAdded(LifecycleImage.REPOSITORY, "config"));

        String processTypes = null;
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
            Layer layer = links.write(temp.resolve("process-types-layer.tar"));
            newLayers.add(LayerTar.of(layer));
            history.add("Buildpacks Process Types");
            out.event(new PlatformEvent.LayerAdded(LifecycleImage.REPOSITORY, "process-types"));
            processTypes = layer.diffId();
        }
        return new ExportLabels.LifecycleLayers(appLayer.diffId(), config.diffId(), launcherTar.diffId(), processTypes);
    }

    /** The run image's env with the lifecycle's, the app folder, and the default process's link as entrypoint. */
    private ImageConfig configure(ImageConfig image, RunImage run, Optional<BuildpackOutput.Process> defaultProcess) {
        LaunchEnv env = new LaunchEnv(ImageConfig.of(run.details()).env());
        env.set("CNB_LAYERS_DIR", Cnb.LAYERS_DIR);
        env.set("CNB_APP_DIR", Cnb.APP_DIR);
        env.set("CNB_PLATFORM_API", Cnb.PLATFORM_API);
        env.set("CNB_DEPRECATION_MODE", "quiet");
        env.prepend("PATH", "/cnb/process:/cnb/lifecycle", ":");
        defaultProcess.filter(p -> !p.direct()).ifPresent(p -> out.warn("process `" + p.type() + "` is not direct"
                + " (Buildpack API below 0.9 without direct = true): the launcher runs it through bash or sh, which"
                + " the run image must have"));
        if (defaultProcess.isEmpty()) {
            out.warn("no default process: `docker run` of the image lists its process types; run one with"
                    + " `docker run --entrypoint <type> IMAGE`");
        }
        return image.withEnv(env.entries()).withWorkingDir(Cnb.APP_DIR).withEntrypoint(List.of(defaultProcess
                .map(p -> "/cnb/process/" + p.type()).orElse(LifecycleImage.LAUNCHER))).withCmd(null);
    }

    /** Writes a layer (unless the build was cancelled) and adds it with its history entry. */
    private Layer add(LayerBuilder content, String file, String historyEntry, List<LayerTar> newLayers,
            List<String> history) throws IOException {
        if (cancel.isCancelled()) {
            throw new InterruptedIOException("build cancelled");
        }
        Layer layer = content.write(temp.resolve(file));
        written++;
        newLayers.add(LayerTar.of(layer));
        history.add(historyEntry);
        return layer;
    }

    /**
     * The launch layer at {@code inImage} ({@code /layers/<id>/<name>}), read from the build container's archive and
     * normalised on the way into the bytes {@link LayerBuilder#tree} would write for it ({@code /layers} and
     * {@code /layers/<id>} owned by the CNB user). With {@link ExportMode#HASH_FIRST} this read only hashes it, and
     * the image save reads it again if it sends it; with {@link ExportMode#SPILL} it goes to a temp file that the save
     * sends and deletes. With a {@code record} (the layer is the cache's, unchanged), it is not read here at all: the
     * save reads it only if it sends it.
     */
    private LayerTar streamed(String inImage, String historyEntry, List<LayerTar> newLayers, List<String> history,
            Optional<CachedLayers.Record> record) throws IOException {
        if (cancel.isCancelled()) {
            throw new InterruptedIOException("build cancelled");
        }
        if (archives == null) {
            throw new IllegalStateException("the exporter reads launch layers from the build container: give it one");
        }
        String parent = inImage.substring(0, inImage.lastIndexOf('/'));
        LayerStream stream = new LayerStream(parent.substring(1), List.of("layers", parent.substring(1)), user.uid(),
                user.gid(), temp);
        LayerStream.Source source = () -> open(inImage);
        LayerTar layer;
        if (record.isPresent()) {
            LayerStream.Result r = new LayerStream.Result(record.get().diffId(), record.get().size());
            layer = new LayerTar(r.diffId(), r.size(), out -> sendAgain(stream, source, inImage, r, out));
        } else if (ExportMode.current() == ExportMode.SPILL) {
            Path file = temp.resolve("layer-" + written + ".tar");
            LayerStream.Result r = stream.write(source, () -> Files.newOutputStream(file));
            layer = new LayerTar(r.diffId(), r.size(), new LayerTar.Content() {
                @Override
                public void writeTo(java.io.OutputStream out) throws IOException {
                    try (InputStream in = Files.newInputStream(file)) {
                        in.transferTo(out);
                    } finally {
                        Files.deleteIfExists(file);
                    }
                }

                @Override
                public void drop() throws IOException {
                    Files.deleteIfExists(file);
                }
            });
        } else {
            LayerStream.Result r = stream.write(source, LayerStream.Sink.nowhere());
            layer = new LayerTar(r.diffId(), r.size(), out -> sendAgain(stream, source, inImage, r, out));
        }
        written++;
        newLayers.add(layer);
        history.add(historyEntry);
        return layer;
    }

    /** The layer read again into {@code out}, which fails if it is not the one hashed (or recorded) as {@code r}. */
    private static void sendAgain(LayerStream stream, LayerStream.Source source, String inImage, LayerStream.Result r,
            java.io.OutputStream out) throws IOException {
        LayerStream.Result again = stream.write(source, LayerStream.Sink.into(out));
        if (!again.diffId().equals(r.diffId()) || again.size() != r.size()) {
            throw new IOException(inImage + " is not the layer it was when its diff ID was taken (" + r.diffId()
                    + ", now " + again.diffId() + ")");
        }
    }

    private InputStream open(String path) throws IOException {
        return archives.open(path).orElseThrow(() -> new IOException(path + " is not in the build container"));
    }
}
