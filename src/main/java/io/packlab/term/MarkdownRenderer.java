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
import io.packlab.term.TextWrap.Token;

/**
 * Renders a lesson's Markdown for a terminal of a given width: headings, emphasis, lists, links
 * (text and URL), tables (columns while they fit, else a list), and code blocks boxed and labelled
 * by kind in the learner's language: runnable steps and other commands wrapped without breaking a
 * word ({@link CommandWrap}), checks as sentences, and the hints of a lesson as one line saying how
 * many there are. Text never exceeds the width; wide (CJK) characters count two columns and may
 * break anywhere but before closing punctuation, other text breaks at blanks. Only a word of a code
 * block that is wider than the whole box goes past it.
 */
public final class MarkdownRenderer {

    private final Style style;
    private final int width;
    private final Wording wording;
    private final UnaryOperator<String> checkSentence;
    private final Parser parser = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    /** English labels; check lines shown as written, without their hints. */
    public MarkdownRenderer(Style style, int width) {
        this(style, width, Wording.of("en"), MarkdownRenderer::checkAsWritten);
    }

    /**
     * @param wording       the labels, in the lesson's language
     * @param checkSentence a check line as a sentence in that language (Markdown; blank to leave the line out)
     */
    public MarkdownRenderer(Style style, int width, Wording wording, UnaryOperator<String> checkSentence) {
        this.style = style;
        this.width = Math.max(20, width);
        this.wording = wording;
        this.checkSentence = checkSentence;
    }

    /** A check line as a code span, without its {@code # hint:} comment. */
    private static String checkAsWritten(String line) {
        int hash = line.indexOf(" #");
        String check = (line.strip().startsWith("#") ? "" : hash < 0 ? line : line.substring(0, hash)).strip();
        return check.isEmpty() ? "" : "`" + check + "`";
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
            if (isHint(block)) {
                // a run of hint blocks: one line saying how many there are and how to see them
                int hints = 1;
                while (isHint(block.getNext())) {
                    block = block.getNext();
                    hints++;
                }
                wrap(glued(inlineMarkdown(wording.count("hints", hints), style::yellow)), width - DisplayWidth.of(prefix),
                        first, prefix, out);
                out.add("");
            } else {
                renderBlock(block, first, prefix, out, step);
            }
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

    private static boolean isHint(Node block) {
        return block instanceof FencedCodeBlock code && code.getInfo() != null
                && code.getInfo().strip().split("\\s+", 2)[0].equals("hint");
    }

    private void box(String info, String literal, String firstPrefix, String prefix, int avail, List<String> out,
            int[] step) {
        String kind = info.split("\\s+", 2)[0];
        boolean registry = info.matches("\\S+\\s+registry");
        String title;
        UnaryOperator<String> tint;
        switch (kind) {
            case "sh" -> {
                title = wording.text(registry ? "frame.step.registry" : "frame.step", ++step[0]);
                tint = style::cyan;
            }
            case "check" -> {
                title = wording.text(registry ? "frame.checks.registry" : "frame.checks");
                tint = style::green;
            }
            case "console" -> {
                title = wording.text("frame.console");
                tint = style::dim;
            }
            default -> {
                title = kind;
                tint = style::dim;
            }
        }
        frameTop(title, tint, firstPrefix, prefix, avail, out);
        String body = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
        String bar = prefix + tint.apply("│ ");
        if (kind.equals("check")) {
            for (String line : body.split("\n", -1)) {
                String sentence = checkSentence.apply(line);
                if (!sentence.isBlank()) {
                    wrap(glued(inlineMarkdown(sentence, UnaryOperator.identity())), avail - 4, bar + "• ", bar + "  ", out);
                }
            }
        } else {
            for (String piece : CommandWrap.block(body, CommandWrap.mode(kind), avail - 2)) {
                out.add(bar + piece);
            }
        }
        out.add(prefix + tint.apply("└─"));
        out.add("");
    }

    /** The top of a frame: its title after "┌─ ", wrapped by words when it is wider than the box. */
    private void frameTop(String title, UnaryOperator<String> tint, String firstPrefix, String prefix, int avail,
            List<String> out) {
        if (title.isEmpty()) {
            out.add(firstPrefix + tint.apply("┌" + "─".repeat(Math.max(1, Math.min(avail, 40) - 1))));
            return;
        }
        List<String> lines = new ArrayList<>();
        TextWrap.wrap(glued(tokens(title, UnaryOperator.identity())), avail - 3, "", "", lines, avail - 3);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0) {
                String head = "┌─ " + line + " ";
                int rule = lines.size() == 1 ? Math.max(0, Math.min(avail, 40) - DisplayWidth.of(head)) : 0;
                out.add(firstPrefix + tint.apply((head + "─".repeat(rule)).stripTrailing()));
            } else {
                out.add(prefix + tint.apply("│  " + line));
            }
        }
    }

    /** The inline content of a line of Markdown, as tokens. */
    private List<Token> inlineMarkdown(String markdown, UnaryOperator<String> s) {
        Node doc = parser.parse(markdown);
        List<Token> tokens = new ArrayList<>();
        for (Node block = doc.getFirstChild(); block != null; block = block.getNext()) {
            if (!tokens.isEmpty()) {
                tokens.add(Token.blank());
            }
            tokens.addAll(inline(block, s));
        }
        return tokens;
    }

    private void table(TableBlock table, String prefix, int avail, List<String> out) {
        List<List<List<Token>>> rows = new ArrayList<>();
        for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
            for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
                if (row instanceof TableRow) {
                    List<List<Token>> cells = new ArrayList<>();
                    for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                        if (cell instanceof TableCell) {
                            cells.add(trimmed(glued(inline(cell, UnaryOperator.identity()))));
                        }
                    }
                    rows.add(cells);
                }
            }
        }
        new TableLayout(style).render(rows, prefix, avail, out);
    }

    private static List<Token> trimmed(List<Token> tokens) {
        int from = 0;
        int to = tokens.size();
        while (from < to && tokens.get(from).space()) {
            from++;
        }
        while (to > from && tokens.get(to - 1).space()) {
            to--;
        }
        return new ArrayList<>(tokens.subList(from, to));
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
                text.forEach(t -> plain.append(t.text()));
                if (!plain.toString().equals(link.getDestination())) {
                    tokens.add(Token.blank());
                    tokens.addAll(tokens("(" + link.getDestination() + ")", t -> style.blue(s.apply(t))));
                }
            } else if (n instanceof SoftLineBreak) {
                tokens.add(Token.blank());
            } else if (n instanceof HardLineBreak) {
                tokens.add(Token.lineBreak());
            } else if (n instanceof HtmlInline) {
                // not shown
            } else {
                tokens.addAll(inline(n, s));
            }
        }
        return tokens;
    }

    private static List<Token> tokens(String text, UnaryOperator<String> s) {
        return TextWrap.tokens(text, s);
    }

    private static List<Token> glued(List<Token> tokens) {
        return TextWrap.glued(tokens);
    }

    private void wrap(List<Token> tokens, int avail, String firstPrefix, String prefix, List<String> out) {
        TextWrap.wrap(tokens, avail, firstPrefix, prefix, out, avail);
    }

    /** Cuts text into pieces of at most {@code max} columns. */
    static List<String> hardWrap(String text, int max) {
        return TextWrap.hardWrap(text, max);
    }
}
