package io.packlab.workshop;

import io.packlab.engine.Cancellation;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.Step;
import io.packlab.term.Console;
import io.packlab.term.DisplayWidth;
import io.packlab.term.Style;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The instructor demo: each lesson's commands typed at a readable pace, run as {@code run} runs them,
 * its checks shown, and a key press awaited between steps; no line is wider than the terminal.
 */
public final class Demo {

    /** Milliseconds per typed character unless {@code --pace} says otherwise. */
    public static final long DEFAULT_PACE_MILLIS = 35;

    /** The end of a typed command row that continues on the next row, as a shell would read it. */
    static final String CONTINUES = "\\";

    /** The start of a typed command row after a break at a blank. */
    static final String INDENT = "    ";

    /** The start of a row of output that did not fit the width. */
    static final String OUTPUT_CONTINUES = "↪ ";

    /** How a typed character waits; tests pass one that records instead of sleeping. */
    interface Pause {
        void sleep(long millis) throws InterruptedException;
    }

    /** One row of a typed command: a prompt or indent shown at once, then the text typed. */
    record Row(String prefix, String typed) {
        String plain() {
            return prefix + typed;
        }
    }

    /** Thrown by the line hook when the instructor stops the demo; never recorded as a failure. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped by the instructor", null, false, false);
        }
    }

    private final Workshop workshop;
    private final Console console;
    private final long pace;
    private final Optional<BufferedReader> keys;
    private final Pause pause;
    private final OutputFilter filter;
    private final Console stepConsole;

    /**
     * A demo on the workshop's console; {@code keys} is where key presses are read between steps
     * (empty: never wait, as with {@code --no-wait} or when input is not a terminal).
     */
    public Demo(Workshop workshop, Console console, long paceMillis, Optional<BufferedReader> keys) {
        this(workshop, console, paceMillis, keys, Thread::sleep);
    }

    Demo(Workshop workshop, Console console, long paceMillis, Optional<BufferedReader> keys, Pause pause) {
        if (paceMillis < 0) {
            throw new IllegalArgumentException("pace must not be negative: " + paceMillis);
        }
        this.workshop = workshop;
        this.console = console;
        this.pace = paceMillis;
        this.keys = keys;
        this.pause = pause;
        this.filter = new OutputFilter(console.out(), console.style(), console.width());
        this.stepConsole = new Console(new PrintWriter(filter), console.err(), console.style().enabled(),
                console.width());
    }

    /**
     * Demonstrates the lessons in order, stopping at the first whose step or checks fail (a failed
     * step throws, as in {@code run}). Returns false when a lesson's checks failed; true when all
     * passed, or when the instructor stopped the demo.
     */
    public boolean run(List<Lesson> lessons, Cancellation cancellation) {
        for (int i = 0; i < lessons.size(); i++) {
            try {
                if (i > 0) {
                    await("press Enter for the next lesson, q to stop");
                    say(console.style().dim("─".repeat(Math.max(1, Math.min(console.width(), 60)))));
                }
                if (!runLesson(lessons.get(i), cancellation)) {
                    return false;
                }
            } catch (Stopped s) {
                say(console.style().yellow("demo stopped by the instructor"));
                return true;
            }
        }
        if (lessons.size() > 1) {
            say(console.style().bold("demo: the checks of all " + lessons.size() + " lessons passed"));
        }
        return true;
    }

    private boolean runLesson(Lesson lesson, Cancellation cancellation) {
        Step[] current = {null};
        try {
            return workshop.run(lesson, cancellation, stepConsole, (line, ctx) -> {
                Step step = stepOf(lesson, line);
                if (current[0] != null && step != current[0]) {
                    await("press Enter for the next step, q to stop");
                }
                current[0] = step;
                type(ctx.displayCwd(), line.command(), cancellation);
                filter.expectEcho(line.command());
            });
        } finally {
            stepConsole.out().flush();
        }
    }

    private static Step stepOf(Lesson lesson, Step.StepLine line) {
        for (Step step : lesson.steps()) {
            for (Step.StepLine l : step.lines()) {
                if (l == line) {
                    return step;
                }
            }
        }
        return null;
    }

    /** Waits for Enter (or q and Enter, which stops the demo) when there is someone to press it. */
    private void await(String prompt) {
        if (keys.isEmpty()) {
            return;
        }
        List<String> rows = wrapOutput(prompt, console.width(), new Style(false));
        PrintWriter out = console.out();
        for (int i = 0; i < rows.size(); i++) {
            String row = console.style().dim(rows.get(i));
            if (i < rows.size() - 1) {
                out.println(row);
            } else {
                out.print(row + " ");
            }
        }
        out.flush();
        String answer;
        try {
            answer = keys.get().readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("q")) {
            throw new Stopped();
        }
    }

    /** Prints a line of the demo's own, wrapped to the width. */
    private void say(String line) {
        wrapOutput(line, console.width(), console.style()).forEach(console::println);
    }

    /**
     * Types a command as the learner would see it run ({@code cwd $ command}), one character at a
     * time, wrapped to the terminal width with a continuation marker.
     */
    void type(String cwd, String command, Cancellation cancellation) {
        Style style = console.style();
        String sample = style.bold(style.cyan("X"));
        int x = sample.indexOf('X');
        String open = sample.substring(0, x);
        String close = sample.substring(x + 1);
        String prompt = cwd + " $ ";
        if (DisplayWidth.of(prompt) > console.width() / 2) {
            prompt = "$ ";
        }
        String[] parts = command.split("\n", -1);
        List<Row> rows = new ArrayList<>(commandRows(prompt, parts[0], console.width()));
        for (int p = 1; p < parts.length; p++) {
            rows.add(new Row("", parts[p])); // a here-document's body, as typed: never wrapped with a marker
        }
        PrintWriter out = console.out();
        boolean instant = pace == 0;
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            if (r == 0) {
                String dollar = prompt.endsWith("$ ") ? "$ " : "";
                String place = prompt.substring(0, prompt.length() - dollar.length());
                out.print((place.isEmpty() ? "" : style.dim(place)) + open + dollar);
            } else {
                out.print(row.prefix() + open);
            }
            String typed = row.typed();
            for (int i = 0; i < typed.length(); ) {
                int cp = typed.codePointAt(i);
                out.print(Character.toString(cp));
                i += Character.charCount(cp);
                if (!instant) {
                    out.flush();
                    try {
                        pause.sleep(pace);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        instant = true;
                    }
                    if (cancellation.isCancelled()) {
                        instant = true;
                    }
                }
            }
            out.println(close);
        }
        out.flush();
    }

    /**
     * Splits {@code prompt + command} into rows no wider than {@code width}: breaks at a blank
     * outside quotes when there is one (the next row indented), else within a word (the next row
     * not indented, so that the rows still read as one shell line); every row but the last ends
     * with {@value #CONTINUES}.
     */
    static List<Row> commandRows(String prompt, String command, int width) {
        boolean[] quoted = quotedChars(command);
        List<Row> rows = new ArrayList<>();
        String prefix = prompt;
        int start = 0;
        while (true) {
            int avail = Math.max(1, width - DisplayWidth.of(prefix));
            String rest = command.substring(start);
            if (DisplayWidth.of(rest) <= avail) {
                rows.add(new Row(prefix, rest));
                return rows;
            }
            // room for the text and the continuation marker (a blank and a backslash at most)
            int end = fit(command, start, Math.max(1, avail - 1 - CONTINUES.length()));
            int blank = lastBlank(command, start, end, quoted, true);
            if (blank < 0) {
                blank = lastBlank(command, start, end, quoted, false);
            }
            if (blank > start) {
                rows.add(new Row(prefix, command.substring(start, blank).stripTrailing() + " " + CONTINUES));
                start = blank;
                while (start < command.length() && command.charAt(start) == ' ') {
                    start++;
                }
                prefix = INDENT.length() < width / 2 ? INDENT : "";
            } else {
                int hard = fit(command, start, Math.max(1, avail - CONTINUES.length()));
                rows.add(new Row(prefix, command.substring(start, hard) + CONTINUES));
                start = hard;
                prefix = "";
            }
        }
    }

    /** The index after the longest run of code points from {@code start} that fits {@code columns} (at least one). */
    private static int fit(String s, int start, int columns) {
        int used = 0;
        int i = start;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int w = DisplayWidth.of(cp);
            if (used + w > columns && i > start) {
                break;
            }
            used += w;
            i += Character.charCount(cp);
        }
        return i;
    }

    /** The last blank at an index in (start, end], outside quotes if asked; -1 if none. */
    private static int lastBlank(String s, int start, int end, boolean[] quoted, boolean outsideQuotes) {
        for (int i = Math.min(end, s.length() - 1); i > start; i--) {
            if (s.charAt(i) == ' ' && (!outsideQuotes || !quoted[i]) && !s.substring(start, i).isBlank()) {
                return i;
            }
        }
        return -1;
    }

    /** Which characters of a shell line are inside single or double quotes. */
    private static boolean[] quotedChars(String s) {
        boolean[] quoted = new boolean[s.length()];
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == 0 && c == '\\' && i + 1 < s.length()) {
                i++;
                continue;
            }
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
                quoted[i] = true;
            } else if (quote != 0) {
                quoted[i] = true;
                if (c == quote) {
                    quote = 0;
                }
            }
        }
        return quoted;
    }

    /**
     * Splits a line of output (ANSI styles allowed) into rows no wider than {@code width}; rows
     * after the first start with {@value #OUTPUT_CONTINUES}, and a style open at a break goes on in
     * the next row. Tabs become blanks up to the next multiple of 8 columns.
     */
    static List<String> wrapOutput(String line, int width, Style style) {
        String mark = style.dim(OUTPUT_CONTINUES);
        int markWidth = DisplayWidth.of(OUTPUT_CONTINUES);
        List<String> rows = new ArrayList<>();
        StringBuilder row = new StringBuilder();
        String active = "";
        int used = 0;
        int rowStart = 0;
        for (int i = 0; i < line.length(); ) {
            if (line.charAt(i) == '\u001b') {
                int j = i + 1;
                if (j < line.length() && line.charAt(j) == '[') {
                    j++;
                    while (j < line.length() && (Character.isDigit(line.charAt(j)) || line.charAt(j) == ';')) {
                        j++;
                    }
                    if (j < line.length() && line.charAt(j) == 'm') {
                        String seq = line.substring(i, j + 1);
                        row.append(seq);
                        active = seq.equals("\u001b[0m") || seq.equals("\u001b[m") ? "" : active + seq;
                        i = j + 1;
                        continue;
                    }
                }
            }
            int cp = line.codePointAt(i);
            int n = Character.charCount(cp);
            String text = Character.toString(cp);
            int w = DisplayWidth.of(cp);
            if (cp == '\t') {
                w = 8 - (used % 8);
                text = " ".repeat(w);
            }
            if (used + w > width && used > rowStart) {
                if (!active.isEmpty()) {
                    row.append("\u001b[0m");
                }
                rows.add(row.toString());
                row = new StringBuilder(mark).append(active);
                used = markWidth;
                rowStart = markWidth;
                if (cp == '\t') {
                    w = 8 - (used % 8);
                    text = " ".repeat(w);
                }
            }
            row.append(text);
            used += w;
            i += n;
        }
        rows.add(row.toString());
        return rows;
    }

    /**
     * Between the step runner and the terminal: drops the runner's echo of a command the demo has
     * just typed, and wraps every other line to the width.
     */
    static final class OutputFilter extends Writer {
        private final PrintWriter out;
        private final Style style;
        private final int width;
        private final StringBuilder line = new StringBuilder();
        private String echo;
        private final java.util.ArrayDeque<String> body = new java.util.ArrayDeque<>();

        OutputFilter(PrintWriter out, Style style, int width) {
            this.out = out;
            this.style = style;
            this.width = width;
        }

        /** The next line, if it is the echo of this command ({@code cwd $ command}), is not shown again. */
        synchronized void expectEcho(String command) {
            String[] parts = command.split("\n", -1);
            echo = parts[0];
            body.clear();
            body.addAll(List.of(parts).subList(1, parts.length));
        }

        @Override
        public synchronized void write(char[] cbuf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = cbuf[i];
                if (c == '\n') {
                    emit(line.toString());
                    line.setLength(0);
                } else {
                    line.append(c);
                }
            }
        }

        private void emit(String text) {
            if (echo == null && !body.isEmpty()) {
                if (Style.strip(text).equals(body.peekFirst())) {
                    body.removeFirst(); // the echoed body of a here-document the demo typed
                    return;
                }
                body.clear();
            }
            if (echo != null) {
                String expected = echo;
                echo = null;
                if (Style.strip(text).endsWith("$ " + expected)) {
                    return;
                }
            }
            if (text.indexOf('\r') >= 0) {
                out.println(text); // a line redrawn in place: the terminal shows its last part only
                return;
            }
            wrapOutput(text, width, style).forEach(out::println);
        }

        @Override
        public synchronized void flush() {
            if (line.length() > 0) {
                out.print(line); // a partial line (a prompt, a status): shown as it is
                line.setLength(0);
            }
            out.flush();
        }

        @Override
        public synchronized void close() {
            flush();
        }
    }
}
