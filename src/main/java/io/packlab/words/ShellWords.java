package io.packlab.words;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Cuts a line into words by the POSIX shell's rules, so that a line copied from a lesson into a real
 * shell means what it meant in packlab. One rule for step lines and check lines:
 * <ul>
 * <li>blanks (space, tab) separate words; an unquoted {@code #} at the start of a word starts a comment;</li>
 * <li>{@code 'single quotes'} keep every character; {@code "double quotes"} keep all but {@code $}, and
 * a backslash in them escapes only {@code $ ` " \}; outside quotes a backslash escapes any character;
 * {@code ''} and {@code ""} are empty words;</li>
 * <li>steps expand {@code $NAME}, {@code ${NAME}} and a leading {@code ~}; an unquoted expansion is cut at
 * its blanks and vanishes when empty, as in sh; check lines expand nothing ({@code $} is a character);</li>
 * <li>refused with a paragraph at its column: an unclosed quote or {@code ${}, bash's {@code $'…'} and
 * {@code $"…"} (sh and bash read them differently), and a space other than a plain one outside quotes
 * (U+3000 from an input method, a no-break space from a web page), which a shell would keep in the word.</li>
 * </ul>
 * Lines that need a shell ({@link Line#needsShell()}: pipes, redirections, globs, {@code ;}, {@code &},
 * command substitution, {@code $?} and the like) are run by {@code sh}; their words are only a best guess,
 * and after a command substitution the shell, not this class, judges the quoting.
 */
public final class ShellWords {

    /** Unquoted characters that only a shell can carry out. */
    private static final String SHELL_SYNTAX = "|&;<>*?`()";

    /** Special parameters ({@code $?}, {@code $$}, ...): only a shell knows their values. */
    private static final String SPECIAL_PARAMETERS = "?$#!-*@";

    /**
     * A line cut into words: {@code code} is the line before its comment (stripped), {@code comment}
     * the text after the {@code #}, null when there is none.
     */
    public record Line(List<String> words, String code, String comment, boolean needsShell) {

        public Line {
            words = List.copyOf(words);
        }
    }

    private ShellWords() {
    }

    /** The words of a step line, its variables taken from {@code env} (unset ones are empty). */
    public static List<String> split(String line, Map<String, String> env) {
        return parse(line, env).words();
    }

    /** The words of a step line, each variable's value given by {@code variables} (null: empty). */
    public static List<String> split(String line, UnaryOperator<String> variables) {
        return new Scan(line, variables).run().words();
    }

    /** A step line: words with {@code $NAME}, {@code ${NAME}} and {@code ~} expanded from {@code env}. */
    public static Line parse(String line, Map<String, String> env) {
        return new Scan(line, env::get).run();
    }

    /** A check line: the same quoting, nothing expanded. */
    public static Line literal(String line) {
        return new Scan(line, null).run();
    }

    /** True when the line uses shell syntax beyond a simple command (pipes, redirection, globs, ...). */
    public static boolean needsShell(String line) {
        return new Scan(line, name -> "").run().needsShell();
    }

    /** One pass over a line. */
    private static final class Scan {

        private final String line;
        private final UnaryOperator<String> variables;
        private final List<String> words = new ArrayList<>();
        private StringBuilder word;
        private boolean shell;
        private boolean substitution;
        private String comment;
        private int codeEnd;
        private final int lead;

        Scan(String line, UnaryOperator<String> variables) {
            this.line = line;
            this.variables = variables;
            this.codeEnd = line.length();
            int first = 0;
            while (first < line.length() && blank(line.charAt(first))) {
                first++;
            }
            this.lead = first;
        }

        Line run() {
            int n = line.length();
            int i = 0;
            while (i < n) {
                char c = line.charAt(i);
                if (blank(c)) {
                    endWord();
                    i++;
                } else if (c == '#' && word == null) {
                    comment = line.substring(i + 1);
                    codeEnd = i;
                    break;
                } else if (c == '\'') {
                    i = singleQuoted(i);
                } else if (c == '"') {
                    i = doubleQuoted(i);
                } else if (c == '\\') {
                    if (i + 1 < n) {
                        append(line.charAt(i + 1));
                        i += 2;
                    } else {
                        append(c); // a backslash that ends the line stays, as in sh
                        i++;
                    }
                } else if (c == '$') {
                    i = dollar(i, false);
                } else if (c == '~' && word == null && variables != null && tildeAlone(i + 1)) {
                    expanded(variables.apply("HOME"), true);
                    i++;
                } else {
                    if (SHELL_SYNTAX.indexOf(c) >= 0) {
                        shell = true;
                        substitution |= c == '`';
                    } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                        oddSpace(i, c);
                    }
                    append(c);
                    i++;
                }
            }
            endWord();
            return new Line(words, line.substring(0, codeEnd).strip(), comment, shell);
        }

        private int singleQuoted(int open) {
            int close = line.indexOf('\'', open + 1);
            if (close < 0) {
                unclosedQuote(open, '\'');
                append(line.substring(open + 1));
                return line.length();
            }
            start();
            word.append(line, open + 1, close);
            return close + 1;
        }

        private int doubleQuoted(int open) {
            start();
            int i = open + 1;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (c == '"') {
                    return i + 1;
                }
                if (c == '\\' && i + 1 < line.length() && "$`\"\\".indexOf(line.charAt(i + 1)) >= 0) {
                    append(line.charAt(i + 1));
                    i += 2;
                } else if (c == '$') {
                    i = dollar(i, true);
                } else {
                    if (c == '`') {
                        shell = true;
                        substitution = true;
                    }
                    append(c);
                    i++;
                }
            }
            unclosedQuote(open, '"');
            return i;
        }

        /** A {@code $} at {@code at}: an expansion, or the character itself. Returns where scanning goes on. */
        private int dollar(int at, boolean quoted) {
            char next = at + 1 < line.length() ? line.charAt(at + 1) : 0;
            if (!quoted && (next == '\'' || next == '"')) {
                fail(at, "`$" + next + "` at column " + column(at) + " in `" + shown() + "` is bash's "
                        + (next == '\'' ? "$'…' quoting (for escapes like \\n)" : "$\"…\" quoting (for translations)")
                        + ", which sh reads differently; write the text in '…' or \"…\" (printf turns \\n into a"
                        + " new line)");
                append('$');
                return at + 1;
            }
            if (variables == null) {
                append('$');
                return at + 1;
            }
            if (next == '(') {
                shell = true;
                substitution = true;
                append('$');
                return at + 1;
            }
            if (next == '{') {
                int close = line.indexOf('}', at + 2);
                if (close < 0) {
                    fail(at, "the ${ at column " + column(at) + " in `" + shown() + "` is not closed by }; close it,"
                            + " or write the variable as $NAME");
                    append(line.substring(at));
                    return line.length();
                }
                String name = line.substring(at + 2, close);
                if (!isName(name)) { // ${X:-default} and the like: the shell's to expand
                    shell = true;
                    append(line.substring(at, close + 1));
                } else {
                    expanded(variables.apply(name), quoted);
                }
                return close + 1;
            }
            if (next == '_' || next < 128 && Character.isLetter(next)) {
                int end = at + 1;
                while (end < line.length() && isNameChar(line.charAt(end))) {
                    end++;
                }
                expanded(variables.apply(line.substring(at + 1, end)), quoted);
                return end;
            }
            if (next >= '0' && next <= '9') {
                expanded(variables.apply(String.valueOf(next)), quoted);
                return at + 2;
            }
            if (next != 0 && SPECIAL_PARAMETERS.indexOf(next) >= 0) {
                shell = true;
            }
            append('$');
            return at + 1;
        }

        /** A variable's value: in quotes as it is; unquoted cut at its blanks, and nothing at all when empty. */
        private void expanded(String value, boolean quoted) {
            if (value == null) {
                value = "";
            }
            if (quoted) {
                start();
                word.append(value);
                return;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (blank(c)) {
                    endWord();
                } else {
                    append(c);
                }
            }
        }

        /** A {@code ~} that sh expands to the home folder: alone, or before a {@code /}. */
        private boolean tildeAlone(int after) {
            if (after >= line.length()) {
                return true;
            }
            char c = line.charAt(after);
            return c == '/' || blank(c);
        }

        private void oddSpace(int at, char c) {
            String name = Character.getName(c);
            fail(at, "column " + column(at) + " of `" + shown() + "` holds " + String.format("U+%04X", (int) c)
                    + (name == null ? "" : " " + name) + " between words, which a shell keeps as part of a word; type a"
                    + " plain space there, or put the text in quotes if the character belongs to it");
        }

        private void unclosedQuote(int open, char quote) {
            fail(open, "the quote " + quote + " opened at column " + column(open) + " in `" + shown()
                    + "` is not closed; close it or remove it");
        }

        /** Refuses the line, unless a command substitution made it the shell's to judge. */
        private void fail(int at, String problem) {
            if (!substitution) {
                throw new ShellWordsException(problem, column(at));
            }
        }

        /** The column in the line as {@link #shown()} echoes it, counted in characters (code points). */
        private int column(int index) {
            return line.codePointCount(lead, index) + 1;
        }

        /** The line as messages echo it: without the blanks around it. */
        private String shown() {
            int end = line.length();
            while (end > lead && blank(line.charAt(end - 1))) {
                end--;
            }
            return line.substring(lead, end);
        }

        private static boolean blank(char c) {
            return c == ' ' || c == '\t' || c == '\n';
        }

        private void start() {
            if (word == null) {
                word = new StringBuilder();
            }
        }

        private void append(char c) {
            start();
            word.append(c);
        }

        private void append(String s) {
            start();
            word.append(s);
        }

        private void endWord() {
            if (word != null) {
                words.add(word.toString());
                word = null;
            }
        }

        private static boolean isName(String name) {
            if (name.isEmpty() || !(name.charAt(0) == '_' || name.charAt(0) < 128 && Character.isLetter(name.charAt(0)))) {
                return name.length() == 1 && name.charAt(0) >= '0' && name.charAt(0) <= '9';
            }
            return name.chars().allMatch(ch -> isNameChar((char) ch));
        }

        private static boolean isNameChar(char c) {
            return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
        }
    }
}
