package io.packlab.picture;

import io.packlab.engine.ImageInfo;
import io.packlab.term.DisplayWidth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The picture of a build: the phases (detect, restore, build, export) with what each did for this
 * app, and the layers export wrote (the buildpacks' layers, the app, the launcher and its
 * configuration) on top of the run image's layers.
 */
final class BuildPicture {

    static final List<String> PHASES = List.of("detect", "restore", "build", "export");

    private BuildPicture() {
    }

    static List<String> draw(Frame f, Texts t, String name, Optional<ImageInfo> image) {
        List<String> out = new ArrayList<>();
        if (image.isEmpty()) {
            out.addAll(Frame.note("", t.buildTitle(name, "<id>"), f.width(), "  "));
            out.addAll(phases(f));
            out.addAll(phaseLines(f, t, "<id> <version>", "<layers>", "<layers>"));
            out.addAll(Rows.box(f, t.writtenByExport(), List.of(
                    new Rows.Row(t.processTypes() + ": /cnb/process", "<digest>"),
                    new Rows.Row(t.config() + ": /layers/config", "<digest>"),
                    new Rows.Row(t.launcher() + ": /cnb/lifecycle/launcher", "<digest>"),
                    new Rows.Row(t.app() + ": /workspace", "<digest>"),
                    new Rows.Row("<id>: <layer>", "<digest>"))));
            out.add(f.middle(t.runImage("<run image>")));
            out.add(f.row(t.layer() + " …", "<digest>"));
            out.add(f.bottom());
            return out;
        }
        ImageInfo app = image.get();
        CnbLabels.App labels = CnbLabels.app(app.labels());
        List<String> layers = app.layers();
        int runCount = labels.runTopLayer().map(top -> layers.indexOf(top) + 1).orElse(0);
        out.addAll(Frame.note("", t.buildTitle(name, app.shortId()), f.width(), "  "));
        out.addAll(phases(f));
        List<String> detected = new ArrayList<>();
        List<String> cached = new ArrayList<>();
        List<String> made = new ArrayList<>();
        for (CnbLabels.AppBuildpack bp : labels.buildpacks()) {
            detected.add(bp.id() + " " + bp.version());
            cached.addAll(bp.cached());
            if (!bp.layers().isEmpty()) {
                made.add((labels.buildpacks().size() > 1 ? bp.id() + ": " : "") + String.join(", ", bp.layers()));
            }
        }
        out.addAll(phaseLines(f, t, String.join(", ", detected), String.join(", ", cached), String.join("; ", made)));
        List<Rows.Row> written = new ArrayList<>();
        for (int i = layers.size() - 1; i >= runCount; i--) {
            written.add(new Rows.Row(label(t, labels, layers.get(i)), Frame.shortDigest(layers.get(i), 12)));
        }
        out.addAll(Rows.box(f, t.writtenByExport(), written));
        out.add(f.middle(t.runImage(labels.runImage().orElse(null))));
        List<Rows.Row> run = Rows.numbered(layers.subList(0, runCount), 12);
        if (!run.isEmpty()) {
            run.set(0, new Rows.Row(run.get(0).text() + " runImage.topLayer", run.get(0).value()));
        }
        Rows.collapse(run, 4, t).forEach(r -> out.add(f.row(r.text(), r.value())));
        out.add(f.bottom());
        return out;
    }

    /** What a layer of the app image is, in words, from the lifecycle metadata. */
    static String label(Texts t, CnbLabels.App labels, String diffId) {
        CnbLabels.AppLayer l = labels.layers().get(diffId);
        if (l == null) {
            return t.layer();
        }
        return switch (l.role()) {
            case BUILDPACK_LAYER -> l.buildpack() + ": " + l.name();
            case APP -> t.app() + ": /workspace";
            case LAUNCHER -> t.launcher() + ": /cnb/lifecycle/launcher";
            case CONFIG -> t.config() + ": /layers/config";
            case PROCESS_TYPES -> t.processTypes() + ": /cnb/process"
                    + (labels.processes().isEmpty() ? "" : "/" + String.join(",", labels.processes()));
            case SBOM -> "SBOM: /layers/sbom";
        };
    }

    /** The four phases as boxes joined by arrows; on one line when the boxes do not fit. */
    static List<String> phases(Frame f) {
        List<String> boxes = phases();
        if (DisplayWidth.of(boxes.get(0)) <= f.width()) {
            return boxes;
        }
        return List.of(Frame.fit(" " + String.join(" ▶ ", PHASES), f.width()));
    }

    private static List<String> phases() {
        StringBuilder top = new StringBuilder();
        StringBuilder mid = new StringBuilder();
        StringBuilder bottom = new StringBuilder();
        for (int i = 0; i < PHASES.size(); i++) {
            String p = PHASES.get(i);
            String bar = "─".repeat(p.length() + 2);
            boolean last = i == PHASES.size() - 1;
            top.append('┌').append(bar).append('┐').append(last ? "" : "  ");
            mid.append("│ ").append(p).append(' ').append(last ? "│" : "├─▶");
            bottom.append('└').append(bar).append('┘').append(last ? "" : "  ");
        }
        return List.of(top.toString(), mid.toString(), bottom.toString());
    }

    /** What each phase did, one note per phase, wrapped under its own text (a hanging indent). */
    private static List<String> phaseLines(Frame f, Texts t, String detected, String cached, String made) {
        String indent = " ".repeat(10);
        List<String> out = new ArrayList<>();
        out.addAll(Frame.note(" detect   ", t.detected(detected), f.width(), indent));
        out.addAll(Frame.note(" restore  ", t.restored(cached), f.width(), indent));
        out.addAll(Frame.note(" build    ", t.built(made), f.width(), indent));
        out.addAll(Frame.note(" export   ", t.exported(), f.width(), indent));
        return out;
    }
}
