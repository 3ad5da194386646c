package io.packlab.term;

import java.io.PrintWriter;

/**
 * Where packlab talks to the learner: plain lines, step commands, step output, check results,
 * warnings. Colour only when enabled (off with --no-color, NO_COLOR, or when output is not a terminal).
 */
public final class Console {

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;
    private final int width;

    public Console(PrintWriter out, PrintWriter err, boolean color, int width) {
        this.out = out;
        this.err = err;
        this.style = new Style(color);
        this.width = width;
    }

    public Style style() {
        return style;
    }

    public int width() {
        return width;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public void println(String line) {
        out.println(line);
        out.flush();
    }

    public void println() {
        println("");
    }

    /** A command about to run, as the learner would type it. */
    public void command(String cwd, String command) {
        println(style.dim(cwd + " ") + style.bold(style.cyan("$ " + command)));
    }

    /** A line printed by a running command. */
    public void output(String line) {
        println(style.dim("  │ ") + line);
    }

    public void pass(String message) {
        println(style.green("✔ ") + message);
    }

    public void fail(String message) {
        println(style.red("✘ ") + message);
    }

    /** A finding that does not stop the work (doctor), on standard output. */
    public void note(String message) {
        println(style.yellow("! ") + message);
    }

    public void detail(String label, String text) {
        println("    " + style.dim(label) + " " + text);
    }

    public void warn(String message) {
        err.println(style.yellow("! ") + message);
        err.flush();
    }

    /** An error paragraph on stderr, without any stack trace. */
    public void error(String message) {
        err.println(style.red("error: ") + message);
        err.flush();
    }

    public void heading(String text) {
        println(style.bold(text));
    }
}
