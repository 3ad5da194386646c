package io.packlab.classroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Shows a learner's status on the instructor's classroom page (protocol 1): on its own daemon thread it
 * posts {@code change} whenever the status document differs from the one last accepted, a
 * {@code heartbeat} (with the document) after {@link #HEARTBEAT} without a push, and {@code left} when
 * closed. The learner's thread only flips a flag ({@link #changed()}): changes made while a push is on
 * its way are coalesced, only the newest document goes next. Every push is bounded (2 s to connect, 2 s
 * for the answer); a failure (no server, a refusal, a timeout) is silent and the next change or
 * heartbeat tries again, so a learner reappears when the server is back.
 */
public final class ClassroomPusher implements AutoCloseable {

    public static final Duration HEARTBEAT = Duration.ofSeconds(15);
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long after the start a classroom that the work folder does not remember answering is first tried:
     * a command shorter than that (list, a quick check) does not share its two cores with making an HTTP
     * client it would not have time to use.
     */
    public static final Duration FIRST_TRY_DELAY = Duration.ofSeconds(1);
    /** What quitting may wait for the last change and {@code left}, together. */
    public static final Duration LEFT_TIMEOUT = Duration.ofSeconds(1);

    static final int PROTOCOL = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI join;
    private final Supplier<String> learnerId;
    private volatile String learner;
    private final String name;
    private final Supplier<JsonNode> status;
    private final Duration heartbeat;
    private final Duration timeout;
    private final Duration leftTimeout;
    private final AtomicLong seq = new AtomicLong();

    private final Object lock = new Object();
    private boolean dirty = true; // the first push makes the learner appear
    private boolean stopped;
    /** The status document the server last accepted (null before the first). */
    private volatile JsonNode accepted;
    /** Whether the last push was accepted: a server not answering is not waited for at quit. */
    private volatile boolean reachable;
    /** When {@link #start()} was called (System.nanoTime). */
    private volatile long started;
    /** Counted down when the first push is answered, refused or given up. */
    private final java.util.concurrent.CountDownLatch firstDone = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean firstBegun;
    /** Where the work folder remembers whether this classroom answered (none: never waited for at quit). */
    private volatile ReachMemory memory;
    /** Whether this process already told {@link #memory} that the classroom answered, or that it did not. */
    private volatile Boolean told;
    private long lastAttempt = System.nanoTime();
    private Thread worker;
    private ExecutorService pool;
    private HttpClient client;

    /**
     * @param learnerId the learner's id (see {@link LearnerId}), asked for on the pusher's thread before the
     *                  first push
     * @param status    the status document as it may be shown in the room (see {@link RoomDocument}), or null
     *                  while there is none yet (then {@link #changed()} says when there is); called on the
     *                  pusher's thread
     */
    public ClassroomPusher(Classroom classroom, Supplier<String> learnerId, Supplier<JsonNode> status) {
        this(classroom, learnerId, status, HEARTBEAT, TIMEOUT, LEFT_TIMEOUT);
    }

    ClassroomPusher(Classroom classroom, Supplier<String> learnerId, Supplier<JsonNode> status, Duration heartbeat,
            Duration timeout, Duration leftTimeout) {
        this.join = classroom.join();
        this.learnerId = learnerId;
        this.name = cut(classroom.name());
        this.status = status;
        this.heartbeat = heartbeat;
        this.timeout = timeout;
        this.leftTimeout = leftTimeout;
    }

    /** Remembers in {@code memory} whether the classroom answers (see {@link #close()}). */
    public ClassroomPusher remembering(ReachMemory memory) {
        this.memory = memory;
        return this;
    }

    /**
     * Starts the pusher's thread, which makes its HTTP client at once (so that the first push is not late);
     * the first push (a change) goes as soon as there is a status document.
     */
    public synchronized ClassroomPusher start() {
        if (worker == null) {
            started = System.nanoTime();
            worker = new Thread(this::loop, "packlab-classroom");
            worker.setDaemon(true);
            worker.start();
        }
        return this;
    }

    /** Says that the status may have changed; returns at once. */
    public void changed() {
        synchronized (lock) {
            dirty = true;
            lock.notifyAll();
        }
    }

    /**
     * Stops pushing. When the server answered the last push, the last change (if any) and {@code left}
     * are sent, waiting at most {@link #LEFT_TIMEOUT} for both; when it refused it or did not answer,
     * nothing is waited for. A first push not yet answered (or not yet sent: the HTTP client takes a moment
     * to make) is waited for only when the work folder remembers this classroom answering (see
     * {@link ReachMemory}), and only until {@link #LEFT_TIMEOUT} after {@link #start()}, so that a short
     * {@code run} still shows its result; a classroom never reached, or one that did not answer last time,
     * costs a command nothing, and a command that took longer than that is not made longer.
     */
    @Override
    public void close() {
        ReachMemory m = memory;
        if (started != 0 && firstDone.getCount() > 0 && m != null && m.remembered()
                && (firstBegun || document() != null)) {
            long grace = started + leftTimeout.toNanos() - System.nanoTime();
            try {
                if (grace > 0) {
                    firstDone.await(grace, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Thread w;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            stopped = true;
            lock.notifyAll();
        }
        synchronized (this) {
            w = worker;
        }
        long deadline = System.nanoTime() + leftTimeout.toNanos();
        if (w != null) {
            if (reachable) {
                try { // a push on its way to a server that answers: let it arrive rather than send it twice
                    w.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            w.interrupt();
        }
        if (reachable) {
            JsonNode doc = document();
            if (doc != null && !doc.equals(accepted)) {
                push("change", doc, deadline);
            }
            if (reachable) {
                push("left", null, deadline);
            }
        }
        synchronized (this) {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private void loop() {
        ReachMemory m = memory;
        if (m != null && !m.remembered()) {
            synchronized (lock) {
                try {
                    long until = started + FIRST_TRY_DELAY.toNanos();
                    for (long wait = until - System.nanoTime(); !stopped && wait > 0; wait = until - System.nanoTime()) {
                        TimeUnit.NANOSECONDS.timedWait(lock, wait);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (stopped) {
                    return;
                }
            }
        }
        try {
            client();
        } catch (RuntimeException e) {
            return; // no HTTP client here: nothing can be shown
        }
        while (true) {
            boolean change;
            synchronized (lock) {
                try {
                    while (!stopped && !dirty) {
                        long wait = lastAttempt + heartbeat.toNanos() - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        TimeUnit.NANOSECONDS.timedWait(lock, wait);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (stopped) {
                    return;
                }
                change = dirty;
                dirty = false;
            }
            JsonNode doc = document();
            boolean heartbeatDue = System.nanoTime() - lastAttempt >= heartbeat.toNanos();
            if (doc == null || (!heartbeatDue && (!change || doc.equals(accepted)))) {
                continue;
            }
            lastAttempt = System.nanoTime();
            firstBegun = true;
            push(doc.equals(accepted) ? "heartbeat" : "change", doc, lastAttempt + timeout.toNanos());
            firstDone.countDown();
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /** The status document now, or null when it cannot be made (then the next change tries again). */
    private JsonNode document() {
        try {
            return status.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** One push, given up at {@code deadline} (System.nanoTime); true when the server accepted it. */
    private boolean push(String event, JsonNode doc, long deadline) {
        if (learner == null) {
            learner = learnerId.get();
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("protocol", PROTOCOL);
        body.put("learner", learner);
        body.put("name", name);
        body.put("seq", seq.incrementAndGet());
        body.put("event", event);
        if (doc != null) {
            body.set("status", doc);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        CompletableFuture<HttpResponse<Void>> answer = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(join)
                    .timeout(Duration.ofNanos(left))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            answer = client().sendAsync(request, HttpResponse.BodyHandlers.discarding());
            int code = answer.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).statusCode();
            boolean ok = code >= 200 && code < 300;
            reachable = ok;
            if (ok || code != 429) {
                tell(ok);
            }
            if (ok && doc != null) {
                accepted = doc;
            }
            return ok;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            return false;
        } catch (ExecutionException | TimeoutException | java.io.IOException | RuntimeException e) {
            if (answer != null) {
                answer.cancel(true);
            }
            reachable = false;
            tell(false);
            return false;
        }
    }

    /** Tells the work folder's memory, once per process and outcome, whether the classroom answered. */
    private void tell(boolean answered) {
        ReachMemory m = memory;
        if (m != null && !Boolean.valueOf(answered).equals(told)) {
            told = answered;
            if (answered) {
                m.reached();
            } else {
                m.missed();
            }
        }
    }

    /** The HTTP client, made on first use (on the pusher's thread, so that the learner's never pays for it). */
    private synchronized HttpClient client() {
        if (client == null) {
            pool = Executors.newCachedThreadPool(task -> {
                Thread t = new Thread(task, "packlab-classroom-http");
                t.setDaemon(true);
                return t;
            });
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout)
                    .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).executor(pool);
            if (join.getScheme().equals("http")) {
                // plain http (the room's network): no need to read the trusted certificates (a tenth of a second)
                try {
                    builder.sslContext(javax.net.ssl.SSLContext.getInstance("TLS"))
                            .sslParameters(new javax.net.ssl.SSLParameters());
                } catch (java.security.NoSuchAlgorithmException e) {
                    // the default then
                }
            }
            client = builder.build();
        }
        return client;
    }

    /** A name cut to the protocol's limit, by code points. */
    static String cut(String name) {
        return name.codePointCount(0, name.length()) <= Classroom.MAX_NAME ? name
                : name.substring(0, name.offsetByCodePoints(0, Classroom.MAX_NAME));
    }

    /** The learner's id, once the first push asked for it (null before). */
    public String learner() {
        return learner;
    }
}
