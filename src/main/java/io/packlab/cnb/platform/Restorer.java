package io.packlab.cnb.platform;

import io.packlab.cnb.descriptor.BuildpackApi;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.cnb.metadata.BuildMetadata;
import io.packlab.cnb.metadata.LifecycleMetadata;
import io.packlab.cnb.metadata.MetadataException;
import io.packlab.engine.ImageDetails;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle's restore phase: cached layers back from the committed cache into {@code /layers} (moved within the
 * cache volume, which is {@code /layers} itself: see {@link CacheVolume}), and from the previous
 * image's lifecycle metadata the {@code <layer>.toml} of its launch layers and each buildpack's {@code store.toml}. A
 * restored layer's TOML has its flags reset (Buildpack API 0.6 and later): the buildpack sets them again if it keeps it.
 */
final class Restorer {

    private final BuildContainer container;
    private final Reporter out;
    private final CacheVolume volume;

    Restorer(BuildContainer container, Reporter out) {
        this(container, out, new CacheVolume(Cnb.LAYERS_DIR));
    }

    Restorer(BuildContainer container, Reporter out, CacheVolume volume) {
        this.container = container;
        this.out = out;
        this.volume = volume;
    }

    /** Restores; returns what the cache step recorded of the restored launch layers ({@link CachedLayers}). */
    CachedLayers restore(Optional<ImageDetails> previous, boolean clearCache, Path temp)
            throws IOException, InterruptedException {
        CnbUser user = container.user();
        if (clearCache) {
            out.info("Clearing the cache (--clear-cache)");
        }
        CachedLayers cached = CachedLayers.none();
        container.root(volume.restore(user.spec(), clearCache), line -> {
            if (!cached.restoreLine(line) && CacheVolume.LINES.stream().anyMatch(line::startsWith)) {
                out.info(line);
            }
        });
        Optional<LayerBuilder> files = previous.flatMap(this::fromImage);
        if (files.isPresent()) {
            container.copyIn(files.get(), temp.resolve("restored.tar"));
        }
        return cached;
    }

    /** The files restored from the previous image's metadata, owned by the CNB user; empty when there are none. */
    Optional<LayerBuilder> fromImage(ImageDetails previous) {
        Map<String, String> labels = ImageConfig.of(previous).labels();
        if (!labels.containsKey(LifecycleMetadata.LABEL)) {
            return Optional.empty();
        }
        LifecycleMetadata meta;
        try {
            meta = LifecycleMetadata.of(labels, previous.id());
        } catch (MetadataException e) {
            out.warn(e.problem() == MetadataException.Problem.NOT_JSON
                    ? "the previous image's lifecycle metadata is not JSON; nothing is restored from it"
                    : e.getMessage() + " Nothing is restored from it.");
            return Optional.empty();
        }
        CnbUser user = container.user();
        LayerBuilder tomls = new LayerBuilder();
        int n = 0;
        Map<String, BuildpackApi> apis = previousApis(labels);
        for (LifecycleMetadata.BuildpackEntry bp : meta.buildpackEntries()) {
            String key = bp.key() == null ? "" : bp.key();
            String dir = "layers/" + Cnb.escape(key);
            BuildpackApi api = apis.getOrDefault(key, BuildpackApi.NEWEST_SUPPORTED);
            Map<String, LifecycleMetadata.LayerMetadata> layers = bp.layers() == null ? Map.of() : bp.layers();
            for (Map.Entry<String, LifecycleMetadata.LayerMetadata> e : layers.entrySet()) {
                if (!RestoredFiles.fromImage(e.getValue())) {
                    continue; // cache layers come with their content from the cache volume; build layers are rebuilt
                }
                Object data = TomlWriter.plain(e.getValue().data());
                String toml = RestoredFiles.layerToml(data instanceof Map<?, ?> m ? stringKeys(m) : Map.of(), true,
                        false, false, api);
                tomls.file(dir + "/" + e.getKey() + ".toml", toml.getBytes(StandardCharsets.UTF_8), user.uid(),
                        user.gid(), 0644);
                out.info("Restoring metadata for \"" + key + ":" + e.getKey() + "\" from app image");
                n++;
            }
            Optional<String> store = RestoredFiles.storeToml(bp.store());
            if (store.isPresent()) {
                tomls.file(dir + "/store.toml", store.get().getBytes(StandardCharsets.UTF_8), user.uid(), user.gid(),
                        0644);
                n++;
            }
        }
        return n > 0 ? Optional.of(tomls) : Optional.empty();
    }

    /** The Buildpack API of each buildpack of the previous image, by id (its build metadata); unreadable ones left out. */
    private static Map<String, BuildpackApi> previousApis(Map<String, String> labels) {
        Map<String, BuildpackApi> apis = new LinkedHashMap<>();
        for (BuildMetadata.Buildpack bp : BuildMetadata.find(labels).map(BuildMetadata::buildpackList)
                .orElse(List.of())) {
            if (bp.id() == null || bp.api() == null) {
                continue;
            }
            try {
                apis.put(bp.id(), BuildpackApi.parse(bp.api()));
            } catch (IllegalArgumentException e) {
                // an unreadable record: the newest API's rules apply to this buildpack
            }
        }
        return apis;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
