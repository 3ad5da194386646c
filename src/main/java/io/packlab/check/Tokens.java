package io.packlab.check;

import io.packlab.error.SourceLocation;
import io.packlab.words.ShellWords;
import io.packlab.words.ShellWordsException;
import java.util.List;

/**
 * The words of a check line, cut as a POSIX shell cuts them ({@link ShellWords#literal}: quotes and
 * backslashes as in sh, nothing expanded); an unquoted {@code #} at the start of a word starts a comment,
 * and {@code # hint: text} the check's hint.
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
        ShellWords.Line words;
        try {
            words = ShellWords.literal(line);
        } catch (ShellWordsException e) {
            throw new CheckSyntaxException(location, e.problem() + ".");
        }
        String comment = words.comment() == null ? "" : words.comment().strip();
        String hint = comment.startsWith("hint:") ? comment.substring(5).strip() : null;
        return new Tokens(words.words(), hint, words.code(), location);
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
