package io.packlab.term;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Lays out a Markdown table in a width: columns on one line each when they fit; otherwise columns
 * whose cells wrap by words, as long as every column that wraps keeps {@link #NARROWEST} columns and
 * no word is cut; otherwise a list: the header once, then each row as its first cell with the other
 * cells under it.
 */
final class TableLayout {

    /** A wrapping column narrower than this is hard to read: the table becomes a list instead. */
    static final int NARROWEST = 14;

    private static final String SEP = " │ ";

    private final Style style;

    TableLayout(Style style) {
        this.style = style;
    }

    /** @param rows the cells as tokens, the header first */
    void render(List<List<List<TextWrap.Token>>> rows, String prefix, int avail, List<String> out) {
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        if (cols == 0) {
            return;
        }
        int[] natural = new int[cols];
        int[] longestWord = new int[cols];
        for (List<List<TextWrap.Token>> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                natural[c] = Math.max(natural[c], oneLine(row.get(c)));
                for (TextWrap.Token t : row.get(c)) {
                    longestWord[c] = Math.max(longestWord[c], DisplayWidth.of(t.text()));
                }
            }
        }
        int[] widths = widths(natural, longestWord, avail - SEP.length() * (cols - 1));
        if (widths == null) {
            list(rows, prefix, avail, out);
        } else {
            grid(rows, widths, prefix, out);
        }
        out.add("");
    }

    /**
     * Column widths that fit in {@code room}: the natural ones when they fit, else narrower ones,
     * small columns first; null when the table cannot be columns.
     */
    static int[] widths(int[] natural, int[] longestWord, int room) {
        int cols = natural.length;
        int total = 0;
        for (int n : natural) {
            total += n;
        }
        if (total <= room) {
            return natural.clone();
        }
        // each column gets at least its longest word (never cut) and, when it wraps, NARROWEST columns
        int[] widths = new int[cols];
        int left = room;
        for (int c = 0; c < cols; c++) {
            widths[c] = Math.max(longestWord[c], Math.min(natural[c], NARROWEST));
            left -= widths[c];
        }
        if (left < 0) {
            return null;
        }
        // the rest goes to the columns that want it, the least hungry first, each up to its natural width
        Integer[] order = new Integer[cols];
        for (int c = 0; c < cols; c++) {
            order[c] = c;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(c -> natural[c] - widths[c]));
        for (int k = 0; k < cols; k++) {
            int c = order[k];
            int more = Math.min(natural[c] - widths[c], left / (cols - k));
            widths[c] += more;
            left -= more;
        }
        return widths;
    }

    private static int oneLine(List<TextWrap.Token> cell) {
        int w = 0;
        for (TextWrap.Token t : cell) {
            w += t.space() ? 1 : DisplayWidth.of(t.text());
        }
        return w;
    }

    private void grid(List<List<List<TextWrap.Token>>> rows, int[] widths, String prefix, List<String> out) {
        boolean wraps = false;
        List<List<List<String>>> laid = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<List<String>> cells = new ArrayList<>();
            for (int c = 0; c < widths.length; c++) {
                List<TextWrap.Token> cell = c < rows.get(r).size() ? rows.get(r).get(c) : List.of();
                if (r == 0) {
                    cell = restyle(cell, style::bold);
                }
                List<String> lines = new ArrayList<>();
                TextWrap.wrap(cell, widths[c], "", "", lines, widths[c]);
                cells.add(lines.isEmpty() ? List.of("") : lines);
                wraps |= lines.size() > 1;
            }
            laid.add(cells);
        }
        for (int r = 0; r < laid.size(); r++) {
            if (r > 1 && wraps) {
                out.add(prefix + rule(widths));
            }
            List<List<String>> cells = laid.get(r);
            int height = cells.stream().mapToInt(List::size).max().orElse(1);
            for (int i = 0; i < height; i++) {
                StringBuilder line = new StringBuilder(prefix);
                for (int c = 0; c < widths.length; c++) {
                    String text = i < cells.get(c).size() ? cells.get(c).get(i) : "";
                    line.append(text).append(" ".repeat(Math.max(0, widths[c] - DisplayWidth.of(text))));
                    if (c < widths.length - 1) {
                        line.append(SEP);
                    }
                }
                out.add(line.toString().stripTrailing());
            }
            if (r == 0) {
                out.add(prefix + rule(widths));
            }
        }
    }

    private String rule(int[] widths) {
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append("─".repeat(widths[c])).append(c < widths.length - 1 ? "─┼─" : "");
        }
        return style.dim(rule.toString());
    }

    /** The header once (its cells joined by " · "), then per row: "• first cell", the others indented under it. */
    private void list(List<List<List<TextWrap.Token>>> rows, String prefix, int avail, List<String> out) {
        List<TextWrap.Token> header = new ArrayList<>();
        for (List<TextWrap.Token> cell : rows.get(0)) {
            if (!header.isEmpty()) {
                header.addAll(TextWrap.tokens(" · ", UnaryOperator.identity()));
            }
            header.addAll(restyle(cell, style::bold));
        }
        TextWrap.wrap(TextWrap.glued(header), avail, prefix, prefix, out, avail);
        for (List<List<TextWrap.Token>> row : rows.subList(1, rows.size())) {
            for (int c = 0; c < row.size(); c++) {
                String first = prefix + (c == 0 ? "• " : "  ");
                TextWrap.wrap(TextWrap.glued(row.get(c)), avail - 2, first, prefix + "  ", out, avail - 2);
            }
        }
    }

    private static List<TextWrap.Token> restyle(List<TextWrap.Token> cell, UnaryOperator<String> s) {
        List<TextWrap.Token> out = new ArrayList<>();
        for (TextWrap.Token t : cell) {
            out.add(t.space() || t.newline() ? t : new TextWrap.Token(t.text(), s.apply(t.styled()), false, false));
        }
        return out;
    }
}
