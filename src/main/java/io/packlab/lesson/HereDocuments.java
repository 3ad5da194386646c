package io.packlab.lesson;

import java.util.ArrayList;
import java.util.List;

/**
 * Here-documents in command lines ({@code cat > FILE <<'EOF'} ... {@code EOF}): the words that end
 * them, and whether a command's text holds all of its bodies. Lesson steps and lines typed in the
 * shell both use this, so a command runs the same whichever way it arrives.
 */
public final class HereDocuments {

    private HereDocuments() {
    }

    /** One here-document operator of a line: its end word, and whether leading tabs are stripped ({@code <<-}). */
    public record Opener(String word, boolean stripTabs) {

        /** True when {@code line} ends this here-document. */
        public boolean endsWith(String line) {
            return (stripTabs ? line.replaceFirst("^\t+", "") : line).equals(word);
        }
    }

    /**
     * The here-documents a command line opens, in order, by the shell's rules: {@code <<WORD},
     * {@code <<'WORD'}, {@code <<"WORD"}, {@code <<-WORD}, outside quotes; {@code <<<} (a here-string)
     * is none.
     */
    public static List<Opener> openers(String line) {
        List<Opener> out = new ArrayList<>();
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && !single) {
                i++;
            } else if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (!single && !dbl && line.startsWith("<<", i)) {
                if (line.startsWith("<<<", i)) {
                    i += 2;
                    continue;
                }
                int j = i + 2;
                boolean tabs = j < line.length() && line.charAt(j) == '-';
                if (tabs) {
                    j++;
                }
                while (j < line.length() && line.charAt(j) == ' ') {
                    j++;
                }
                StringBuilder word = new StringBuilder();
                char quote = 0;
                while (j < line.length()) {
                    char w = line.charAt(j);
                    if (quote != 0) {
                        if (w == quote) {
                            quote = 0;
                        } else {
                            word.append(w);
                        }
                    } else if (w == '\'' || w == '"') {
                        quote = w;
                    } else if (w == '\\' && j + 1 < line.length()) {
                        word.append(line.charAt(++j));
                    } else if (Character.isWhitespace(w) || ";|&<>()".indexOf(w) >= 0) {
                        break;
                    } else {
                        word.append(w);
                    }
                    j++;
                }
                if (!word.isEmpty()) {
                    out.add(new Opener(word.toString(), tabs));
                }
                i = j - 1;
            }
        }
        return out;
    }

    /**
     * True when {@code text} (a command line, then the lines typed after it) still waits for the
     * end word of one of its here-documents.
     */
    public static boolean unfinished(String text) {
        String[] lines = text.split("\n", -1);
        List<Opener> open = openers(lines[0]);
        int next = 0;
        for (int i = 1; i < lines.length && next < open.size(); i++) {
            if (open.get(next).endsWith(lines[i])) {
                next++;
            }
        }
        return next < open.size();
    }
}
