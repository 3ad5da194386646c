package io.packlab.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A tmux session holding one packlab shell, for tests that type into it as a learner does: lines typed
 * literally, the screen read back with wrapped lines joined.
 */
final class Tmux implements AutoCloseable {

    /** A prompt with nothing typed after it: {@code packlab [2/7 buildpack]> }, {@code packlab [1/7] sample-app> }. */
    static final Pattern BARE_PROMPT = Pattern.compile("packlab \\[[^\\]]+\\]( \\S+)?>");

    private final String session;

    private Tmux(String session) {
        this.session = session;
    }

    /** Starts {@code command} (a sh command line) in a new detached session of the given size. */
    static Tmux start(String name, int columns, int rows, String command) throws IOException, InterruptedException {
        Tmux t = new Tmux(name + "-" + ProcessHandle.current().pid());
        run("new-session", "-d", "-s", t.session, "-x", String.valueOf(columns), "-y", String.valueOf(rows), command);
        run("set-option", "-t", t.session, "history-limit", "20000");
        return t;
    }

    /** Sends tmux key names (Enter, Escape, C-c, Tab) or words. */
    void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        run(args.toArray(String[]::new));
    }

    /** Types {@code text} literally, as keys, without Enter. */
    void literal(String text) throws IOException, InterruptedException {
        run("send-keys", "-t", session, "-l", text);
    }

    /**
     * Types a line and Enter, then waits until the shell shows a bare prompt again; returns what was
     * printed after the prompt line the line was typed on.
     */
    String typeLine(String line, Duration timeout) throws Exception {
        String before = screen();
        literal(line);
        keys("Enter");
        String after = await("`" + line + "` to finish at a new prompt",
                s -> !s.equals(before) && BARE_PROMPT.matcher(lastLine(s)).matches(), timeout);
        List<String> lines = after.strip().lines().toList();
        String start = line.substring(0, Math.min(line.length(), 20));
        for (int i = lines.size() - 2; i >= 0; i--) {
            if (lines.get(i).startsWith("packlab [") && lines.get(i).contains("> " + start)) {
                return String.join("\n", lines.subList(i + 1, lines.size() - 1));
            }
        }
        throw new AssertionError("the typed line `" + line + "` is not on the screen:\n" + after);
    }

    /** Pastes the text of {@code file} as a terminal paste (bracketed where the application asked for it). */
    void paste(java.nio.file.Path file) throws IOException, InterruptedException {
        run("load-buffer", "-b", session, file.toString());
        run("paste-buffer", "-p", "-d", "-b", session, "-t", session);
    }

    /** The visible pane as the terminal shows it, wrapped rows not joined (to see widths). */
    String pane() throws IOException, InterruptedException {
        return run("capture-pane", "-p", "-t", session);
    }

    String screen() throws IOException, InterruptedException {
        return run("capture-pane", "-p", "-J", "-S", "-", "-t", session);
    }

    String await(String what, Predicate<String> condition, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        String s = "";
        while (System.nanoTime() < end) {
            s = screen();
            if (condition.test(s)) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; the screen:\n" + s);
    }

    static String lastLine(String screen) {
        List<String> lines = screen.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("kill-session", "-t", session);
    }

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("tmux");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
