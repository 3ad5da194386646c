package io.packlab.error;

/** Text that comes from the learner (arguments, paths, file contents) made fit to be echoed in a message. */
public final class Texts {

    /** Words longer than this are shortened when echoed. */
    public static final int LONGEST_WORD = 200;

    /** How much of a shortened word is kept. */
    public static final int KEPT = 60;

    private static final String LEADING = "`'\"([{<";
    private static final String TRAILING = "`'\").,;:!?]}>";

    private Texts() {
    }

    /**
     * {@code text} with every word (a run without blanks) longer than {@link #LONGEST_WORD} characters
     * shortened to its first {@link #KEPT} characters and {@code … (N characters)}, keeping the
     * punctuation that closes it: a 100 kB argument is named, not echoed back whole.
     */
    public static String shorten(String text) {
        if (text == null || text.length() <= LONGEST_WORD) {
            return text;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 4096));
        int i = 0;
        int n = text.length();
        while (i < n) {
            int start = i;
            if (Character.isWhitespace(text.charAt(i))) {
                while (i < n && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                out.append(text, start, i);
                continue;
            }
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            out.append(word(text.substring(start, i)));
        }
        return out.toString();
    }

    /** One word, shortened when it is too long; the punctuation that closes it is kept. */
    public static String word(String word) {
        if (word.codePointCount(0, word.length()) <= LONGEST_WORD) {
            return word;
        }
        int begin = 0;
        while (begin < word.length() && LEADING.indexOf(word.charAt(begin)) >= 0 && begin < 3) {
            begin++;
        }
        int end = word.length();
        while (end > begin && TRAILING.indexOf(word.charAt(end - 1)) >= 0 && word.length() - end < 4) {
            end--;
        }
        String core = word.substring(begin, end);
        int count = core.codePointCount(0, core.length());
        return word.substring(0, begin) + core.substring(0, core.offsetByCodePoints(0, Math.min(KEPT, count))) + "… ("
                + count + " characters)" + word.substring(end);
    }

    /**
     * Whether {@code text} holds U+FFFD, the character Java puts where the bytes of an argument could not
     * be decoded (not UTF-8, or not representable in the locale's encoding).
     */
    public static boolean undecodable(String text) {
        return text.indexOf('\uFFFD') >= 0;
    }
}
