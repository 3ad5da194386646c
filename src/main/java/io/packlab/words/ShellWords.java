package io.packlab.words;

import io.packlab.error.PacklabException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a command line into words as a POSIX shell would for simple commands: blanks separate
 * words, 'single quotes' keep everything, "double quotes" and bare words expand $VAR and ${VAR},
 * a backslash escapes the next character.
 */
public final class ShellWords {

    private ShellWords() {
    }

    public static List<String> split(String line, Map<String, String> env) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '\\' && i + 1 < line.length()) {
                char n = line.charAt(++i);
                if (word == null) {
                    word = new StringBuilder();
                }
                if (quote == '"' && n != '"' && n != '\\' && n != '$') {
                    word.append('\\');
                }
                word.append(n);
                continue;
            }
            if (c == '$' && i + 1 < line.length()) {
                int end;
                String name;
                if (line.charAt(i + 1) == '{') {
                    end = line.indexOf('}', i + 2);
                    if (end < 0) {
                        throw PacklabException.usage("the ${ in `" + line + "` is not closed by }.");
                    }
                    name = line.substring(i + 2, end);
                    end++;
                } else {
                    end = i + 1;
                    while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
                        end++;
                    }
                    name = line.substring(i + 1, end);
                }
                if (!name.isEmpty()) {
                    if (word == null) {
                        word = new StringBuilder();
                    }
                    word.append(env.getOrDefault(name, ""));
                    i = end - 1;
                    continue;
                }
            }
            if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                if (word == null) {
                    word = new StringBuilder();
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(c);
            }
        }
        if (quote != 0) {
            throw PacklabException.usage("the quote " + quote + " in `" + line + "` is not closed.");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /** True when the line uses shell syntax beyond a simple command (pipes, redirection, globs, ...). */
    public static boolean needsShell(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (!single && !dbl && "|&;<>*?`()".indexOf(c) >= 0) {
                return true;
            } else if (!single && c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '(') {
                return true;
            }
        }
        return false;
    }
}
