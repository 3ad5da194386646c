package io.packlab.cnb.platform;

import io.packlab.cnb.image.LayerBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The lifecycle's cache step: the cache layers of the group into the build's cache volume, replacing what was there,
 * so that the next build restores them. Each {@code <layer>.toml} is kept as the next build gets it back: metadata
 * only, its flags reset.
 */
final class CacheWriter {

    private final BuildContainer container;
    private final Reporter out;

    CacheWriter(BuildContainer container, Reporter out) {
        this.container = container;
        this.out = out;
    }

    /** Writes the cache; {@code layers} is the host copy of {@code /layers} after the build. */
    void save(List<GroupMember> group, Path layers) throws InterruptedException, IOException {
        // into a new folder that replaces the old one in one move: a kill half-way keeps the old cache
        StringBuilder script = new StringBuilder("rm -rf /cache/layers.new && mkdir -p /cache/layers.new");
        LayerBuilder tomls = new LayerBuilder();
        String staging = BuildContainer.WORK + "/cache-toml";
        for (GroupMember bp : group) {
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
                out.event(new PlatformEvent.CacheLayerAdded(bp.id(), l.name()));
            }
        }
        script.append(" && rm -rf /cache/layers && mv /cache/layers.new /cache/layers");
        if (!tomls.names().isEmpty()) {
            container.copyIn(tomls, layers.resolveSibling("cache-toml.tar"));
        }
        container.root(script.toString(), line -> {
        });
    }
}
