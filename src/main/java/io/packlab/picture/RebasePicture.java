package io.packlab.picture;

import io.packlab.engine.ImageInfo;
import io.packlab.engine.ImageSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The picture of a rebase: the app image before and after side by side, the app's layers on top
 * (unchanged by a rebase), the run image's layers below (swapped), each row marked. Before is the
 * snapshot the lesson recorded; without one, the image now beside the image a rebase onto the run
 * image as it is now would make.
 */
final class RebasePicture {

    private RebasePicture() {
    }

    /** One side of the picture: the layers above the run image and the run image's, bottom first. */
    record Side(String title, List<String> app, List<String> run) {
    }

    /** The picture's lines, and notes (sentences the caller wraps to the width) below it. */
    record Drawing(List<String> lines, List<String> notes) {
    }

    static Drawing draw(Frame f, Texts t, String name, String snapshotName, Optional<ImageSnapshot> snapshot,
            Optional<ImageInfo> image, Optional<ImageInfo> runNow) {
        List<String> out = new ArrayList<>();
        if (image.isEmpty()) {
            out.addAll(Frame.note("", t.rebaseTitle(name, snapshotName), f.width(), "  "));
            out.addAll(sides(f, t, null, new Side(t.before(), List.of("<app>"), List.of("<old>", "<old>")),
                    new Side(t.after(), List.of("<app>"), List.of("<new>", "<new>", "<new>"))));
            return new Drawing(out, List.of());
        }
        ImageInfo app = image.get();
        CnbLabels.App labels = CnbLabels.app(app.labels());
        ImageSnapshot now = ImageSnapshot.of(name, app, labels.runTopLayer().orElse(null));
        Side after = side(t.after() + " " + app.shortId(), now);
        Side before;
        String runName = labels.runImage().orElse("?");
        List<String> notes = new ArrayList<>();
        if (snapshot.isPresent()) {
            out.addAll(Frame.note("", t.rebaseTitle(name, snapshotName), f.width(), "  "));
            before = side(t.before() + " " + ImageInfo.shortDigest(snapshot.get().id()), snapshot.get());
        } else {
            out.addAll(Frame.note("", t.rebaseNowTitle(name, runName), f.width(), "  "));
            before = side(t.now() + " " + app.shortId(), now);
            List<String> run = runNow.map(ImageInfo::layers).orElse(List.of());
            after = new Side(t.afterRebase(), now.appLayers(), run);
            notes.add(t.noSnapshot(snapshotName, name));
            if (runNow.isEmpty()) {
                notes.add(t.runAbsent(runName));
            } else if (run.equals(before.run())) {
                notes.add(t.alreadyOn(name, runName));
            }
        }
        out.addAll(sides(f, t, labels, before, after));
        boolean appSame = before.app().equals(after.app());
        out.addAll(Frame.note(" ", appSame ? t.appSame(after.app().size()) : t.appChanged(), f.width(), "   "));
        int[] counts = new int[4];
        for (int i = 0; i < Math.max(before.run().size(), after.run().size()); i++) {
            counts["=→+-".indexOf(mark(before.run(), after.run(), i))]++;
        }
        out.addAll(Frame.note(" ", t.runSummary(counts[0], counts[1], counts[2], counts[3]), f.width(), "   "));
        return new Drawing(out, notes);
    }

    private static Side side(String title, ImageSnapshot s) {
        List<String> app = s.appLayers();
        return new Side(title, app, s.layers().subList(0, s.layers().size() - app.size()));
    }

    /** How row {@code i} (counted from the bottom) compares: = same, → swapped, + added, - removed. */
    static char mark(List<String> before, List<String> after, int i) {
        boolean b = i < before.size();
        boolean a = i < after.size();
        if (b && a) {
            return before.get(i).equals(after.get(i)) ? '=' : '→';
        }
        return a ? '+' : '-';
    }

    private static List<String> sides(Frame f, Texts t, CnbLabels.App labels, Side before, Side after) {
        Frame half = new Frame((f.width() - 3) / 2);
        List<String> left = new ArrayList<>();
        List<String> gap = new ArrayList<>();
        List<String> right = new ArrayList<>();
        left.add(half.top(before.title()));
        right.add(half.top(after.title()));
        gap.add("");
        part(half, t, labels, before.app(), after.app(), false, left, gap, right);
        left.add(half.middle(t.runImage(null)));
        right.add(half.middle(t.runImage(null)));
        gap.add("");
        part(half, t, labels, before.run(), after.run(), true, left, gap, right);
        left.add(half.bottom());
        right.add(half.bottom());
        List<String> out = new ArrayList<>(Frame.beside(left, gap, right));
        out.addAll(Frame.note(" ", t.legend(), f.width(), "   "));
        return out;
    }

    /** The rows of one part, top first, aligned from the bottom; long runs of equal run layers shortened. */
    private static void part(Frame half, Texts t, CnbLabels.App labels, List<String> before, List<String> after,
            boolean run, List<String> left, List<String> gap, List<String> right) {
        int n = Math.max(before.size(), after.size());
        int skipped = 0;
        for (int i = n - 1; i >= -1; i--) {
            boolean same = i >= 0 && mark(before, after, i) == '=';
            boolean hide = run && same && i > 0 && i < n - 1 && mark(before, after, i - 1) == '='
                    && mark(before, after, i + 1) == '=';
            if (hide) {
                skipped++;
                continue;
            }
            if (skipped > 0) {
                String more = t.moreLayers(skipped);
                left.add(half.row(more, ""));
                right.add(half.row(more, ""));
                gap.add(" = ");
                skipped = 0;
            }
            if (i < 0) {
                break;
            }
            char m = mark(before, after, i);
            left.add(cell(half, t, labels, before, i, run));
            right.add(cell(half, t, labels, after, i, run));
            gap.add(" " + m + " ");
        }
    }

    private static String cell(Frame half, Texts t, CnbLabels.App labels, List<String> layers, int i, boolean run) {
        if (i >= layers.size()) {
            return half.row("", "");
        }
        String d = layers.get(i);
        String digest = d.startsWith("<") ? d : Frame.shortDigest(d, 8);
        if (run) {
            return half.row("#" + (i + 1), digest);
        }
        return half.row(shortLabel(t, labels, d), digest);
    }

    static String shortLabel(Texts t, CnbLabels.App labels, String diffId) {
        CnbLabels.AppLayer l = labels == null ? null : labels.layers().get(diffId);
        if (l == null) {
            return t.layer();
        }
        return switch (l.role()) {
            case BUILDPACK_LAYER -> l.name();
            case APP -> t.app();
            case LAUNCHER -> t.launcher();
            case CONFIG -> t.config2();
            case PROCESS_TYPES -> t.processTypes();
            case SBOM -> "SBOM";
        };
    }
}
