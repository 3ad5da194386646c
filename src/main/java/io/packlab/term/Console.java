package io.packlab.term;

import java.io.PrintWriter;
import java.util.List;

/**
 * Where packlab talks to the learner: plain lines, step commands, step output, check results,
 * warnings. Colour only when enabled (off with --no-color, NO_COLOR, or when output is not a terminal).
 */
public final class Console {

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;
    private final int width;
    private final boolean live;
    private String status;

    public Console(PrintWriter out, PrintWriter err, boolean color, int width) {
        this(out, err, color, width, false);
    }

    /** @param live whether output is a terminal, where a status line can be redrawn in place */
    public Console(PrintWriter out, PrintWriter err, boolean color, int width, boolean live) {
        this.out = out;
        this.err = err;
        this.style = new Style(color);
        this.width = width;
        this.live = live;
    }

    /** True when output is a terminal: status lines are drawn (never into logs or pipes). */
    public boolean live() {
        return live;
    }

    /** Draws (or redraws) the status line below the output, cut to the width; terminals only. */
    public synchronized void status(String text) {
        if (!live) {
            return;
        }
        String fitted = TextWrap.hardWrap(Style.strip(text), Math.max(10, width - 1)).get(0);
        out.print("\r\u001b[K" + style.dim(fitted));
        out.flush();
        status = style.dim(fitted);
    }

    /** Removes the status line. */
    public synchronized void clearStatus() {
        if (status != null) {
            out.print("\r\u001b[K");
            out.flush();
            status = null;
        }
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

    public synchronized void println(String line) {
        if (status != null) {
            out.print("\r\u001b[K");
        }
        out.println(line);
        if (status != null) {
            out.print(status);
        }
        out.flush();
    }

    public void println() {
        println("");
    }

    /**
     * A command about to run, as the learner would type it. On a terminal a long one is wrapped at
     * blanks outside quotes with a trailing {@code \} ({@link CommandWrap}), so it still reads and
     * copies as one command; in logs it stays one line.
     */
    public void command(String cwd, String command) {
        String[] body = command.split("\n", -1); // a here-document's body follows its first line, as written
        String where = io.packlab.error.Texts.shorten(cwd) + " ";
        String typed = "$ " + io.packlab.error.Texts.shorten(body[0]);
        if (!live) {
            println(style.dim(where) + style.bold(style.cyan(typed)));
        } else {
            // the folder is not part of the command: wrap as if the command began the line, then put it in front
            int indent = DisplayWidth.of(where);
            List<String> lines = indent < width / 2 ? CommandWrap.shell(typed, width - indent)
                    : CommandWrap.shell(typed, width);
            for (int i = 0; i < lines.size(); i++) {
                String lead = i == 0 ? style.dim(where) : indent < width / 2 ? " ".repeat(indent) : "";
                println(lead + style.bold(style.cyan(lines.get(i))));
            }
        }
        for (int i = 1; i < body.length; i++) {
            println(style.cyan(body[i]));
        }
    }

    /** A paragraph of text: wrapped to the width on a terminal (by words, and by kinsoku for CJK), one line in logs. */
    public void paragraph(String text) {
        if (!live) {
            println(text);
            return;
        }
        TextWrap.lines(text, Math.max(20, width), "").forEach(this::println);
    }

    /**
     * A line printed by a running command. What a carriage return overwrote on a terminal (apt's and
     * pip's progress) is dropped, so the line is what the learner would see.
     */
    public void output(String line) {
        println(style.dim("  │ ") + line.substring(line.lastIndexOf('\r') + 1));
    }

    public void pass(String message) {
        wrapped(style.green("✔ "), message);
    }

    public void fail(String message) {
        wrapped(style.red("✘ "), message);
    }

    /**
     * A message after a marker, wrapped to the width with a hanging indent on a terminal; in logs and
     * pipes it stays one line, for grep.
     */
    private void wrapped(String marker, String message) {
        if (!live) {
            println(marker + message);
            return;
        }
        int indent = DisplayWidth.of(marker);
        List<String> lines = TextWrap.lines(message, Math.max(20, width - indent), "");
        for (int i = 0; i < lines.size(); i++) {
            println((i == 0 ? marker : " ".repeat(indent)) + lines.get(i));
        }
    }

    /** A finding that does not stop the work (doctor), on standard output. */
    public void note(String message) {
        println(style.yellow("! ") + io.packlab.error.Texts.shorten(message));
    }

    public void detail(String label, String text) {
        String prefix = "    " + style.dim(label) + " ";
        if (!live) {
            println(prefix + text);
            return;
        }
        int indent = DisplayWidth.of(prefix);
        List<String> pieces = TextWrap.lines(text, Math.max(20, width - indent), "");
        for (int i = 0; i < pieces.size(); i++) {
            println((i == 0 ? prefix : " ".repeat(indent)) + pieces.get(i));
        }
    }

    public void warn(String message) {
        clearStatus();
        err.println(style.yellow("! ") + io.packlab.error.Texts.shorten(message));
        err.flush();
    }

    /** An error paragraph on stderr, without any stack trace. */
    public void error(String message) {
        clearStatus();
        err.println(style.red("error: ") + io.packlab.error.Texts.shorten(message));
        err.flush();
    }

    public void heading(String text) {
        println(style.bold(text));
    }
}
