package io.packlab.cnb.platform;

import io.packlab.cnb.image.LayerBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle's cache step: the cache layers of the group become the committed cache of the build's cache volume,
 * replacing what was there, so that the next build restores them. The layers are hard-linked, not copied, into a new
 * generation that is committed with one rename ({@link CacheVolume}). Each {@code <layer>.toml} is kept as the next
 * build gets it back: metadata only, its flags reset.
 */
final class CacheWriter {

    private final BuildContainer container;
    private final Reporter out;
    private final CacheVolume volume;

    CacheWriter(BuildContainer container, Reporter out) {
        this(container, out, new CacheVolume(Cnb.LAYERS_DIR));
    }

    CacheWriter(BuildContainer container, Reporter out, CacheVolume volume) {
        this.container = container;
        this.out = out;
        this.volume = volume;
    }

    /**
     * Writes the cache; {@code layers} is the host copy of {@code /layers} after the build (its TOMLs are read). Each
     * cached layer that was also exported ({@code exported}, by {@link CachedLayers#key}) is recorded with it, so that
     * the next build knows its diff ID while it is unchanged ({@link CachedLayers}).
     */
    void save(List<GroupMember> group, Path layers, Map<String, CachedLayers.Record> exported)
            throws InterruptedException, IOException {
        LayerBuilder tomls = new LayerBuilder();
        String staging = BuildContainer.WORK + "/cache-toml";
        List<CacheVolume.Cached> cached = new ArrayList<>();
        List<CachedLayers.Record> records = new ArrayList<>();
        for (GroupMember bp : group) {
            for (BuildpackOutput.LayerToml l : BuildpackOutput.layers(layers.resolve(Cnb.escape(bp.id())), bp.key(),
                    Reporter.quiet())) {
                if (!l.cache()) {
                    continue;
                }
                String toml = staging + "/" + Cnb.escape(bp.id()) + "/" + l.name() + ".toml";
                tomls.file(toml.substring(1), RestoredFiles.layerToml(l.metadata(), l.launch(), l.build(), l.cache(),
                        bp.api()).getBytes(StandardCharsets.UTF_8), 0, 0, 0644);
                cached.add(new CacheVolume.Cached(Cnb.escape(bp.id()), l.name(), toml));
                CachedLayers.Record r = exported.get(CachedLayers.key(bp.id(), l.name()));
                if (r != null) {
                    records.add(r);
                }
                out.event(new PlatformEvent.CacheLayerAdded(bp.id(), l.name()));
            }
        }
        String recordsFile = CachedLayers.recordsFile(records);
        Optional<String> recordsPath = Optional.empty();
        if (!recordsFile.isEmpty()) {
            String path = staging + "/" + CachedLayers.RECORDS;
            tomls.file(path.substring(1), recordsFile.getBytes(StandardCharsets.UTF_8), 0, 0, 0644);
            recordsPath = Optional.of(path);
        }
        if (!tomls.names().isEmpty()) {
            container.copyIn(tomls, layers.resolveSibling("cache-toml.tar"));
        }
        container.root(String.join("\n", volume.commit(cached, recordsPath)), line -> {
        });
    }
}
