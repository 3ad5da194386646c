package io.packlab.check;

import io.packlab.error.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Check lines as short sentences in the learner's language, for reading a lesson ("image webapp
 * exists" → "the image `webapp` exists", 「イメージ `webapp` がある」). A line is matched against the
 * forms the verbs list ({@link CheckVerb#synopsis()}); each form's sentence is in
 * {@code io/packlab/check/sentences[_LANG].properties} under the form's fixed words joined by dots
 * ({@code image REF label KEY = VALUE} → {@code image.label.is}). A form without a sentence, an
 * unknown verb or a malformed line gets the generic one. Sentences are Markdown: values are code spans.
 */
public final class CheckSentences {

    private static final String BUNDLE = "io.packlab.check.sentences";

    private final List<String> forms;
    private final ResourceBundle words;

    private CheckSentences(List<String> forms, ResourceBundle words) {
        this.forms = forms;
        this.words = words;
    }

    /** Sentences for the standard verbs in a language ({@code en}, {@code ja}; others get English). */
    public static CheckSentences of(String lang) {
        return of(CheckLanguage.standard(), lang);
    }

    public static CheckSentences of(CheckLanguage language, String lang) {
        List<String> forms = language.verbs().stream().flatMap(v -> v.synopsis().stream()).toList();
        ResourceBundle.Control control = ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES);
        return new CheckSentences(forms, ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(lang),
                CheckSentences.class.getClassLoader(), control));
    }

    /** The sentence for one check line (its {@code # hint:} left out); empty for a blank or comment line. */
    public String sentence(String line) {
        List<String> said = new ArrayList<>();
        String source;
        try {
            Tokens tokens = Tokens.of(line, new SourceLocation(java.nio.file.Path.of("-"), 1));
            while (tokens.hasNext()) {
                said.add(tokens.next("a word"));
            }
            source = tokens.source();
        } catch (CheckSyntaxException e) {
            return generic(line.strip());
        }
        if (said.isEmpty()) {
            return "";
        }
        for (String form : forms) {
            List<String> values = match(form.split(" "), said);
            if (values != null) {
                String key = key(form);
                String template;
                try {
                    template = words.getString(key);
                } catch (MissingResourceException e) {
                    return generic(source);
                }
                return fill(template, values.stream().map(CheckSentences::code).toList());
            }
        }
        return generic(source);
    }

    private String generic(String source) {
        return fill(words.getString("other"), List.of(code(source)));
    }

    /** The values of the slots of {@code form} in {@code said}, or null when the line is not of that form. */
    private static List<String> match(String[] form, List<String> said) {
        if (form.length != said.size()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < form.length; i++) {
            if (isSlot(form[i])) {
                values.add(said.get(i));
            } else if (!(form[i].equals(said.get(i)) || form[i].equals("=") && said.get(i).equals("=="))) {
                return null;
            }
        }
        return values;
    }

    /** A placeholder of a synopsis: upper-case letters and no lower-case ones (REF, /JSON/POINTER, NAME:TAG). */
    private static boolean isSlot(String word) {
        return word.chars().anyMatch(Character::isUpperCase) && word.chars().noneMatch(Character::isLowerCase);
    }

    /** The fixed words of a form joined by dots, {@code =} as {@code is} and {@code !=} as {@code isnot}. */
    static String key(String form) {
        List<String> fixed = new ArrayList<>();
        for (String w : form.split(" ")) {
            if (!isSlot(w)) {
                fixed.add(switch (w) {
                    case "=", "==" -> "is";
                    case "!=" -> "isnot";
                    default -> w;
                });
            }
        }
        return String.join(".", fixed);
    }

    private static String fill(String template, List<String> values) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\d)}").matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int i = m.group(1).charAt(0) - '0';
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(i < values.size() ? values.get(i) : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A Markdown code span holding {@code value} as it is (a longer fence when it holds backticks). */
    static String code(String value) {
        String fence = "`";
        while (value.contains(fence)) {
            fence += "`";
        }
        boolean pad = value.startsWith("`") || value.endsWith("`") || value.isBlank();
        return fence + (pad ? " " + value + " " : value) + fence;
    }
}
