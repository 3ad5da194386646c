package io.packlab.check;

import io.packlab.error.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of a check line: split on blanks, with 'single' or "double" quotes for words that hold
 * blanks; an unquoted {@code #} after a blank starts a comment, and {@code # hint: text} the check's hint.
 */
public final class Tokens {

    private final List<String> words;
    private final String hint;
    private final String source;
    private final SourceLocation location;
    private int next;

    private Tokens(List<String> words, String hint, String source, SourceLocation location) {
        this.words = words;
        this.hint = hint;
        this.source = source;
        this.location = location;
    }

    public static Tokens of(String line, SourceLocation location) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        int i = 0;
        int end = line.length();
        String hint = null;
        for (; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()
                        && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                if (word == null) {
                    word = new StringBuilder();
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null) {
                end = i;
                String comment = line.substring(i + 1).strip();
                if (comment.startsWith("hint:")) {
                    hint = comment.substring(5).strip();
                }
                break;
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new CheckSyntaxException(location, "the quote " + quote + " opened in `" + line.strip()
                    + "` is not closed; close it or remove it.");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return new Tokens(words, hint, line.substring(0, end).strip(), location);
    }

    public boolean isEmpty() {
        return words.isEmpty();
    }

    public boolean hasNext() {
        return next < words.size();
    }

    public String peek() {
        return hasNext() ? words.get(next) : null;
    }

    /** The next word; {@code what} names it in the error when the line ends early. */
    public String next(String what) {
        if (!hasNext()) {
            throw error("the line ends where " + what + " was expected");
        }
        return words.get(next++);
    }

    /** Consumes the next word, which must be one of {@code expected}. */
    public String expect(String... expected) {
        String word = next("`" + String.join("` or `", expected) + "`");
        for (String e : expected) {
            if (e.equals(word)) {
                return word;
            }
        }
        throw error("found `" + word + "` where `" + String.join("` or `", expected) + "` was expected");
    }

    /** Consumes the next word if it equals {@code word}. */
    public boolean accept(String word) {
        if (word.equals(peek())) {
            next++;
            return true;
        }
        return false;
    }

    /** Fails when words are left over. */
    public void end() {
        if (hasNext()) {
            throw error("unexpected `" + String.join(" ", words.subList(next, words.size())) + "` at the end of the line");
        }
    }

    public CheckSyntaxException error(String problem) {
        return new CheckSyntaxException(location, problem + " in the check `" + source + "`.");
    }

    public String hint() {
        return hint;
    }

    public String source() {
        return source;
    }

    public SourceLocation location() {
        return location;
    }
}
