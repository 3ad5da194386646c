package io.packlab.progress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.packlab.engine.ImageSnapshot;

/**
 * The learner's progress: the lesson they are on (and since when, an ISO-8601 UTC instant, optional in
 * the file), the lessons whose checks passed, and per-lesson state. Immutable: each change returns a
 * new value.
 */
public record Progress(int version, String current, List<String> passed, Map<String, LessonState> lessons,
        Map<String, ImageSnapshot> snapshots,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        String lessonStartedAt) {

    /**
     * The format version this build writes. Version 2 records what lessons created by ID (images with
     * their tags, containers, volumes); version 1 recorded image tags only, and is read (see
     * {@link LessonState#fromJson}).
     */
    public static final int VERSION = 2;

    public Progress {
        passed = passed == null ? List.of() : List.copyOf(passed);
        lessons = lessons == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lessons));
        snapshots = snapshots == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(snapshots));
    }

    public static Progress start() {
        return new Progress(VERSION, null, List.of(), Map.of(), Map.of(), null);
    }

    public LessonState lesson(String id) {
        return lessons.getOrDefault(id, LessonState.empty());
    }

    public boolean hasPassed(String id) {
        return passed.contains(id);
    }

    public Progress withCurrent(String id) {
        return withCurrent(id, java.time.Instant.now());
    }

    /** The lesson {@code id} made current; its start time is {@code now} unless it already was current since a known time. */
    public Progress withCurrent(String id, java.time.Instant now) {
        String started = id.equals(current) && lessonStartedAt != null ? lessonStartedAt
                : now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        return new Progress(VERSION, id, passed, lessons, snapshots, started);
    }

    public Progress withLesson(String id, LessonState state) {
        Map<String, LessonState> copy = new LinkedHashMap<>(lessons);
        copy.put(id, state);
        return new Progress(VERSION, current, passed, copy, snapshots, lessonStartedAt);
    }

    /** Records what an image is now, under a name that checks can refer to. */
    public Progress withSnapshot(String name, ImageSnapshot snapshot) {
        Map<String, ImageSnapshot> copy = new LinkedHashMap<>(snapshots);
        copy.put(name, snapshot);
        return new Progress(VERSION, current, passed, lessons, copy, lessonStartedAt);
    }

    public Progress withPassed(String id) {
        List<String> p = new ArrayList<>(passed);
        if (!p.contains(id)) {
            p.add(id);
        }
        return new Progress(VERSION, current, p, lessons, snapshots, lessonStartedAt).withLesson(id, lesson(id).passed());
    }

    public Progress withFailed(String id, String reason) {
        return withFailed(id, reason, null, null);
    }

    /** A failure of lesson {@code id}: why, the check (or step line) that failed and the hint shown for it (either may be null). */
    public Progress withFailed(String id, String reason, String check, String hint) {
        List<String> p = new ArrayList<>(passed);
        p.remove(id);
        return new Progress(VERSION, current, p, lessons, snapshots, lessonStartedAt).withLesson(id,
                lesson(id).withFailure(reason, check, hint));
    }

    /** Forgets a lesson entirely (after its resources were removed). */
    public Progress without(String id) {
        List<String> p = new ArrayList<>(passed);
        p.remove(id);
        Map<String, LessonState> copy = new LinkedHashMap<>(lessons);
        copy.remove(id);
        return new Progress(VERSION, current, p, copy, snapshots, lessonStartedAt);
    }
}
