package io.packlab.cnb.descriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Patterns in the {@code .gitignore} form, as project.toml's {@code include} and {@code exclude}
 * list them: {@code #} comments and blank lines skipped, {@code !} negates, a leading or inner
 * {@code /} anchors at the project folder (else the pattern matches at any depth), a trailing
 * {@code /} matches folders only, {@code *} and {@code ?} stay within a path segment,
 * {@code [...]} is a character class and {@code **} spans folders. A path is matched when it, or a
 * folder it is in, is matched; among the patterns the last that matches decides.
 */
public final class FilePatterns {

    private record Rule(Pattern regex, boolean negated, boolean directoryOnly) {
    }

    private final List<Rule> rules;

    private FilePatterns(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The patterns of {@code lines}, in order. */
    public static FilePatterns of(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String line : lines) {
            Rule r = rule(line);
            if (r != null) {
                rules.add(r);
            }
        }
        return new FilePatterns(rules);
    }

    /** Whether {@code path} (relative to the project folder, {@code /}-separated) is matched. */
    public boolean matches(String path, boolean directory) {
        String[] segments = path.split("/");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                continue;
            }
            if (prefix.length() > 0) {
                prefix.append('/');
            }
            prefix.append(segments[i]);
            boolean last = i == segments.length - 1;
            boolean matched = state(prefix.toString(), !last || directory);
            if (matched || last) {
                return matched; // a matched folder matches all it holds
            }
        }
        return false;
    }

    private boolean state(String path, boolean directory) {
        boolean matched = false;
        for (Rule r : rules) {
            if ((!r.directoryOnly() || directory) && r.regex().matcher(path).matches()) {
                matched = !r.negated();
            }
        }
        return matched;
    }

    private static Rule rule(String line) {
        String p = line;
        if (p.isBlank() || p.startsWith("#")) {
            return null;
        }
        while (p.endsWith(" ") && !p.endsWith("\\ ")) {
            p = p.substring(0, p.length() - 1);
        }
        boolean negated = false;
        if (p.startsWith("!")) {
            negated = true;
            p = p.substring(1);
        } else if (p.startsWith("\\!") || p.startsWith("\\#")) {
            p = p.substring(1);
        }
        boolean directoryOnly = p.endsWith("/");
        if (directoryOnly) {
            p = p.substring(0, p.length() - 1);
        }
        boolean anchored = p.contains("/");
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return null;
        }
        return new Rule(Pattern.compile((anchored ? "" : "(?:.*/)?") + body(p)), negated, directoryOnly);
    }

    /** The glob as a regular expression over a whole relative path. */
    private static String body(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i) && (i == 0 || glob.charAt(i - 1) == '/')) {
                re.append("(?:.*/)?");
                i += 3;
            } else if (glob.startsWith("**", i) && i + 2 == glob.length() && (i == 0 || glob.charAt(i - 1) == '/')) {
                re.append(".*");
                i += 2;
            } else if (c == '*') {
                re.append("[^/]*");
                i++;
            } else if (c == '?') {
                re.append("[^/]");
                i++;
            } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
                int end = glob.indexOf(']', i + 2);
                String set = glob.substring(i + 1, end);
                if (set.startsWith("!")) {
                    set = "^" + set.substring(1);
                }
                re.append('[').append(set.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                i = end + 1;
            } else if (c == '\\' && i + 1 < glob.length()) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
                i += 2;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return re.toString();
    }
}
