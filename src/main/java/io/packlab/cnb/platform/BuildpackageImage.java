package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.image.TarExtractor;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageDetails;
import io.packlab.error.PacklabException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A buildpackage image in the Docker engine, read as pack reads one for {@code --buildpack}: its entry buildpack from
 * {@code io.buildpacks.buildpackage.metadata}, every buildpack it holds (composites and their members) from
 * {@code io.buildpacks.buildpack.layers}, each from the layer that label names, at
 * {@code /cnb/buildpacks/<id>/<version>/} (a flattened package holds several in one layer). The image is taken from
 * the engine whatever the pull policy (the built-in platform pulls nothing); only the buildpack folders of its layers
 * are used.
 *
 * @param reference  the image, as named
 * @param entry      the package's own buildpack, the one a group names
 * @param buildpacks every buildpack of the package, extracted, in the layers label's order
 */
record BuildpackageImage(String reference, BuildpackDescriptor entry, List<BuildOrder.Added> buildpacks) {

    BuildpackageImage {
        buildpacks = List.copyOf(buildpacks);
    }

    /** Reads {@code reference} from the engine; its layers are extracted under {@code temp}. */
    static BuildpackageImage read(Engine engine, String reference, String locator, Path temp) throws IOException {
        return read(engine, reference, "--buildpack " + locator, true, temp);
    }

    /**
     * Reads {@code reference} from the engine for {@code named} (how the learner named it: {@code --buildpack ...} for a
     * build, a [[buildpacks]] or [[dependencies]] entry for builder create and buildpack package).
     */
    static BuildpackageImage read(Engine engine, String reference, String named, boolean forBuild, Path temp)
            throws IOException {
        ImageDetails image = engine.imageDetails(reference).orElseThrow(() -> new PlatformException("the buildpackage"
                + " image " + reference + " (" + named + ") is not in the Docker engine, and the built-in"
                + " platform pulls nothing" + (forBuild ? ", whatever the --pull-policy" : "") + ". Make it with `pack"
                + " buildpack package " + reference + " --config <package.toml>` (lesson package), or load it with"
                + " docker pull or docker load."));
        Map<String, String> labels = ImageConfig.of(image).labels();
        if (!labels.containsKey(Cnb.LABEL_BUILDPACKAGE) || !labels.containsKey(Cnb.LABEL_BUILDPACK_LAYERS)) {
            String missing = labels.containsKey(Cnb.LABEL_BUILDPACKAGE) ? Cnb.LABEL_BUILDPACK_LAYERS : Cnb.LABEL_BUILDPACKAGE;
            String kind = labels.containsKey(Cnb.LABEL_BUILDER) ? " It is a builder" + (forBuild ? ": name it with"
                    + " --builder." : ", not a package of buildpacks.")
                    : labels.containsKey(Cnb.LABEL_LIFECYCLE) ? " It is an app image that buildpacks made, not one"
                    + " that holds buildpacks." : "";
            throw PlatformException.refused(named + ": the image " + reference + " is not a"
                    + " buildpackage: it has no label " + missing + " (pack: could not find label '" + missing + "')."
                    + kind + " A buildpackage is what `pack buildpack package` makes; give one, or the buildpack's"
                    + " folder.");
        }
        JsonNode meta = Images.jsonLabel(image, reference, Cnb.LABEL_BUILDPACKAGE);
        String id = meta.path("id").asText("");
        String version = meta.path("version").asText("");
        JsonNode layers = Images.jsonLabel(image, reference, Cnb.LABEL_BUILDPACK_LAYERS);
        if (!layers.path(id).has(version)) {
            List<String> held = new ArrayList<>();
            layers.fields().forEachRemaining(b -> b.getValue().fieldNames().forEachRemaining(v -> held.add(b.getKey()
                    + "@" + v)));
            throw PlatformException.refused(named + ": the buildpackage " + reference + " names "
                    + id + "@" + version + " as its buildpack (" + Cnb.LABEL_BUILDPACKAGE + "), but its "
                    + Cnb.LABEL_BUILDPACK_LAYERS + " label lists " + (held.isEmpty() ? "none" : String.join(", ", held))
                    + ". Package it again with `pack buildpack package`.");
        }

        List<String> diffIds = ImageConfig.of(image).diffIds();
        Path saved = Files.createTempDirectory(temp, "buildpackage-");
        try (InputStream in = engine.saveImage(reference)) {
            TarExtractor.extract(in, saved);
        } catch (PacklabException e) {
            throw PlatformException.refused("the image " + reference + " cannot be read as docker save gives it: "
                    + e.getMessage());
        }
        JsonNode files = Images.JSON.readTree(saved.resolve("manifest.json").toFile()).path(0).path("Layers");
        if (files.size() != diffIds.size()) {
            throw new PlatformException("docker save of " + reference + " gave " + files.size() + " layers, the image"
                    + " config names " + diffIds.size() + ".");
        }
        Map<String, Path> extracted = new HashMap<>();
        List<BuildOrder.Added> out = new ArrayList<>();
        BuildpackDescriptor entry = null;
        for (var byId : iterable(layers)) {
            for (var byVersion : iterable(byId.getValue())) {
                String bp = byId.getKey() + "@" + byVersion.getKey();
                String diffId = byVersion.getValue().path("layerDiffID").asText("");
                int at = diffIds.indexOf(diffId);
                if (at < 0) {
                    throw PlatformException.refused(named + ": the buildpackage " + reference
                            + " says buildpack " + bp + " is in layer " + (diffId.isEmpty() ? "(none)" : diffId)
                            + ", which the image does not have. Package it again with `pack buildpack package`.");
                }
                Path root = extracted.get(diffId);
                if (root == null) {
                    root = Files.createTempDirectory(temp, "buildpackage-layer-");
                    try (InputStream in = Files.newInputStream(saved.resolve(files.get(at).asText()))) {
                        TarExtractor.extract(in, root);
                    } catch (PacklabException e) {
                        throw PlatformException.refused(named + ": the layer of " + bp + " in "
                                + reference + " is refused: " + e.getMessage());
                    }
                    extracted.put(diffId, root);
                }
                Path dir = root.resolve(Cnb.buildpackDir(byId.getKey(), byVersion.getKey()).substring(1));
                if (!Files.isRegularFile(dir.resolve("buildpack.toml"))) {
                    throw PlatformException.refused(named + ": the layer of " + bp + " in "
                            + reference + " has no " + Cnb.buildpackDir(byId.getKey(), byVersion.getKey())
                            + "/buildpack.toml. Package it again with `pack buildpack package`.");
                }
                BuildpackDescriptor d = BuildpackDescriptor.read(dir.resolve("buildpack.toml"));
                if (!d.id().equals(byId.getKey()) || !d.version().equals(byVersion.getKey())) {
                    throw PlatformException.refused(named + ": in " + reference + ", the buildpack"
                            + " listed as " + bp + " says it is " + d.fullName() + " in its buildpack.toml. Package it"
                            + " again with `pack buildpack package`.");
                }
                out.add(new BuildOrder.Added(dir, d, "image " + reference));
                if (byId.getKey().equals(id) && byVersion.getKey().equals(version)) {
                    entry = d;
                }
            }
        }
        AppBuilder.deleteTree(saved);
        return new BuildpackageImage(reference, entry, out);
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }
}
