package io.packlab.term;

import java.time.Duration;
import java.util.Locale;

/**
 * A live status line for long work (a build, an export, a load): the label, what is happening now
 * and the elapsed time, redrawn in place every half second while output scrolls above it. On a
 * console that is not a terminal it draws nothing; {@link #summary()} gives the closing figure.
 */
public final class StatusLine implements AutoCloseable {

    private final Console console;
    private final String label;
    private final long start = System.nanoTime();
    private final Thread ticker;
    private volatile String detail = "";
    private volatile boolean open = true;

    private StatusLine(Console console, String label) {
        this.console = console;
        this.label = label;
        if (console.live()) {
            ticker = new Thread(this::tick, "packlab-status");
            ticker.setDaemon(true);
            ticker.start();
        } else {
            ticker = null;
        }
    }

    /** Starts a status line for {@code label} (e.g. "docker build distroless-python:build"). */
    public static StatusLine start(Console console, String label) {
        return new StatusLine(console, label);
    }

    /** What is happening now ("step 3/8", "EXPORTING · layer 2 of 4"). */
    public void update(String now) {
        detail = now;
        draw();
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The elapsed time as a learner reads it: "4.2 s", "1 min 12 s". */
    public String summary() {
        return format(elapsed());
    }

    static String format(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        return seconds / 60 + " min " + seconds % 60 + " s";
    }

    private void tick() {
        while (open) {
            draw();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void draw() {
        if (open && console.live()) {
            String text = "⏳ " + label + (detail.isEmpty() ? "" : " · " + detail) + " · " + summary();
            console.status(text);
        }
    }

    @Override
    public void close() {
        open = false;
        if (ticker != null) {
            ticker.interrupt();
        }
        console.clearStatus();
    }
}
