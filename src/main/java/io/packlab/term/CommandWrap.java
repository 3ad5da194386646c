package io.packlab.term;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fits the lines of a code block into a width without breaking a word, so that what is copied still
 * means the same. Shell lines (steps, {@code $ } lines of a console, Dockerfiles) break only at a
 * blank outside quotes and end with {@code " \"}: a shell (or Docker) joins them back into the same
 * words; continuation lines are indented four columns. A comment continues as a comment. Other lines
 * (TOML, a command's output) break at blanks, continuation lines indented two columns. A word wider
 * than the whole width is never cut: it gets a line of its own and goes past the width (a terminal
 * shows it on two rows but copies it as one line, where a cut would put a newline into the command).
 * The bodies of here-documents are never wrapped: every character of them counts.
 */
public final class CommandWrap {

    /** How a block's lines may be broken. */
    public enum Mode {
        /** Every line is a command or a comment ({@code sh}, {@code bash}, {@code dockerfile}). */
        SHELL,
        /** {@code $ } lines (and the lines they continue with {@code \}) are commands, the others output. */
        CONSOLE,
        /** Text: break at blanks ({@code toml}, anything else). */
        TEXT
    }

    static final int CONTINUATION = 4;

    /** A start of line this short keeps a word that fits nowhere (see {@link #shell}). */
    static final int SHORT_START = 8;

    private static final Pattern HEREDOC = Pattern.compile("(?<!<)<<(?!<)-?\\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\\1");

    private CommandWrap() {
    }

    /** The mode of a block by its info string's first word. */
    public static Mode mode(String kind) {
        return switch (kind) {
            case "sh", "bash", "shell", "zsh", "dockerfile", "Dockerfile", "docker" -> Mode.SHELL;
            case "console", "shell-session" -> Mode.CONSOLE;
            default -> Mode.TEXT;
        };
    }

    /** The lines of a block's body, each fitted into {@code width} columns as the mode allows. */
    public static List<String> block(String body, Mode mode, int width) {
        List<String> out = new ArrayList<>();
        String heredocEnd = null;
        boolean dashed = false;
        boolean continued = false;
        for (String line : body.split("\n", -1)) {
            line = line.replace("\t", "    ");
            if (heredocEnd != null) {
                out.add(line);
                if ((dashed ? line.stripLeading() : line).equals(heredocEnd)) {
                    heredocEnd = null;
                }
                continue;
            }
            boolean command = switch (mode) {
                case SHELL -> true;
                case CONSOLE -> continued || line.startsWith("$ ") || line.equals("$");
                case TEXT -> false;
            };
            if (command) {
                out.addAll(shell(line, width));
                continued = line.endsWith("\\") && !isComment(line);
                Matcher m = heredoc(line);
                if (m != null) {
                    heredocEnd = m.group(2);
                    dashed = m.group().startsWith("<<-");
                }
            } else {
                out.addAll(text(line, width));
                continued = false;
            }
        }
        return out;
    }

    /** One shell line in lines of {@code width} columns; a line that fits stays as it is. */
    public static List<String> shell(String line, int width) {
        if (DisplayWidth.of(line) <= width) {
            return List.of(line);
        }
        String indent = line.substring(0, line.length() - line.stripLeading().length());
        String rest = line.stripLeading();
        if (rest.startsWith("#")) {
            return comment(indent, rest, width);
        }
        List<Word> words = words(rest);
        String next = indent + " ".repeat(CONTINUATION);
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder(indent).append(words.get(0).text);
        for (int i = 1; i < words.size(); i++) {
            Word w = words.get(i);
            boolean last = i == words.size() - 1;
            // a break after w needs " \" (two columns), unless w is the last word or the break falls in a comment
            int reserve = last || words.get(i).comment && i + 1 < words.size() && words.get(i + 1).comment ? 0 : 2;
            boolean fits = DisplayWidth.of(cur.toString()) + 1 + DisplayWidth.of(w.text) + reserve <= width;
            // a word too wide even for a line of its own stays after a short start (LABEL, ENV): a break
            // would gain a few columns for a backslash
            boolean hopeless = DisplayWidth.of(next) + DisplayWidth.of(w.text) + reserve > width
                    && DisplayWidth.of(cur.toString()) <= DisplayWidth.of(next) + SHORT_START;
            if (fits || hopeless) {
                cur.append(' ').append(w.text);
                continue;
            }
            Word before = words.get(i - 1);
            int start = cur.length() - before.text.length();
            if (w.comment && before.comment) {
                out.add(cur.toString());
                cur = new StringBuilder(next).append("# ").append(w.text);
            } else if (isOption(before) && !isOption(w) && !w.comment && start > next.length()
                    && cur.charAt(start - 1) == ' '
                    && DisplayWidth.of(next) + DisplayWidth.of(before.text) + 1 + DisplayWidth.of(w.text) + reserve <= width) {
                // an option and its value go to the next line together
                out.add(cur.substring(0, start - 1) + " \\");
                cur = new StringBuilder(next).append(before.text).append(' ').append(w.text);
            } else {
                out.add(cur.append(" \\").toString());
                cur = new StringBuilder(next).append(w.text);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static boolean isOption(Word w) {
        return w.text.startsWith("-") && w.text.length() > 1 && !w.comment;
    }

    private static boolean isComment(String line) {
        return line.stripLeading().startsWith("#");
    }

    /** A comment line: its words on lines that each start with {@code #}. */
    private static List<String> comment(String indent, String rest, int width) {
        String hashes = rest.substring(0, rest.length() - rest.replaceFirst("^#+", "").length());
        String text = rest.substring(hashes.length()).strip();
        String lead = indent + hashes + " ";
        List<String> out = new ArrayList<>();
        for (String piece : breakAtBlanks(text, width - DisplayWidth.of(lead))) {
            out.add(lead + piece);
        }
        return out;
    }

    /** A line of text (TOML, output): broken at blanks, continuation lines indented two columns. */
    static List<String> text(String line, int width) {
        if (DisplayWidth.of(line) <= width) {
            return List.of(line);
        }
        String indent = line.substring(0, line.length() - line.stripLeading().length());
        String rest = line.stripLeading();
        if (rest.startsWith("#")) {
            return comment(indent, rest, width);
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder(indent);
        String next = indent + "  ";
        boolean empty = true;
        for (String w : rest.split(" +")) {
            if (!empty && DisplayWidth.of(cur.toString()) + 1 + DisplayWidth.of(w) > width) {
                out.add(cur.toString());
                cur = new StringBuilder(next);
                empty = true;
            }
            cur.append(empty ? "" : " ").append(w);
            empty = false;
        }
        out.add(cur.toString());
        return out;
    }

    /** Words separated by single blanks, greedily into lines of {@code width} columns; long words stay whole. */
    private static List<String> breakAtBlanks(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String w : text.split(" +")) {
            if (cur.length() > 0 && DisplayWidth.of(cur.toString()) + 1 + DisplayWidth.of(w) > width) {
                out.add(cur.toString());
                cur.setLength(0);
            }
            if (cur.length() > 0) {
                cur.append(' ');
            }
            cur.append(w);
        }
        out.add(cur.toString());
        return out;
    }

    /** A word of a shell line as written (quotes kept), and whether it is part of a comment. */
    private record Word(String text, boolean comment) {
    }

    /**
     * The words of a shell line: runs of characters between blanks that are outside quotes and not
     * escaped; a word starting with {@code #} starts a comment that runs to the end of the line. A
     * trailing {@code \} (the line continues) stays with the word before it.
     */
    private static List<Word> words(String line) {
        List<Word> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean comment = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                quote = c == '\'' ? 0 : quote;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(c);
                c = line.charAt(++i);
            } else if (quote == '"') {
                quote = c == '"' ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ' ') {
                if (word.length() > 0) {
                    words.add(new Word(word.toString(), comment));
                    word.setLength(0);
                }
                continue;
            } else if (c == '#' && word.length() == 0) {
                comment = true;
            }
            word.append(c);
        }
        if (word.length() > 0) {
            words.add(new Word(word.toString(), comment));
        }
        for (int i = 0; i + 1 < words.size(); i++) {
            if (words.get(i).text.equals("#") && words.get(i).comment) {
                // a lone # stays with the first word of its comment
                words.set(i, new Word("# " + words.get(i + 1).text, true));
                words.remove(i + 1);
            }
        }
        int n = words.size();
        if (n > 1 && words.get(n - 1).text.equals("\\") && !words.get(n - 1).comment) {
            words.set(n - 2, new Word(words.get(n - 2).text + " \\", words.get(n - 2).comment));
            words.remove(n - 1);
        }
        return words;
    }

    /** The first here-document operator outside quotes, matched (group 2 its delimiter), or null. */
    private static Matcher heredoc(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\\') {
                i++;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '<') {
                Matcher m = HEREDOC.matcher(line).region(i, line.length());
                if (m.lookingAt()) {
                    return m;
                }
                i++;
            }
        }
        return null;
    }
}
