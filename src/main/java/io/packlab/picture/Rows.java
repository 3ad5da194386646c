package io.packlab.picture;

import java.util.ArrayList;
import java.util.List;

/** Rows of a box (a text and a short value) and how a long run of them is shortened. */
final class Rows {

    private Rows() {
    }

    /** One row: text on the left, value (a short digest, or empty) on the right. */
    record Row(String text, String value) {
    }

    /**
     * Rows of a list longer than {@code max}: the first {@code max - 2}, a row saying how many are
     * left out, and the last one.
     */
    static List<Row> collapse(List<Row> rows, int max, Texts t) {
        if (rows.size() <= max) {
            return rows;
        }
        List<Row> out = new ArrayList<>(rows.subList(0, max - 2));
        out.add(new Row(t.moreLayers(rows.size() - (max - 1)), ""));
        out.add(rows.get(rows.size() - 1));
        return out;
    }

    /** Layers as rows, top first, each labelled {@code #n} (n counted from the bottom). */
    static List<Row> numbered(List<String> layers, int digits) {
        List<Row> out = new ArrayList<>();
        for (int i = layers.size() - 1; i >= 0; i--) {
            out.add(new Row("#" + (i + 1), Frame.shortDigest(layers.get(i), digits)));
        }
        return out;
    }

    static List<String> box(Frame f, String title, List<Row> rows) {
        List<String> out = new ArrayList<>();
        out.add(f.top(title));
        rows.forEach(r -> out.add(f.row(r.text(), r.value())));
        return out;
    }
}
