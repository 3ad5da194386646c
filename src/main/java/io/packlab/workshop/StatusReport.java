package io.packlab.workshop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.packlab.lesson.Lesson;
import io.packlab.progress.LessonState;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a learner stands: the current lesson, and per lesson its status (done, current, todo), how
 * many times its checks or steps failed since it last passed, and the last failure.
 */
public record StatusReport(String version, String workdir, String lang, String current, String lessonStartedAt,
        List<Entry> lessons) {

    /** The version of the JSON document {@link #toJson()} writes; raised only when a key changes meaning or goes. */
    public static final int FORMAT = 1;

    /**
     * One lesson's line of the report; {@code failingCheck} is the check (or step line) whose failure is
     * {@code lastFailure}, {@code hint} the hint shown for it (null when none was).
     */
    public record Entry(int number, String id, String title, LessonStatus status, int failures, String lastFailure,
            String failingCheck, String hint) {
    }

    public StatusReport {
        lessons = List.copyOf(lessons);
    }

    /** The report of a workshop's progress, as recorded (no engine is asked). */
    public static StatusReport of(Workshop workshop) {
        Lesson current = workshop.current();
        List<Entry> entries = new ArrayList<>();
        List<Lesson> all = workshop.lessons().lessons();
        for (int i = 0; i < all.size(); i++) {
            Lesson l = all.get(i);
            LessonState state = workshop.progress().lesson(l.id());
            entries.add(new Entry(i + 1, l.id(), l.title(), workshop.status(l), state.failures(), state.lastFailure(),
                    state.failingCheck(), state.hint()));
        }
        Settings s = workshop.settings();
        String started = current.id().equals(workshop.progress().current()) ? workshop.progress().lessonStartedAt() : null;
        return new StatusReport(s.version(), s.workdir().toString(), s.lang(), current.id(), started, entries);
    }

    public long done() {
        return lessons.stream().filter(e -> e.status() == LessonStatus.DONE).count();
    }

    public Entry currentEntry() {
        return lessons.stream().filter(e -> e.id().equals(current)).findFirst().orElseThrow();
    }

    /**
     * The report as a JSON document with a fixed key order: {@code format}, {@code packlab},
     * {@code workdir}, {@code lang}, {@code current}, {@code done}, {@code total}, {@code lessons}
     * (each: {@code number}, {@code id}, {@code title}, {@code status}, {@code failures},
     * {@code lastFailure}, {@code failingCheck}, {@code hint}, null when there is none), then
     * {@code lessonStartedAt} (when the current lesson became current, ISO-8601 UTC, or null). Keys are
     * only ever added at the end of their object, so readers of format 1 keep working.
     */
    public String toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("packlab", version);
        doc.put("workdir", workdir);
        doc.put("lang", lang);
        doc.put("current", current);
        doc.put("done", done());
        doc.put("total", lessons.size());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Entry e : lessons) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("number", e.number());
            m.put("id", e.id());
            m.put("title", e.title());
            m.put("status", e.status().word());
            m.put("failures", e.failures());
            m.put("lastFailure", e.lastFailure());
            m.put("failingCheck", e.failingCheck());
            m.put("hint", e.hint());
            list.add(m);
        }
        doc.put("lessons", list);
        doc.put("lessonStartedAt", lessonStartedAt);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
