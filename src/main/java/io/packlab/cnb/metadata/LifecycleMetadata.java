package io.packlab.cnb.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an app image records in {@code io.buildpacks.lifecycle.metadata}: the app, config, launcher
 * and process-types layers, each buildpack's layers (with their metadata) and store, the run image
 * it was built or rebased on, and the stack's run image names. Read once ({@link #of}, {@link #parse});
 * {@link #toJson} writes it back: an unchanged value gives the text it was read from (through
 * Jackson), changes keep the order of the keys and the keys packlab does not know.
 *
 * <p>Components are null where the label has no such key (or JSON null).
 *
 * @param app          the app layers ({@code app}: {@code [{"sha"}]}; very old images hold one object)
 * @param sbom         the SBOM layer ({@code sbom})
 * @param buildpacks   each buildpack's layers and store, in group order
 * @param config       the launcher config layer ({@code /layers/config/metadata.toml})
 * @param launcher     the launcher layer
 * @param processTypes the {@code /cnb/process} layer ({@code process-types})
 * @param runImage     the run image the app's bottom layers are ({@code runImage})
 * @param stack        the run image names of the stack ({@code stack}, deprecated from Platform API 0.12)
 * @param source       the JSON this value was read from, null when made here: written back around the fields
 */
public record LifecycleMetadata(List<LayerRef> app, LayerRef sbom, List<BuildpackEntry> buildpacks, LayerRef config,
        LayerRef launcher, LayerRef processTypes, RunImage runImage, Stack stack, ObjectNode source) {

    /** The label that holds it. */
    public static final String LABEL = "io.buildpacks.lifecycle.metadata";

    public LifecycleMetadata {
        app = Json.copy(app);
        buildpacks = Json.copy(buildpacks);
        source = source == null ? null : source.deepCopy();
    }

    /** A layer by its diff ID ({@code {"sha": ...}}). */
    public record LayerRef(String sha) {

        static LayerRef read(JsonNode node, String path) {
            return node == null ? null : new LayerRef(Json.text(Json.object(node, path), "sha", path + ".sha"));
        }

        JsonNode write(JsonNode source) {
            return new Json.Writer<>(source, s -> read(s, ""))
                    .put("sha", sha, LayerRef::sha, () -> Json.textNode(sha)).done();
        }
    }

    /**
     * One buildpack's entry.
     *
     * @param key     the buildpack id
     * @param version its version
     * @param layers  its launch (and cache) layers by name
     * @param store   its {@code store.toml} as {@code {"metadata": {...}}}, or null
     */
    public record BuildpackEntry(String key, String version, Map<String, LayerMetadata> layers, JsonNode store) {

        public BuildpackEntry {
            layers = Json.copy(layers);
            store = store == null ? null : store.deepCopy();
        }

        static BuildpackEntry read(JsonNode node, String path) {
            ObjectNode o = Json.object(node, path);
            return new BuildpackEntry(Json.text(o, "key", path + ".key"), Json.text(o, "version", path + ".version"),
                    Json.map(Json.field(o, "layers"), path + ".layers", LayerMetadata::read),
                    Json.object(Json.field(o, "store"), path + ".store"));
        }

        JsonNode write(JsonNode source) {
            return new Json.Writer<>(source, s -> read(s, ""))
                    .put("key", key, BuildpackEntry::key, () -> Json.textNode(key))
                    .put("version", version, BuildpackEntry::version, () -> Json.textNode(version))
                    .put("layers", layers, BuildpackEntry::layers, s -> Json.objectOf(layers, s, LayerMetadata::write))
                    .put("store", store, BuildpackEntry::store, () -> store.deepCopy()).done();
        }

        /** The buildpack's id and version as the lifecycle names it in logs, {@code id@version}. */
        public String fullName() {
            return key + "@" + version;
        }
    }

    /**
     * One layer of a buildpack in the image.
     *
     * @param sha    its diff ID
     * @param data   its {@code [metadata]} as JSON (null when absent)
     * @param build  its {@code build} flag (null when not recorded: packlab records only flags that are set)
     * @param launch its {@code launch} flag
     * @param cache  its {@code cache} flag
     */
    public record LayerMetadata(String sha, JsonNode data, Boolean build, Boolean launch, Boolean cache) {

        public LayerMetadata {
            data = data == null ? null : data.deepCopy();
        }

        /** A launch layer as packlab's exporter records it: {@code launch} true, build and cache only when set. */
        public static LayerMetadata launchLayer(String sha, JsonNode data, boolean build, boolean cache) {
            return new LayerMetadata(sha, data, build ? Boolean.TRUE : null, Boolean.TRUE, cache ? Boolean.TRUE : null);
        }

        static LayerMetadata read(JsonNode node, String path) {
            ObjectNode o = Json.object(node, path);
            return new LayerMetadata(Json.text(o, "sha", path + ".sha"), Json.field(o, "data"),
                    Json.bool(o, "build", path + ".build"), Json.bool(o, "launch", path + ".launch"),
                    Json.bool(o, "cache", path + ".cache"));
        }

        /** Written in packlab's order (sha, data, launch, build, cache) when new. */
        JsonNode write(JsonNode source) {
            return new Json.Writer<>(source, s -> read(s, ""))
                    .put("sha", sha, LayerMetadata::sha, () -> Json.textNode(sha))
                    .put("data", data, LayerMetadata::data, () -> data.deepCopy())
                    .put("launch", launch, LayerMetadata::launch, () -> Json.boolNode(launch))
                    .put("build", build, LayerMetadata::build, () -> Json.boolNode(build))
                    .put("cache", cache, LayerMetadata::cache, () -> Json.boolNode(cache)).done();
        }

        public boolean isLaunch() {
            return Boolean.TRUE.equals(launch);
        }

        public boolean isBuild() {
            return Boolean.TRUE.equals(build);
        }

        public boolean isCache() {
            return Boolean.TRUE.equals(cache);
        }
    }

    /**
     * The run image the app's bottom layers are.
     *
     * @param topLayer  the diff ID of its top layer: where a rebase cuts the app
     * @param reference its image ID (daemon) or {@code repo@sha256:...} (registry)
     * @param image     its name (Platform API 0.12 on), or null
     * @param mirrors   the names of its mirrors, or null
     */
    public record RunImage(String topLayer, String reference, String image, List<String> mirrors) {

        public RunImage {
            mirrors = Json.copy(mirrors);
        }

        static RunImage read(JsonNode node, String path) {
            ObjectNode o = Json.object(node, path);
            if (o == null) {
                return null;
            }
            return new RunImage(Json.text(o, "topLayer", path + ".topLayer"),
                    Json.text(o, "reference", path + ".reference"), Json.text(o, "image", path + ".image"),
                    Json.texts(o, "mirrors", path + ".mirrors"));
        }

        JsonNode write(JsonNode source) {
            return new Json.Writer<>(source, s -> read(s, ""))
                    .put("topLayer", topLayer, RunImage::topLayer, () -> Json.textNode(topLayer))
                    .put("reference", reference, RunImage::reference, () -> Json.textNode(reference))
                    .put("image", image, RunImage::image, () -> Json.textNode(image))
                    .put("mirrors", mirrors, RunImage::mirrors, () -> Json.texts(mirrors)).done();
        }

        /** This run image on another base: its top layer and reference. */
        public RunImage on(String newTopLayer, String newReference) {
            return new RunImage(newTopLayer, newReference, image, mirrors);
        }
    }

    /** The stack part: {@code {"runImage": {"image", "mirrors"}}}. */
    public record Stack(RunImageName runImage) {

        static Stack read(JsonNode node, String path) {
            ObjectNode o = Json.object(node, path);
            return o == null ? null : new Stack(RunImageName.read(Json.field(o, "runImage"), path + ".runImage"));
        }

        JsonNode write(JsonNode source) {
            return new Json.Writer<>(source, s -> read(s, ""))
                    .put("runImage", runImage, Stack::runImage, s -> runImage.write(s)).done();
        }
    }

    /** A run image by name with its mirrors (null when absent). */
    public record RunImageName(String image, List<String> mirrors) {

        public RunImageName {
            mirrors = Json.copy(mirrors);
        }

        static RunImageName read(JsonNode node, String path) {
            ObjectNode o = Json.object(node, path);
            return o == null ? null : new RunImageName(Json.text(o, "image", path + ".image"),
                    Json.texts(o, "mirrors", path + ".mirrors"));
        }

        JsonNode write(JsonNode source) {
            return new Json.Writer<>(source, s -> read(s, ""))
                    .put("image", image, RunImageName::image, () -> Json.textNode(image))
                    .put("mirrors", mirrors, RunImageName::mirrors, () -> Json.texts(mirrors)).done();
        }
    }

    /**
     * The app image's lifecycle metadata; a missing label, a label that is not JSON or not of the
     * lifecycle's shape is a {@link MetadataException} naming the image.
     */
    public static LifecycleMetadata of(Map<String, String> labels, String image) {
        return Json.label(labels, LABEL, image, LifecycleMetadata::read);
    }

    /** The metadata when the labels hold a readable one, else empty (for looks that must not fail). */
    public static Optional<LifecycleMetadata> find(Map<String, String> labels) {
        return Json.findLabel(labels, LABEL, LifecycleMetadata::read);
    }

    /** The run image top layer the labels record, if they hold a readable lifecycle metadata that names one. */
    public static Optional<String> runTopLayer(Map<String, String> labels) {
        return find(labels).map(LifecycleMetadata::runImage).map(RunImage::topLayer).filter(t -> !t.isEmpty());
    }

    /** The label text parsed; a {@link MetadataException} without an image name when it is not of the shape. */
    public static LifecycleMetadata parse(String text) {
        return of(Map.of(LABEL, text), "(given as text)");
    }

    static LifecycleMetadata read(JsonNode json) {
        ObjectNode o = Json.object(json, "the label");
        JsonNode app = Json.field(o, "app");
        List<LayerRef> apps = app != null && app.isObject() ? List.of(LayerRef.read(app, "app"))
                : Json.list(app, "app", LayerRef::read);
        return new LifecycleMetadata(apps, LayerRef.read(Json.field(o, "sbom"), "sbom"),
                Json.list(Json.field(o, "buildpacks"), "buildpacks", BuildpackEntry::read),
                LayerRef.read(Json.field(o, "config"), "config"), LayerRef.read(Json.field(o, "launcher"), "launcher"),
                LayerRef.read(Json.field(o, "process-types"), "process-types"),
                RunImage.read(Json.field(o, "runImage"), "runImage"), Stack.read(Json.field(o, "stack"), "stack"), o);
    }

    /**
     * The metadata as packlab's exporter writes it for a new image: app, config, launcher,
     * process-types (when there are process types), buildpacks, runImage and the stack's run image.
     */
    public static LifecycleMetadata exported(String appLayer, String configLayer, String launcherLayer,
            String processTypesLayer, List<BuildpackEntry> buildpacks, RunImage runImage) {
        return new LifecycleMetadata(List.of(new LayerRef(appLayer)), null, buildpacks, new LayerRef(configLayer),
                new LayerRef(launcherLayer), processTypesLayer == null ? null : new LayerRef(processTypesLayer),
                runImage, new Stack(new RunImageName(runImage.image(), List.of())), null);
    }

    /** The JSON: new values in packlab's order, a read value around the source's keys and order. */
    public ObjectNode toJson() {
        Json.Writer<LifecycleMetadata> w = new Json.Writer<>(source, LifecycleMetadata::read);
        if (source != null && source.path("app").isObject() && app != null && app.size() == 1) {
            w.put("app", app.get(0), m -> m.app() == null || m.app().size() != 1 ? null : m.app().get(0),
                    s -> app.get(0).write(s));
        } else {
            w.put("app", app, LifecycleMetadata::app, s -> Json.array(app, s, LayerRef::write));
        }
        return w.put("sbom", sbom, LifecycleMetadata::sbom, s -> sbom.write(s))
                .put("config", config, LifecycleMetadata::config, s -> config.write(s))
                .put("launcher", launcher, LifecycleMetadata::launcher, s -> launcher.write(s))
                .put("process-types", processTypes, LifecycleMetadata::processTypes, s -> processTypes.write(s))
                .put("buildpacks", buildpacks, LifecycleMetadata::buildpacks,
                        s -> Json.array(buildpacks, s, BuildpackEntry::write))
                .put("runImage", runImage, LifecycleMetadata::runImage, s -> runImage.write(s))
                .put("stack", stack, LifecycleMetadata::stack, s -> stack.write(s)).done();
    }

    /** The label's text: {@link #toJson} as compact JSON. */
    public String toLabel() {
        return Json.write(toJson());
    }

    /** The same metadata with another run image part. */
    public LifecycleMetadata withRunImage(RunImage newRunImage) {
        return new LifecycleMetadata(app, sbom, buildpacks, config, launcher, processTypes, newRunImage, stack, source);
    }

    /** The same metadata with another stack part. */
    public LifecycleMetadata withStack(Stack newStack) {
        return new LifecycleMetadata(app, sbom, buildpacks, config, launcher, processTypes, runImage, newStack, source);
    }

    /** The buildpack entries (none when the label has no {@code buildpacks}). */
    public List<BuildpackEntry> buildpackEntries() {
        return buildpacks == null ? List.of() : buildpacks;
    }

    /** The recorded run image top layer, or empty. */
    public Optional<String> runTopLayer() {
        return Optional.ofNullable(runImage).map(RunImage::topLayer).filter(t -> !t.isEmpty());
    }

    /** Equal by the typed fields; the source is how it is written, not what it says. */
    @Override
    public boolean equals(Object other) {
        return other instanceof LifecycleMetadata m && Objects.equals(app, m.app) && Objects.equals(sbom, m.sbom)
                && Objects.equals(buildpacks, m.buildpacks) && Objects.equals(config, m.config)
                && Objects.equals(launcher, m.launcher) && Objects.equals(processTypes, m.processTypes)
                && Objects.equals(runImage, m.runImage) && Objects.equals(stack, m.stack);
    }

    @Override
    public int hashCode() {
        return Objects.hash(app, sbom, buildpacks, config, launcher, processTypes, runImage, stack);
    }
}
