package io.packlab.picture;

import io.packlab.term.DisplayWidth;
import io.packlab.term.TextWrap;
import java.util.ArrayList;
import java.util.List;

/**
 * Box drawing at a fixed width, measured in terminal columns (wide CJK characters count two): borders
 * with a title, rows with a text on the left and a short value on the right, text in a box cut with an
 * ellipsis where it does not fit; notes outside the boxes wrapped by words.
 */
final class Frame {

    /** The widest a picture is drawn. */
    static final int MAX = 60;

    private final int width;

    Frame(int width) {
        this.width = Math.max(16, Math.min(MAX, width));
    }

    int width() {
        return width;
    }

    /** The room inside a row, between {@code "│ "} and {@code " │"}. */
    int inner() {
        return width - 4;
    }

    String top(String title) {
        return border('┌', '┐', title);
    }

    String middle(String title) {
        return border('├', '┤', title);
    }

    String bottom() {
        return border('└', '┘', null);
    }

    private String border(char left, char right, String title) {
        StringBuilder b = new StringBuilder().append(left);
        int room = width - 2;
        if (title != null && !title.isEmpty()) {
            String t = "─ " + fit(title, room - 4) + " ";
            b.append(t);
            room -= DisplayWidth.of(t);
        }
        return b.append("─".repeat(Math.max(0, room))).append(right).toString();
    }

    /** A row: {@code text} on the left, {@code value} (may be empty) on the right. */
    String row(String text, String value) {
        String v = value == null ? "" : value;
        int vw = DisplayWidth.of(v);
        int room = inner() - (vw == 0 ? 0 : vw + 1);
        String left = pad(fit(text, room), room);
        return "│ " + left + (vw == 0 ? "" : " " + v) + " │";
    }

    /** Cut to at most {@code max} columns, with an ellipsis when something was cut. */
    static String fit(String text, int max) {
        if (DisplayWidth.of(text) <= max) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int w = DisplayWidth.of(cp);
            if (used + w > max - 1) {
                break;
            }
            out.appendCodePoint(cp);
            used += w;
            i += Character.charCount(cp);
        }
        return out.append('…').toString();
    }

    /**
     * A note outside the boxes, wrapped by words within {@code width} columns (wide characters may
     * break anywhere, closing punctuation stays with its word): {@code prefix} before the first line,
     * {@code indent} before the others. Only a word wider than a whole line is broken, never cut.
     */
    static List<String> note(String prefix, String text, int width, String indent) {
        int wp = DisplayWidth.of(prefix);
        int wi = DisplayWidth.of(indent);
        // wrapped within the room after the prefix; the lines after the first also leave room for what the
        // indent has beyond the prefix (an indent narrower than the prefix leaves them that much narrower)
        List<String> wrapped = TextWrap.lines(text, Math.max(1, width - wp), " ".repeat(Math.max(0, wi - wp)));
        List<String> out = new ArrayList<>();
        for (String line : wrapped) {
            String whole = out.isEmpty() ? prefix + line : indent.substring(0, Math.min(wp, wi)) + line;
            // a word wider than the line is broken at the column, the rest continues under the indent
            while (DisplayWidth.of(whole) > width && DisplayWidth.of(whole) > wi + 1) {
                int cut = columnIndex(whole, width);
                out.add(whole.substring(0, cut));
                whole = indent + whole.substring(cut);
            }
            out.add(whole.stripTrailing());
        }
        return out;
    }

    /** The index in {@code text} where column {@code columns} ends. */
    private static int columnIndex(String text, int columns) {
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int w = DisplayWidth.of(cp);
            if (used + w > columns) {
                break;
            }
            used += w;
            i += Character.charCount(cp);
        }
        return Math.max(1, i);
    }

    /** Padded with blanks to {@code columns}. */
    static String pad(String text, int columns) {
        return text + " ".repeat(Math.max(0, columns - DisplayWidth.of(text)));
    }

    /** Lines of boxes side by side, {@code gap} between them (each list padded to the longest). */
    static List<String> beside(List<String> left, List<String> gaps, List<String> right) {
        List<String> out = new ArrayList<>();
        int lw = left.stream().mapToInt(DisplayWidth::of).max().orElse(0);
        int gw = gaps.stream().mapToInt(DisplayWidth::of).max().orElse(0);
        for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
            String l = i < left.size() ? left.get(i) : "";
            String g = i < gaps.size() ? gaps.get(i) : "";
            String r = i < right.size() ? right.get(i) : "";
            out.add((pad(l, lw) + pad(g, gw) + r).stripTrailing());
        }
        return out;
    }

    /** The first 12 hex digits of a digest ({@code n} of them when given). */
    static String shortDigest(String digest, int n) {
        String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        return hex.length() > n ? hex.substring(0, n) : hex;
    }
}
