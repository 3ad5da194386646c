package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.descriptor.BuildpackApi;
import io.packlab.cnb.metadata.LifecycleMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * What the lifecycle keeps of a build for the next one and gives back to the buildpacks before
 * they build: {@code <layer>.toml} files of earlier layers (metadata only: the layer types are
 * reset, as the buildpack spec's Layer Types section says) and each buildpack's {@code store.toml},
 * kept in the image's lifecycle metadata under {@code store}.
 */
final class RestoredFiles {

    private RestoredFiles() {
    }

    /**
     * A {@code <layer>.toml} as the lifecycle restores it: from Buildpack API 0.6 the
     * {@code [metadata]} table only, so every type flag reads false until the buildpack sets again
     * the ones it keeps; before 0.6 (flags at the top level) the flags as they were recorded.
     */
    static String layerToml(Map<String, ?> metadata, boolean launch, boolean build, boolean cache, BuildpackApi api) {
        StringBuilder out = new StringBuilder();
        if (!api.typesTable()) {
            out.append("launch = ").append(launch).append("\nbuild = ").append(build).append("\ncache = ").append(cache)
                    .append("\n\n");
        }
        return out.append(TomlWriter.table("metadata", metadata)).toString();
    }

    /**
     * Whether a layer recorded in the previous image has its {@code <layer>.toml} restored from the
     * image: a launch layer that is neither a build layer without cache (rebuilt every time, so
     * nothing is restored) nor a cache layer (restored with its content from the cache instead).
     */
    static boolean fromImage(LifecycleMetadata.LayerMetadata layer) {
        return layer.isLaunch() && !layer.isBuild() && !layer.isCache();
    }

    /** The {@code store.toml} text of a buildpack's recorded {@code store} ({@code {"metadata": {...}}}), if any. */
    static Optional<String> storeToml(JsonNode store) {
        Object metadata = TomlWriter.plain(store == null ? null : store.path("metadata"));
        if (!(metadata instanceof Map<?, ?> m)) {
            return Optional.empty();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        m.forEach((k, v) -> values.put(String.valueOf(k), v));
        return Optional.of(TomlWriter.table("metadata", values));
    }

    /**
     * The {@code store} value for the lifecycle metadata of the {@code store.toml} a buildpack left
     * in its layers folder ({@code {"metadata": {...}}}); empty when it wrote none.
     */
    static Optional<ObjectNode> store(Path bpLayers, String buildpack) {
        Path file = bpLayers.resolve("store.toml");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (IOException e) {
            throw new PlatformException("cannot read the store.toml of buildpack " + buildpack + ": " + e.getMessage());
        }
        if (toml.hasErrors()) {
            throw new PlatformException("buildpack " + buildpack + " wrote a store.toml that is not TOML ("
                    + toml.errors().get(0).toString() + "). No image was made; fix what its bin/build writes to"
                    + " store.toml ([metadata] and its keys).");
        }
        TomlTable metadata = toml.isTable("metadata") ? toml.getTable("metadata") : null;
        ObjectNode store = Images.JSON.createObjectNode();
        store.set("metadata", Images.JSON.valueToTree(metadata == null ? Map.of() : TomlWriter.plainToml(metadata)));
        return Optional.of(store);
    }
}
