package io.packlab.classroom.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The instructor's page: one HTML document (its language from the query or Accept-Language, English
 * or Japanese) and its two assets, a script and a style sheet. The page holds no learner data: the
 * script fetches the room and builds every element with {@code textContent}.
 */
final class Page {

    private static final Map<String, byte[]> ASSETS = new ConcurrentHashMap<>();

    private Page() {
    }

    static byte[] html(String lang) {
        String template = new String(asset("index.html"), StandardCharsets.UTF_8);
        return template.replace("{{lang}}", lang).getBytes(StandardCharsets.UTF_8);
    }

    /** One of the page's files, from the jar. */
    static byte[] asset(String name) {
        return ASSETS.computeIfAbsent(name, n -> {
            try (InputStream in = Page.class.getResourceAsStream(n)) {
                if (in == null) {
                    throw new IllegalStateException("the page's " + n + " is missing from packlab's jar");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** "ja" or "en": {@code lang=} in the query wins; else the Accept-Language entry of highest weight among the two. */
    static String language(String acceptLanguage, String query) {
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.equals("lang=ja") || part.equals("lang=en")) {
                    return part.substring(5);
                }
            }
        }
        if (acceptLanguage == null) {
            return "en";
        }
        double ja = -1;
        double en = -1;
        int order = 0;
        for (String entry : acceptLanguage.split(",")) {
            String[] parts = entry.trim().split(";");
            String tag = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            q -= order++ * 1e-6; // equal weights: the first listed wins
            if ((tag.equals("ja") || tag.startsWith("ja-")) && q > ja) {
                ja = q;
            } else if ((tag.equals("en") || tag.startsWith("en-")) && q > en) {
                en = q;
            }
        }
        return ja > 0 && ja > en ? "ja" : "en";
    }
}
