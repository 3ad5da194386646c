package io.packlab.picture;

import io.packlab.engine.ImageInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The picture of a builder: the layers {@code pack builder create} added (the CNB files, the
 * lifecycle, one per buildpack) on the build image's layers, and the run image it names.
 */
final class BuilderPicture {

    /** The build image under a builder, when packlab found it in the engine. */
    record Base(String name, List<String> layers) {
    }

    private BuilderPicture() {
    }

    /**
     * @param builder the builder, or empty for the generic picture
     * @param base    the engine's image whose layers are the builder's bottom ones, if found
     * @param history what made each layer of the builder ({@code created_by}, bottom first), or empty
     * @param run     the run image the builder names, if it is in the engine
     */
    static List<String> draw(Frame f, Texts t, String name, Optional<ImageInfo> builder, Optional<Base> base,
            List<String> history, Optional<ImageInfo> run) {
        if (builder.isEmpty()) {
            return generic(f, t, name);
        }
        ImageInfo b = builder.get();
        CnbLabels.Builder labels = CnbLabels.builder(b.labels());
        Map<String, CnbLabels.Buildpack> bps = new HashMap<>();
        labels.buildpacks().forEach(bp -> bps.put(bp.diffId(), bp));
        List<String> layers = b.layers();
        int baseCount = baseCount(layers, base.map(Base::layers).orElse(null), history, bps.keySet());
        int firstBp = -1;
        for (int i = baseCount; i < layers.size(); i++) {
            if (bps.containsKey(layers.get(i))) {
                firstBp = i;
                break;
            }
        }
        List<Rows.Row> added = new ArrayList<>();
        for (int i = layers.size() - 1; i >= baseCount; i--) {
            String d = layers.get(i);
            String made = history.size() == layers.size() ? history.get(i) : "";
            String text;
            if (bps.containsKey(d)) {
                text = t.buildpack(bps.get(d).id(), bps.get(d).version());
            } else if (made.contains("ifecycle") || made.contains("auncher")
                    || made.isEmpty() && firstBp >= 0 && i < firstBp) {
                text = t.lifecycle(labels.lifecycleVersion().orElse("?"));
            } else {
                text = t.cnbFiles();
            }
            added.add(new Rows.Row(text, Frame.shortDigest(d, 12)));
        }
        List<String> out = new ArrayList<>();
        out.addAll(Frame.note("", t.builderTitle(name, b.shortId()), f.width(), "  "));
        out.addAll(Rows.box(f, t.addedByCreate(), added));
        out.add(f.middle(t.buildImage(base.map(Base::name).orElse(null))));
        Rows.collapse(Rows.numbered(layers.subList(0, baseCount), 12), 4, t)
                .forEach(r -> out.add(f.row(r.text(), r.value())));
        out.add(f.bottom());
        if (!labels.order().isEmpty()) {
            out.addAll(Frame.note(" ", t.order(String.join(", ", labels.order())), f.width(), "   "));
        }
        String runName = labels.runImage().orElse("?");
        out.addAll(Frame.note(" ", t.namesRunImage(runName), f.width(), "   "));
        out.addAll(Frame.note("   ", t.runImageAside(), f.width(), "     "));
        out.addAll(Frame.note("   ", run.map(r -> t.runLayers(r.layers().size(), r.topLayer().map(d -> Frame.shortDigest(d,
                12)).orElse("-"))).orElse(t.notInEngine(runName)), f.width(), "     "));
        return out;
    }

    /**
     * How many of the builder's bottom layers are the build image's: those of the base found in the
     * engine; else those below the first layer whose history names a CNB part; else those below the
     * lowest buildpack layer.
     */
    static int baseCount(List<String> layers, List<String> baseLayers, List<String> history,
            java.util.Set<String> buildpackLayers) {
        if (baseLayers != null && baseLayers.size() < layers.size()
                && layers.subList(0, baseLayers.size()).equals(baseLayers)) {
            return baseLayers.size();
        }
        if (history.size() == layers.size()) {
            for (int i = 0; i < history.size(); i++) {
                String h = history.get(i);
                if (h.startsWith("Buildpack:") || h.startsWith("Lifecycle:") || h.startsWith("Builder:")) {
                    return i;
                }
            }
        }
        for (int i = 0; i < layers.size(); i++) {
            if (buildpackLayers.contains(layers.get(i))) {
                return i;
            }
        }
        return 0;
    }

    private static List<String> generic(Frame f, Texts t, String name) {
        List<String> out = new ArrayList<>();
        out.addAll(Frame.note("", t.builderTitle(name, "<id>"), f.width(), "  "));
        out.addAll(Rows.box(f, t.addedByCreate(), List.of(
                new Rows.Row(t.cnbFiles(), "<digest>"),
                new Rows.Row(t.lifecycle("<version>"), "<digest>"),
                new Rows.Row(t.buildpack("<id>", "<version>"), "<digest>"))));
        out.add(f.middle(t.buildImage("<build image>")));
        out.add(f.row(t.layer() + " …", "<digest>"));
        out.add(f.bottom());
        out.addAll(Frame.note(" ", t.order("<id> <version>"), f.width(), "   "));
        out.addAll(Frame.note(" ", t.namesRunImage("<run image>"), f.width(), "   "));
        out.addAll(Frame.note("   ", t.runImageAside(), f.width(), "     "));
        return out;
    }
}
