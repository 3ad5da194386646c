package io.packlab.classroom.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The room: one row per learner from its last push, the marks of the protocol (stuck after 3 failures
 * on the current lesson or more than 10 minutes on it, away after 45 s without a push), the limits
 * (10 pushes in 10 s per learner, 500 learners) and the count of refused pushes. Thread-safe; every
 * change the page would show raises {@link #version()} and tells the listeners.
 */
public final class Room {

    static final int MAX_LEARNERS = 500;
    static final int PUSHES_PER_WINDOW = 10;
    static final Duration WINDOW = Duration.ofSeconds(10);
    static final Duration AWAY_AFTER = Duration.ofSeconds(45);
    static final Duration STUCK_AFTER = Duration.ofMinutes(10);
    static final int STUCK_FAILURES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What became of a push the server let through to the room. */
    enum Outcome { ACCEPTED, TOO_FAST, FULL }

    /** Why the server refused a push before the room saw it (or the room refused it), as counted on the page. */
    enum Refusal { WRONG_CODE, TOO_BIG, BAD_REQUEST, TOO_FAST, FULL }

    private final Clock clock;
    private final Map<String, Learner> learners = new LinkedHashMap<>();
    private final Map<Refusal, Long> refused = new EnumMap<>(Refusal.class);
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long version;
    private String marks = "";
    private long jsonVersion = -1;
    private String json;

    public Room(Clock clock) {
        this.clock = clock;
        for (Refusal r : Refusal.values()) {
            refused.put(r, 0L);
        }
    }

    private static final class Learner {
        final int key;
        String name;
        Push.Status status;
        Instant lastPush;
        boolean left;
        String lessonSeen;
        Instant lessonSeenAt;
        final ArrayDeque<Instant> window = new ArrayDeque<>();

        Learner(int key) {
            this.key = key;
        }
    }

    /** Called (outside the room's lock) after every change the page would show. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public synchronized long version() {
        return version;
    }

    /** Takes a push in, unless its learner pushes too fast or the room is full. */
    Outcome push(Push p) {
        Outcome outcome;
        synchronized (this) {
            outcome = take(p);
            if (outcome != Outcome.ACCEPTED) {
                refused.merge(outcome == Outcome.FULL ? Refusal.FULL : Refusal.TOO_FAST, 1L, Long::sum);
            }
            version++;
            marks = marks(clock.instant());
        }
        changed();
        return outcome;
    }

    private Outcome take(Push p) {
        Instant now = clock.instant();
        Learner l = learners.get(p.learner());
        if (l == null) {
            if (learners.size() >= MAX_LEARNERS) {
                return Outcome.FULL;
            }
            l = new Learner(learners.size() + 1);
            learners.put(p.learner(), l);
        }
        while (!l.window.isEmpty() && !l.window.peekFirst().isAfter(now.minus(WINDOW))) {
            l.window.removeFirst();
        }
        if (l.window.size() >= PUSHES_PER_WINDOW) {
            return Outcome.TOO_FAST;
        }
        l.window.addLast(now);
        l.name = p.name();
        l.lastPush = now;
        l.left = p.event() == Push.Event.LEFT;
        if (p.status() != null) {
            l.status = p.status();
            if (!p.status().current().equals(l.lessonSeen)) {
                l.lessonSeen = p.status().current();
                l.lessonSeenAt = now;
            }
        }
        return Outcome.ACCEPTED;
    }

    /** Counts a push refused before it reached the room (wrong code, too big, not the protocol). */
    void refused(Refusal why) {
        synchronized (this) {
            refused.merge(why, 1L, Long::sum);
            version++;
        }
        changed();
    }

    /** Re-evaluates the marks that time changes (away, stuck by time); true, and the listeners told, when one did. */
    boolean tick() {
        synchronized (this) {
            String now = marks(clock.instant());
            if (now.equals(marks)) {
                return false;
            }
            marks = now;
            version++;
        }
        changed();
        return true;
    }

    private void changed() {
        for (Runnable r : listeners) {
            r.run();
        }
    }

    public synchronized long refusedCount(Refusal why) {
        return refused.get(why);
    }

    public synchronized int size() {
        return learners.size();
    }

    /** One learner's row as the page shows it. */
    record Row(int key, String name, int lesson, int total, String lessonId, String title, int done, String state,
            int failures, String failingCheck, String hint, long secondsOnLesson, boolean stuck, List<String> stuckWhy,
            boolean away, boolean left, long secondsSincePush) {
    }

    /** The rows, stuck ones first (most failures, then longest on the lesson), away ones last. */
    synchronized List<Row> rows() {
        return rows(clock.instant());
    }

    private List<Row> rows(Instant now) {
        List<Row> rows = new ArrayList<>();
        for (Learner l : learners.values()) {
            if (l.status != null) {
                rows.add(row(l, now));
            }
        }
        rows.sort(Comparator.comparing((Row r) -> r.away() || r.left())
                .thenComparing(Row::stuck, Comparator.reverseOrder())
                .thenComparing(r -> r.state().equals("failing"), Comparator.reverseOrder())
                .thenComparing(Row::failures, Comparator.reverseOrder())
                .thenComparing(Row::secondsOnLesson, Comparator.reverseOrder())
                .thenComparing(Row::name).thenComparing(Row::key));
        return rows;
    }

    private static Row row(Learner l, Instant now) {
        Push.Status s = l.status;
        Push.Lesson c = s.currentLesson();
        Instant started = startedAt(s.lessonStartedAt(), l.lessonSeenAt, now);
        long seconds = Math.max(0, Duration.between(started, now).toSeconds());
        boolean passed = c != null && c.status().equals("done");
        boolean finished = s.total() > 0 && s.done() >= s.total() || passed;
        int failures = c == null ? 0 : c.failures();
        String state = s.total() > 0 && s.done() >= s.total() ? "finished" : passed ? "passed"
                : c != null && c.lastFailure() != null && failures > 0 ? "failing" : "working";
        List<String> why = new ArrayList<>();
        if (!finished && failures >= STUCK_FAILURES) {
            why.add("failures");
        }
        if (!finished && seconds > STUCK_AFTER.toSeconds()) {
            why.add("time");
        }
        String check = c == null || !state.equals("failing") ? null
                : c.failingCheck() != null ? c.failingCheck() : c.lastFailure();
        String hint = c == null || !state.equals("failing") ? null : c.hint();
        long since = Math.max(0, Duration.between(l.lastPush, now).toSeconds());
        boolean away = Duration.between(l.lastPush, now).compareTo(AWAY_AFTER) > 0;
        return new Row(l.key, l.name, c == null ? 0 : c.number(), s.total(), s.current(), c == null ? s.current() : c.title(),
                s.done(), state, failures, check, hint, seconds, !why.isEmpty(), List.copyOf(why), away, l.left, since);
    }

    /** The learner's own start of the lesson when it is given and not in the future, else when the room first saw it. */
    private static Instant startedAt(String given, Instant seen, Instant now) {
        if (given != null) {
            try {
                Instant t = Instant.parse(given);
                return t.isAfter(now) ? now : t;
            } catch (DateTimeParseException e) {
                // a learner's clock text the room cannot read: its own first sight counts
            }
        }
        return seen;
    }

    private String marks(Instant now) {
        StringBuilder sb = new StringBuilder();
        for (Row r : rows(now)) {
            sb.append(r.key()).append(r.away() ? 'a' : '-').append(r.stuck() ? 's' : '-').append(r.stuckWhy()).append(';');
        }
        return sb.toString();
    }

    /** The room as JSON (room.json and the events): made once per version. */
    public synchronized String json() {
        if (jsonVersion != version || json == null) {
            json = toJson(clock.instant());
            jsonVersion = version;
        }
        return json;
    }

    private String toJson(Instant now) {
        List<Row> rows = rows(now);
        ObjectNode doc = JSON.createObjectNode();
        doc.put("protocol", 1);
        doc.put("version", version);
        doc.put("generatedAt", now.toString());
        ArrayNode list = doc.putArray("learners");
        for (Row r : rows) {
            ObjectNode o = list.addObject();
            o.put("key", r.key());
            o.put("name", r.name());
            o.put("lesson", r.lesson());
            o.put("total", r.total());
            o.put("lessonId", r.lessonId());
            o.put("title", r.title());
            o.put("done", r.done());
            o.put("state", r.state());
            o.put("failures", r.failures());
            o.put("failingCheck", r.failingCheck());
            o.put("hint", r.hint());
            o.put("secondsOnLesson", r.secondsOnLesson());
            o.put("stuck", r.stuck());
            ArrayNode why = o.putArray("stuckWhy");
            r.stuckWhy().forEach(why::add);
            o.put("away", r.away());
            o.put("left", r.left());
            o.put("secondsSincePush", r.secondsSincePush());
        }
        ObjectNode summary = doc.putObject("summary");
        summary.put("learners", rows.size());
        summary.put("away", rows.stream().filter(r -> r.away() || r.left()).count());
        summary.put("stuck", rows.stream().filter(Row::stuck).count());
        ArrayNode per = summary.putArray("perLesson");
        Map<Integer, List<Row>> byLesson = new TreeMap<>();
        for (Row r : rows) {
            if (!r.left()) {
                byLesson.computeIfAbsent(r.lesson(), k -> new ArrayList<>()).add(r);
            }
        }
        byLesson.forEach((n, rs) -> {
            ObjectNode o = per.addObject();
            o.put("lesson", n);
            o.put("title", rs.get(0).title());
            o.put("learners", rs.size());
        });
        Map<String, List<Row>> byCheck = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.failingCheck() != null && !r.left()) {
                byCheck.computeIfAbsent(r.failingCheck(), k -> new ArrayList<>()).add(r);
            }
        }
        byCheck.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size())).ifPresentOrElse(e -> {
            ObjectNode o = summary.putObject("mostFailing");
            o.put("check", e.getKey());
            o.put("hint", e.getValue().stream().map(Row::hint).filter(h -> h != null).findFirst().orElse(null));
            o.put("learners", e.getValue().size());
        }, () -> summary.putNull("mostFailing"));
        ObjectNode ref = summary.putObject("refused");
        ref.put("wrongCode", refused.get(Refusal.WRONG_CODE));
        ref.put("tooBig", refused.get(Refusal.TOO_BIG));
        ref.put("badRequest", refused.get(Refusal.BAD_REQUEST));
        ref.put("tooFast", refused.get(Refusal.TOO_FAST));
        ref.put("full", refused.get(Refusal.FULL));
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
