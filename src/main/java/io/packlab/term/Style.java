package io.packlab.term;

/** ANSI styles, or plain text when colour is off. */
public final class Style {

    private final boolean on;

    public Style(boolean on) {
        this.on = on;
    }

    public boolean enabled() {
        return on;
    }

    private String wrap(String code, String text) {
        return on ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }

    public String bold(String t) {
        return wrap("1", t);
    }

    public String dim(String t) {
        return wrap("2", t);
    }

    public String italic(String t) {
        return wrap("3", t);
    }

    public String underline(String t) {
        return wrap("4", t);
    }

    public String red(String t) {
        return wrap("31", t);
    }

    public String green(String t) {
        return wrap("32", t);
    }

    public String yellow(String t) {
        return wrap("33", t);
    }

    public String blue(String t) {
        return wrap("34", t);
    }

    public String magenta(String t) {
        return wrap("35", t);
    }

    public String cyan(String t) {
        return wrap("36", t);
    }

    /** Removes ANSI escape sequences, for width computations. */
    public static String strip(String text) {
        return text.replaceAll("\u001b\\[[0-9;]*m", "");
    }
}
