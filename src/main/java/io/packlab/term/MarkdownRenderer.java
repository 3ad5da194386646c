package io.packlab.term;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Renders a lesson's Markdown for a terminal of a given width: headings, emphasis, lists, links
 * (text and URL), tables, and code blocks boxed and labelled by kind (runnable steps, checks,
 * hints). Lines never exceed the width; wide (CJK) characters count two columns and may break
 * anywhere, other text breaks at blanks.
 */
public final class MarkdownRenderer {

    private final Style style;
    private final int width;
    private final Parser parser = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    public MarkdownRenderer(Style style, int width) {
        this.style = style;
        this.width = Math.max(20, width);
    }

    public List<String> render(String markdown) {
        List<String> lines = new ArrayList<>();
        int[] step = {0};
        renderBlocks(parser.parse(markdown), "", "", lines, step);
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private void renderBlocks(Node parent, String firstPrefix, String prefix, List<String> out, int[] step) {
        String first = firstPrefix;
        for (Node block = parent.getFirstChild(); block != null; block = block.getNext()) {
            renderBlock(block, first, prefix, out, step);
            first = prefix;
        }
    }

    private void renderBlock(Node block, String firstPrefix, String prefix, List<String> out, int[] step) {
        int avail = width - DisplayWidth.of(prefix);
        if (block instanceof Heading h) {
            UnaryOperator<String> s = h.getLevel() == 1 ? t -> style.bold(style.underline(t)) : style::bold;
            wrap(glued(inline(h, s)), avail, firstPrefix, prefix, out);
            out.add("");
        } else if (block instanceof Paragraph p) {
            wrap(glued(inline(p, UnaryOperator.identity())), avail, firstPrefix, prefix, out);
            if (!(p.getParent() instanceof ListItem) || p.getNext() != null) {
                out.add(prefix.isBlank() ? "" : prefix.stripTrailing());
            }
        } else if (block instanceof BulletList || block instanceof OrderedList) {
            int n = block instanceof OrderedList ol && ol.getMarkerStartNumber() != null ? ol.getMarkerStartNumber() : 1;
            String f = firstPrefix;
            for (Node item = block.getFirstChild(); item != null; item = item.getNext()) {
                String marker = block instanceof OrderedList ? (n++) + ". " : "• ";
                renderBlocks(item, f + marker, prefix + " ".repeat(DisplayWidth.of(marker)), out, step);
                f = prefix;
            }
            out.add("");
        } else if (block instanceof BlockQuote) {
            renderBlocks(block, firstPrefix + style.dim("│ "), prefix + style.dim("│ "), out, step);
        } else if (block instanceof FencedCodeBlock code) {
            String info = code.getInfo() == null ? "" : code.getInfo().strip();
            box(info, code.getLiteral(), firstPrefix, prefix, avail, out, step);
        } else if (block instanceof IndentedCodeBlock code) {
            box("", code.getLiteral(), firstPrefix, prefix, avail, out, step);
        } else if (block instanceof ThematicBreak) {
            out.add(prefix + style.dim("─".repeat(avail)));
            out.add("");
        } else if (block instanceof TableBlock table) {
            table(table, prefix, avail, out);
        } else if (block instanceof HtmlBlock) {
            // raw HTML (comments for authors) is not shown
        } else {
            renderBlocks(block, firstPrefix, prefix, out, step);
        }
    }

    private void box(String info, String literal, String firstPrefix, String prefix, int avail, List<String> out,
            int[] step) {
        String kind = info.split("\\s+", 2)[0];
        boolean registry = info.matches("\\S+\\s+registry");
        String title;
        UnaryOperator<String> tint;
        boolean hidden = false;
        switch (kind) {
            case "sh" -> {
                title = "step " + (++step[0]) + (registry ? " · runs with --registry" : " · runs with `run`");
                tint = style::cyan;
            }
            case "check" -> {
                title = registry ? "checks · with --registry" : "checks";
                tint = style::green;
            }
            case "hint" -> {
                title = "hint · type `hint` to see it";
                tint = style::yellow;
                hidden = true;
            }
            default -> {
                title = kind.isEmpty() ? "" : kind;
                tint = style::dim;
            }
        }
        String head = "┌─" + (title.isEmpty() ? "" : " " + title + " ");
        out.add(firstPrefix + tint.apply(head + "─".repeat(Math.max(0, Math.min(avail, 40) - DisplayWidth.of(head)))));
        if (!hidden) {
            String body = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
            for (String line : body.split("\n", -1)) {
                for (String piece : hardWrap(line.replace("\t", "    "), avail - 2)) {
                    out.add(prefix + tint.apply("│ ") + piece);
                }
            }
        }
        out.add(prefix + tint.apply("└─"));
        out.add("");
    }

    private void table(TableBlock table, String prefix, int avail, List<String> out) {
        List<List<String>> rows = new ArrayList<>();
        for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
            for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
                if (row instanceof TableRow) {
                    List<String> cells = new ArrayList<>();
                    for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                        if (cell instanceof TableCell) {
                            StringBuilder sb = new StringBuilder();
                            inline(cell, UnaryOperator.identity()).forEach(t -> sb.append(t.text));
                            cells.add(sb.toString().strip());
                        }
                    }
                    rows.add(cells);
                }
            }
        }
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] w = new int[cols];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                w[i] = Math.max(w[i], DisplayWidth.of(r.get(i)));
            }
        }
        int total = 0;
        for (int x : w) {
            total += x + 3;
        }
        if (total > avail) {
            // too wide for columns: one "header: value" line per cell
            List<String> header = rows.isEmpty() ? List.of() : rows.get(0);
            for (List<String> r : rows.subList(Math.min(1, rows.size()), rows.size())) {
                for (int i = 0; i < r.size(); i++) {
                    String label = i < header.size() ? header.get(i) + ": " : "";
                    wrap(glued(tokens(label + r.get(i), UnaryOperator.identity())), avail - 2, prefix + (i == 0 ? "• " : "  "),
                            prefix + "  ", out);
                }
            }
            out.add("");
            return;
        }
        for (int ri = 0; ri < rows.size(); ri++) {
            StringBuilder line = new StringBuilder(prefix);
            List<String> r = rows.get(ri);
            for (int i = 0; i < cols; i++) {
                String cell = i < r.size() ? r.get(i) : "";
                String padded = cell + " ".repeat(w[i] - DisplayWidth.of(cell));
                line.append(ri == 0 ? style.bold(padded) : padded).append(i < cols - 1 ? " │ " : "");
            }
            out.add(line.toString().stripTrailing());
            if (ri == 0) {
                StringBuilder rule = new StringBuilder(prefix);
                for (int i = 0; i < cols; i++) {
                    rule.append("─".repeat(w[i])).append(i < cols - 1 ? "─┼─" : "");
                }
                out.add(style.dim(rule.toString()));
            }
        }
        out.add("");
    }

    /** A piece of inline text with its style; a token never breaks inside, except a too-long word. */
    private record Token(String text, String styled, boolean space, boolean newline) {

        Token(String text, UnaryOperator<String> style, boolean space, boolean newline) {
            this(text, space || newline ? text : style.apply(text), space, newline);
        }

        Token glue(Token next) {
            return new Token(text + next.text, styled + next.styled, false, false);
        }
    }

    /** Keeps closing punctuation with the token before it, across style changes, so no line starts with one. */
    private static List<Token> glued(List<Token> tokens) {
        List<Token> out = new ArrayList<>();
        for (Token t : tokens) {
            Token last = out.isEmpty() ? null : out.get(out.size() - 1);
            boolean glue = last != null && !last.space && !last.newline && !t.space && !t.newline && !t.text.isEmpty()
                    && (NO_BREAK_BEFORE.indexOf(t.text.codePointAt(0)) >= 0 || !last.text.isEmpty()
                    && NO_BREAK_AFTER.indexOf(last.text.codePointBefore(last.text.length())) >= 0);
            if (glue) {
                out.set(out.size() - 1, last.glue(t));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    private List<Token> inline(Node parent, UnaryOperator<String> s) {
        List<Token> tokens = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Text t) {
                tokens.addAll(tokens(t.getLiteral(), s));
            } else if (n instanceof Code c) {
                tokens.addAll(tokens(c.getLiteral(), t -> style.cyan(s.apply(t))));
            } else if (n instanceof Emphasis) {
                tokens.addAll(inline(n, t -> style.italic(s.apply(t))));
            } else if (n instanceof StrongEmphasis) {
                tokens.addAll(inline(n, t -> style.bold(s.apply(t))));
            } else if (n instanceof Link link) {
                List<Token> text = inline(n, t -> style.underline(s.apply(t)));
                tokens.addAll(text);
                StringBuilder plain = new StringBuilder();
                text.forEach(t -> plain.append(t.text));
                if (!plain.toString().equals(link.getDestination())) {
                    tokens.add(new Token(" ", s, true, false));
                    tokens.addAll(tokens("(" + link.getDestination() + ")", t -> style.blue(s.apply(t))));
                }
            } else if (n instanceof SoftLineBreak) {
                tokens.add(new Token(" ", s, true, false));
            } else if (n instanceof HardLineBreak) {
                tokens.add(new Token("", s, false, true));
            } else if (n instanceof HtmlInline) {
                // not shown
            } else {
                tokens.addAll(inline(n, s));
            }
        }
        return tokens;
    }

    /**
     * Splits text into words, blanks and single wide characters (which may break anywhere), keeping
     * closing punctuation (。、）」 ...) with the character before it, so no line starts with one.
     */
    private static List<Token> tokens(String text, UnaryOperator<String> s) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp)) {
                flush(word, s, tokens);
                tokens.add(new Token(" ", s, true, false));
            } else if (DisplayWidth.isWide(cp)) {
                flush(word, s, tokens);
                tokens.add(new Token(new String(Character.toChars(cp)), s, false, false));
            } else {
                word.appendCodePoint(cp);
            }
        }
        flush(word, s, tokens);
        return tokens;
    }

    /** Characters that must not end a line: opening brackets stay with what they open. */
    private static final String NO_BREAK_AFTER = "(（「『【〔〈《“‘[";

    /** Characters that must not start a line (Japanese line-breaking rules, kinsoku). */
    private static final String NO_BREAK_BEFORE = "、。，．）」』】〕〉》”’！？：；・ーぁぃぅぇぉっゃゅょァィゥェォッャュョ々";

    private static void flush(StringBuilder word, UnaryOperator<String> s, List<Token> tokens) {
        if (word.length() > 0) {
            tokens.add(new Token(word.toString(), s, false, false));
            word.setLength(0);
        }
    }

    private void wrap(List<Token> tokens, int avail, String firstPrefix, String prefix, List<String> out) {
        StringBuilder line = new StringBuilder(firstPrefix);
        int used = 0;
        boolean empty = true;
        for (Token t : tokens) {
            if (t.newline) {
                out.add(line.toString().stripTrailing());
                line = new StringBuilder(prefix);
                used = 0;
                empty = true;
                continue;
            }
            int w = DisplayWidth.of(t.text);
            if (t.space) {
                if (!empty && used + 1 <= avail) {
                    line.append(' ');
                    used++;
                }
                continue;
            }
            if (used + w > avail && !empty) {
                out.add(line.toString().stripTrailing());
                line = new StringBuilder(prefix);
                used = 0;
                empty = true;
                if (line.length() > 0 && t.text.isBlank()) {
                    continue;
                }
            }
            if (w > avail) {
                // a word wider than the line: cut it (its style is dropped for the cut pieces)
                List<String> pieces = hardWrap(t.text, avail);
                for (int i = 0; i < pieces.size() - 1; i++) {
                    out.add(line + pieces.get(i));
                    line = new StringBuilder(prefix);
                }
                String last = pieces.get(pieces.size() - 1);
                line.append(last);
                used = DisplayWidth.of(last);
            } else {
                line.append(t.styled);
                used += w;
            }
            empty = false;
        }
        if (!empty) {
            out.add(line.toString().stripTrailing());
        }
    }

    /** Cuts text into pieces of at most {@code max} columns. */
    static List<String> hardWrap(String text, int max) {
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int w = DisplayWidth.of(cp);
            if (used + w > max && piece.length() > 0) {
                String carry = "";
                if (NO_BREAK_BEFORE.indexOf(cp) >= 0 && piece.codePointCount(0, piece.length()) > 1) {
                    // keep closing punctuation off the start of the next line: move one character along
                    int lastStart = piece.offsetByCodePoints(piece.length(), -1);
                    carry = piece.substring(lastStart);
                    piece.setLength(lastStart);
                }
                pieces.add(piece.toString());
                piece.setLength(0);
                piece.append(carry);
                used = DisplayWidth.of(carry);
            }
            piece.appendCodePoint(cp);
            used += w;
        }
        pieces.add(piece.toString());
        return pieces;
    }
}
