package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.image.Layer;
import io.packlab.cnb.image.LayerBuilder;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A buildpack folder as an image layer ({@code /cnb/buildpacks/<id>/<version>/}, root-owned,
 * executables kept executable) and its entry in {@code io.buildpacks.buildpack.layers}.
 */
final class BuildpackLayers {

    private BuildpackLayers() {
    }

    /** A buildpack read from its folder, with its layer written to {@code tar}. */
    record Packed(BuildpackDescriptor descriptor, Layer layer) {
    }

    static Packed pack(Path dir, Path tar) throws IOException {
        BuildpackDescriptor d = BuildpackDescriptor.read(dir.resolve("buildpack.toml"));
        LayerBuilder lb = new LayerBuilder();
        lb.directory("cnb", 0, 0, 0755);
        lb.directory("cnb/buildpacks", 0, 0, 0755);
        lb.directory("cnb/buildpacks/" + Cnb.escape(d.id()), 0, 0, 0755);
        lb.tree(dir, Cnb.buildpackDir(d.id(), d.version()).substring(1), 0, 0);
        return new Packed(d, lb.write(tar));
    }

    /**
     * Adds {@code id -> version -> {api, stacks|targets, order, layerDiffID, homepage, name}} to the layers label, as pack
     * writes it ({@code order} for a composite buildpack: its groups with id, version and optional).
     */
    static void describe(ObjectNode layersLabel, Packed p) {
        BuildpackDescriptor d = p.descriptor();
        ObjectNode byId = layersLabel.get(d.id()) instanceof ObjectNode o ? o : layersLabel.putObject(d.id());
        ObjectNode v = byId.putObject(d.version());
        v.put("api", d.api().toString());
        if (!d.stacks().isEmpty()) {
            ArrayNode stacks = v.putArray("stacks");
            d.stacks().forEach(s -> {
                ObjectNode o = stacks.addObject().put("id", s.id());
                if (!s.mixins().isEmpty()) {
                    ArrayNode m = o.putArray("mixins");
                    s.mixins().forEach(m::add);
                }
            });
        }
        if (!d.targets().isEmpty()) {
            ArrayNode targets = v.putArray("targets");
            d.targets().forEach(t -> {
                ObjectNode o = targets.addObject();
                if (!t.os().isEmpty()) {
                    o.put("os", t.os());
                }
                if (!t.arch().isEmpty()) {
                    o.put("arch", t.arch());
                }
                if (!t.variant().isEmpty()) {
                    o.put("variant", t.variant());
                }
                if (!t.distros().isEmpty()) {
                    ArrayNode ds = o.putArray("distros");
                    t.distros().forEach(x -> ds.addObject().put("name", x.name()).put("version", x.version()));
                }
            });
        }
        if (d.isComposite()) {
            ArrayNode order = v.putArray("order");
            d.order().forEach(g -> {
                ArrayNode group = order.addObject().putArray("group");
                g.group().forEach(ref -> {
                    ObjectNode o = group.addObject().put("id", ref.id()).put("version", ref.version());
                    if (ref.optional()) {
                        o.put("optional", true);
                    }
                });
            });
        }
        v.put("layerDiffID", p.layer().diffId());
        d.homepage().ifPresent(h -> v.put("homepage", h));
        d.name().ifPresent(n -> v.put("name", n));
    }
}
