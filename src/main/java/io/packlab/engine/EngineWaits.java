package io.packlab.engine;

import io.packlab.error.PacklabException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Bounded waits on the Engine API, so that an engine that accepts connections and never answers
 * cannot hang packlab. A call that asks and gets one answer (inspect, list, create, remove...) runs on
 * a worker thread and is given up after its {@link Limits limit}, whatever the transport does (the
 * Unix socket of docker-java ignores socket timeouts). A streaming call (build, load, save, push, exec
 * output, copy, logs) is given up only when nothing has arrived for a long time: the clock restarts
 * whenever bytes (or a message) arrive, and while it runs silent the engine is pinged every
 * {@link Limits#probe()}; a healthy engine that is running a silent step ({@code RUN sleep 300}) is
 * waited for up to {@link Limits#stream()}, a hung one is given up at the first ping it does not
 * answer. Being given up is a {@link NoAnswerException}, which {@link DockerEngine} turns into exit 3.
 */
final class EngineWaits {

    /**
     * How long packlab waits. {@code read}: calls that only read (version, info, inspect, list, ping);
     * {@code change}: calls that change one thing (create, start, remove, tag); {@code stream}: the
     * longest silence of a streaming call while the engine still answers pings; {@code probe}: the
     * silence after which the engine is pinged; {@code connect}: making the connection.
     */
    record Limits(Duration connect, Duration read, Duration change, Duration stream, Duration probe) {

        static final Limits DEFAULT = new Limits(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofMinutes(30), Duration.ofSeconds(30));

        /** The environment variable that changes them: {@code read=2,stream=600} (seconds; decimals allowed). */
        static final String VARIABLE = "PACKLAB_ENGINE_TIMEOUTS";

        static Limits from(Map<String, String> env) {
            String value = env.get(VARIABLE);
            if (value == null || value.isBlank()) {
                return DEFAULT;
            }
            Limits l = DEFAULT;
            for (String part : value.split(",")) {
                String[] kv = part.strip().split("=", 2);
                Duration d = kv.length == 2 ? seconds(kv[1].strip()) : null;
                String key = kv[0].strip().toLowerCase(Locale.ROOT);
                if (d == null || !key.matches("connect|read|change|stream|probe")) {
                    throw PacklabException.usage(VARIABLE + "=" + DockerHost.shown(value) + " is not a list of waits:"
                            + " write KIND=SECONDS pairs separated by commas, KIND one of connect, read, change,"
                            + " stream, probe (for example " + VARIABLE + "=stream=3600), or unset it for the"
                            + " defaults (connect 5, read 10, change 60, stream 1800, probe 30).");
                }
                l = switch (key) {
                    case "connect" -> new Limits(d, l.read, l.change, l.stream, l.probe);
                    case "read" -> new Limits(l.connect, d, l.change, l.stream, l.probe);
                    case "change" -> new Limits(l.connect, l.read, d, l.stream, l.probe);
                    case "stream" -> new Limits(l.connect, l.read, l.change, d, l.probe);
                    default -> new Limits(l.connect, l.read, l.change, l.stream, d);
                };
            }
            return l;
        }

        private static Duration seconds(String s) {
            if (!s.matches("\\d{1,6}(\\.\\d{1,3})?")) {
                return null;
            }
            long millis = Math.round(Double.parseDouble(s) * 1000);
            return millis > 0 ? Duration.ofMillis(millis) : null;
        }
    }

    /** The engine did not answer in time: a transport failure that says how long packlab waited. */
    static final class NoAnswerException extends IOException {
        private static final long serialVersionUID = 1L;

        /** The longest wait without a byte, while the engine kept answering pings; else null. */
        private final transient Duration quiet;

        NoAnswerException(String message) {
            this(message, null);
        }

        NoAnswerException(String message, Duration quiet) {
            super(message);
            this.quiet = quiet;
        }

        /** Set when a stream was silent for the longest wait though the engine itself answered. */
        Duration quiet() {
            return quiet;
        }
    }

    /** When something last arrived from the engine; streams {@link #touch()} it as bytes arrive. */
    static final class Progress {
        private volatile long last = System.nanoTime();

        void touch() {
            last = System.nanoTime();
        }

        long idleNanos() {
            return System.nanoTime() - last;
        }
    }

    /** Something that ends: {@code true} once it has, waiting at most {@code millis}. */
    interface Ending {
        boolean awaitEnd(long millis) throws InterruptedException;
    }

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(r, "packlab-engine-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    };
    /** Worker threads of calls (daemons: one still blocked on a silent engine never keeps the JVM up). */
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(DAEMONS);
    private static volatile ScheduledExecutorService watch;

    private final Limits limits;
    private final BooleanSupplier alive;

    /** {@code alive}: pings the engine, within the read limit, without a wait of this object. */
    EngineWaits(Limits limits, BooleanSupplier alive) {
        this.limits = limits;
        this.alive = alive;
    }

    Limits limits() {
        return limits;
    }

    static String say(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() / 1000.0 + " s";
        }
        long s = d.toSeconds();
        return s >= 120 && s % 60 == 0 ? s / 60 + " minutes" : s + " s";
    }

    /** Runs a call that gets one answer, giving it up after {@code limit}. */
    <T> T within(Duration limit, Supplier<T> call) {
        Future<T> f = WORKERS.submit(call::get);
        try {
            return f.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true); // on a Unix socket the interrupt closes the channel the worker is blocked on
            throw new UncheckedIOException(new NoAnswerException("nothing came back within " + say(limit)));
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted while waiting for the engine"));
        }
    }

    /**
     * Runs a streaming call that returns when it is done (a load or copy: the body goes out as it is
     * read, then the answer comes), giving it up when {@code progress} stands still too long.
     */
    <T> T streaming(Progress progress, Runnable abort, Supplier<T> call) {
        Future<T> f = WORKERS.submit(call::get);
        try {
            await(progress, endOf(f), () -> {
                f.cancel(true);
                abort.run();
            });
            return f.get();
        } catch (NoAnswerException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            abort.run();
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted while waiting for the engine"));
        }
    }

    /**
     * Waits for a streaming call to end; when nothing has arrived for {@link Limits#probe()} the engine
     * is pinged, and the call is aborted and given up when the ping fails or the silence reaches
     * {@link Limits#stream()}.
     */
    void await(Progress progress, Ending ending, Runnable abort) throws NoAnswerException, InterruptedException {
        Prober prober = new Prober();
        while (!ending.awaitEnd(200)) {
            String reason = prober.reason(progress);
            if (reason != null) {
                abort.run();
                throw new NoAnswerException(reason, progress.idleNanos() >= limits.stream.toNanos() ? limits.stream : null);
            }
        }
    }

    /**
     * Like {@link #await}, for a call whose only wait is one that does not end by itself ({@code end},
     * such as docker-java's {@code awaitCompletion()}, whose timed form closes the stream): it waits on
     * a worker thread, which is interrupted when the call is given up.
     */
    void awaitEnd(Progress progress, java.util.concurrent.Callable<?> end, Runnable abort)
            throws NoAnswerException, InterruptedException {
        Future<?> f = WORKERS.submit(end);
        try {
            await(progress, endOf(f), () -> {
                f.cancel(true);
                abort.run();
            });
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    /** A future's end as an {@link Ending}: done, or failed (the failure is the caller's to report). */
    private static Ending endOf(Future<?> f) {
        return millis -> {
            try {
                f.get(millis, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                return true;
            }
        };
    }

    /**
     * Why a stream that has been silent is given up, or null while it may go on: its silence reached
     * {@link Limits#stream()}, or after {@link Limits#probe()} of silence (at most once per probe) the
     * engine did not answer a ping.
     */
    private final class Prober {
        private long lastProbe = System.nanoTime();

        synchronized void restart() {
            lastProbe = System.nanoTime();
        }

        synchronized String reason(Progress progress) {
            String reason = giveUp(progress);
            if (reason == null && progress.idleNanos() >= limits.probe.toNanos()
                    && System.nanoTime() - lastProbe >= limits.probe.toNanos()) {
                lastProbe = System.nanoTime();
                if (!alive.getAsBoolean()) {
                    // the limit crossed, as giveUp names its own: the measured silence depends on when the
                    // 200 ms poll happened to land
                    reason = "it sent nothing for " + say(limits.probe) + " and did not answer a ping within "
                            + say(limits.read);
                }
            }
            return reason;
        }
    }

    private String giveUp(Progress progress) {
        return progress.idleNanos() >= limits.stream.toNanos()
                ? "it sent nothing for " + say(limits.stream) + ", the longest packlab waits (" + Limits.VARIABLE
                        + "=stream=SECONDS waits longer)"
                : null;
    }

    /**
     * A stream from the engine (a save, a copy out of a container) that the caller reads at its own
     * pace: a read that waits too long (as {@link #await}) closes the stream and fails with
     * {@code failure} applied to a {@link NoAnswerException}.
     */
    InputStream watched(InputStream in, Runnable abort, Function<NoAnswerException, RuntimeException> failure) {
        return new WatchedStream(in, abort, failure);
    }

    /**
     * {@code abort} ends the stream from another thread and is also how it is closed: closing an HTTP
     * body stream reads what is left of it first, which on a silent engine never ends.
     */
    private final class WatchedStream extends FilterInputStream {
        private final Progress progress = new Progress();
        private final Runnable abort;
        private final Function<NoAnswerException, RuntimeException> failure;
        private final ScheduledFuture<?> task;
        private volatile boolean reading;
        private final Prober prober = new Prober();
        private volatile String givenUp;

        WatchedStream(InputStream in, Runnable abort, Function<NoAnswerException, RuntimeException> failure) {
            super(in);
            this.abort = abort;
            this.failure = failure;
            this.task = scheduler().scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
        }

        private void check() {
            if (!reading || givenUp != null) {
                return;
            }
            String reason = prober.reason(progress);
            if (reason != null && reading) {
                givenUp = reason;
                abort.run(); // the blocked read fails
            }
        }

        /** What a read returned, unless the stream was given up meanwhile (an aborted stream may look ended). */
        private <N extends Number> N watch(N n) {
            if (givenUp != null) {
                throw failed();
            }
            progress.touch();
            return n;
        }

        private RuntimeException failed() {
            task.cancel(false);
            return failure.apply(new NoAnswerException(givenUp, givenUp.contains("the longest packlab waits")
                    ? limits.stream : null));
        }

        private void start() {
            if (givenUp != null) {
                throw failed();
            }
            progress.touch();
            prober.restart();
            reading = true;
        }

        @Override
        public int read() throws IOException {
            return watched(() -> in.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return watched(() -> in.read(b, off, len));
        }

        @Override
        public long skip(long n) throws IOException {
            return watched(() -> in.skip(n));
        }

        /** One blocking call on the stream, watched: a call given up meanwhile fails as {@link #failed()}. */
        private <N extends Number> N watched(IoCall<N> call) throws IOException {
            start();
            try {
                return watch(call.run());
            } catch (IOException | RuntimeException e) {
                if (givenUp != null) {
                    throw failed();
                }
                throw e;
            } finally {
                reading = false;
            }
        }

        @Override
        public void close() {
            task.cancel(false);
            abort.run();
        }
    }

    /** A read of the engine's stream. */
    private interface IoCall<T> {
        T run() throws IOException;
    }

    private static ScheduledExecutorService scheduler() {
        ScheduledExecutorService s = watch;
        if (s == null) {
            synchronized (EngineWaits.class) {
                if (watch == null) {
                    watch = Executors.newSingleThreadScheduledExecutor(DAEMONS);
                }
                s = watch;
            }
        }
        return s;
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(cause);
    }
}
