package io.packlab.term;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The words packlab puts around lessons (frame labels, the hint line, the shell's greeting) in the
 * learner's language, from {@code io/packlab/term/wording[_LANG].properties}; a key a language
 * lacks falls back to English, a language without a file is English.
 */
public final class Wording {

    private static final String BUNDLE = "io.packlab.term.wording";

    private final String lang;
    private final ResourceBundle bundle;

    private Wording(String lang, ResourceBundle bundle) {
        this.lang = lang;
        this.bundle = bundle;
    }

    /** The wording of a language ({@code en}, {@code ja}); English for a language packlab has no words in. */
    public static Wording of(String lang) {
        return new Wording(lang, bundle(BUNDLE, lang));
    }

    /**
     * A bundle of {@code baseName} for {@code lang} without the JVM's default-locale fallback (which
     * would give a Japanese machine Japanese words for {@code --lang en}).
     */
    public static ResourceBundle bundle(String baseName, String lang) {
        ResourceBundle.Control control = ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES);
        return ResourceBundle.getBundle(baseName, Locale.forLanguageTag(lang), Wording.class.getClassLoader(), control);
    }

    public String lang() {
        return lang;
    }

    /** The text of {@code key} with {@code {0}}, {@code {1}}, ... replaced by the arguments, in order. */
    public String text(String key, Object... args) {
        String template;
        try {
            template = bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("no wording for `" + key + "`", e);
        }
        return fill(template, args);
    }

    /** {@code {0}}, {@code {1}}, ... replaced by the arguments; no other character is special (unlike MessageFormat). */
    public static String fill(String template, Object... args) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\d)}").matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int i = m.group(1).charAt(0) - '0';
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    i < args.length ? String.valueOf(args[i]) : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code key.one} for one, else {@code key.many}, filled with the count and the arguments. */
    public String count(String key, int n, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = n;
        System.arraycopy(args, 0, all, 1, args.length);
        return text(key + (n == 1 ? ".one" : ".many"), all);
    }
}
