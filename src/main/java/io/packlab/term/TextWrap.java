package io.packlab.term;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Breaks running text into lines of a width: at blanks between words, and between wide (CJK)
 * characters, but never before closing punctuation (。、」 ...) or after an opening bracket (kinsoku).
 * Only a word wider than a whole line is cut.
 */
public final class TextWrap {

    private TextWrap() {
    }

    /** A piece of inline text with its style; a token never breaks inside, except a too-long word. */
    record Token(String text, String styled, boolean space, boolean newline) {

        Token(String text, UnaryOperator<String> style, boolean space, boolean newline) {
            this(text, space || newline ? text : style.apply(text), space, newline);
        }

        Token glue(Token next) {
            return new Token(text + next.text, styled + next.styled, false, false);
        }

        static Token blank() {
            return new Token(" ", " ", true, false);
        }

        static Token lineBreak() {
            return new Token("", "", false, true);
        }
    }

    /** Characters that must not end a line: opening brackets stay with what they open. */
    static final String NO_BREAK_AFTER = "(（「『【〔〈《“‘[";

    /** Characters that must not start a line (Japanese line-breaking rules, kinsoku). */
    static final String NO_BREAK_BEFORE = "、。，．）」』】〕〉》”’！？：；・ーぁぃぅぇぉっゃゅょァィゥェォッャュョ々";

    /**
     * Plain text wrapped to {@code width} columns: the first line after nothing, the others after
     * {@code indent}. A word wider than a line is not cut (it may be a path or a command to copy).
     */
    public static List<String> lines(String text, int width, String indent) {
        List<String> out = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            int before = out.size();
            boolean first = out.isEmpty();
            wrap(glued(tokens(paragraph, UnaryOperator.identity())),
                    Math.max(1, first ? width : width - DisplayWidth.of(indent)), first ? "" : indent,
                    indent, out, Math.max(1, width - DisplayWidth.of(indent)), false);
            if (out.size() == before) {
                out.add(out.isEmpty() ? "" : indent.stripTrailing());
            }
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    /**
     * Splits text into words, blanks and single wide characters (which may break anywhere), keeping
     * closing punctuation (。、）」 ...) with the character before it, so no line starts with one.
     */
    static List<Token> tokens(String text, UnaryOperator<String> s) {
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

    private static void flush(StringBuilder word, UnaryOperator<String> s, List<Token> tokens) {
        if (word.length() > 0) {
            tokens.add(new Token(word.toString(), s, false, false));
            word.setLength(0);
        }
    }

    /** Keeps closing punctuation with the token before it, across style changes, so no line starts with one. */
    static List<Token> glued(List<Token> tokens) {
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

    /**
     * Lays tokens out in lines: the first after {@code firstPrefix} with {@code firstAvail} columns,
     * the others after {@code prefix} with {@code avail} columns.
     */
    static void wrap(List<Token> tokens, int firstAvail, String firstPrefix, String prefix, List<String> out, int avail) {
        wrap(tokens, firstAvail, firstPrefix, prefix, out, avail, true);
    }

    /** As above; with {@code cut} false a word wider than a line gets a line of its own and goes past the width. */
    static void wrap(List<Token> tokens, int firstAvail, String firstPrefix, String prefix, List<String> out, int avail,
            boolean cut) {
        StringBuilder line = new StringBuilder(firstPrefix);
        int room = firstAvail;
        int used = 0;
        boolean empty = true;
        for (Token t : tokens) {
            if (t.newline) {
                out.add(line.toString().stripTrailing());
                line = new StringBuilder(prefix);
                room = avail;
                used = 0;
                empty = true;
                continue;
            }
            int w = DisplayWidth.of(t.text);
            if (t.space) {
                if (!empty && used + 1 <= room) {
                    line.append(' ');
                    used++;
                }
                continue;
            }
            if (used + w > room && !empty) {
                out.add(line.toString().stripTrailing());
                line = new StringBuilder(prefix);
                room = avail;
                used = 0;
                empty = true;
            }
            if (w > room && cut) {
                // a word wider than the line: cut it (its style is dropped for the cut pieces)
                List<String> pieces = hardWrap(t.text, room);
                for (int i = 0; i < pieces.size() - 1; i++) {
                    out.add(line + pieces.get(i));
                    line = new StringBuilder(prefix);
                    room = avail;
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
