package io.packlab.report;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link JUnitReport} as JUnit XML (UTF-8): {@code <testsuites>} with one {@code <testsuite>}
 * per suite, its {@code <properties>} and {@code <testcase>}s, each with a {@code <failure>},
 * {@code <error>} or {@code <skipped>} when it did not pass. Text and attributes are escaped, so
 * {@code ]]>}, quotes and any language's letters come out as written; characters that XML 1.0 cannot
 * carry at all (control characters such as ESC, lone surrogates) are written as {@code \\uXXXX}.
 */
public final class JUnitXml {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private JUnitXml() {
    }

    public static String write(JUnitReport report) {
        StringBuilder x = new StringBuilder(4096);
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuites").append(attr("name", report.name())).append(counts(report.tests(), report.failures(),
                report.errors(), report.skipped())).append(attr("time", seconds(report.seconds()))).append(">\n");
        for (JUnitReport.Suite s : report.suites()) {
            suite(x, s);
        }
        x.append("</testsuites>\n");
        return x.toString();
    }

    private static void suite(StringBuilder x, JUnitReport.Suite s) {
        x.append("  <testsuite").append(attr("name", s.name())).append(counts(s.tests(), s.failures(), s.errors(),
                s.skipped())).append(attr("time", seconds(s.seconds())))
                .append(attr("timestamp", s.timestamp().truncatedTo(ChronoUnit.SECONDS).format(TIMESTAMP))).append(">\n");
        if (!s.properties().isEmpty()) {
            x.append("    <properties>\n");
            for (Map.Entry<String, String> p : s.properties().entrySet()) {
                x.append("      <property").append(attr("name", p.getKey())).append(attr("value", p.getValue()))
                        .append("/>\n");
            }
            x.append("    </properties>\n");
        }
        for (JUnitReport.Case c : s.cases()) {
            x.append("    <testcase").append(attr("classname", c.classname())).append(attr("name", c.name()))
                    .append(attr("time", seconds(c.seconds())));
            if (c.outcome() instanceof JUnitReport.Skipped k) {
                x.append(">\n      <skipped").append(attr("message", k.message())).append("/>\n    </testcase>\n");
            } else if (c.outcome() instanceof JUnitReport.Failed f) {
                String element = f.error() ? "error" : "failure";
                x.append(">\n      <").append(element).append(attr("message", f.message())).append(attr("type", f.type()))
                        .append('>').append(text(f.detail())).append("</").append(element).append(">\n    </testcase>\n");
            } else {
                x.append("/>\n");
            }
        }
        x.append("  </testsuite>\n");
    }

    private static String counts(long tests, long failures, long errors, long skipped) {
        return attr("tests", Long.toString(tests)) + attr("failures", Long.toString(failures))
                + attr("errors", Long.toString(errors)) + attr("skipped", Long.toString(skipped));
    }

    /** Seconds with three decimals and a dot, whatever the locale. */
    static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.3f", Math.max(0, seconds));
    }

    private static String attr(String name, String value) {
        return " " + name + "=\"" + escape(value, true) + "\"";
    }

    /** Character data: markup characters escaped ({@code ]]>} becomes {@code ]]&gt;}). */
    static String text(String s) {
        return escape(s, false);
    }

    /**
     * Escapes {@code s} for an attribute value (also quotes, and line ends and tabs, which attribute
     * normalisation would otherwise turn into spaces) or for character data; characters that XML 1.0
     * does not allow become {@code \\uXXXX}, a lone surrogate U+FFFD.
     */
    static String escape(String s, boolean attribute) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                case '\r' -> out.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else if (c < 0x20 || c == '\uFFFE' || c == '\uFFFF') {
                        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
