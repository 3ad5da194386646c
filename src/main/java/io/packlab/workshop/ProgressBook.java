package io.packlab.workshop;

import io.packlab.engine.Created;
import io.packlab.engine.ImageSnapshot;
import io.packlab.error.PacklabException;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.LessonCatalog;
import io.packlab.progress.Progress;
import io.packlab.progress.ProgressStore;
import io.packlab.step.StepContext;
import java.util.List;
import java.util.Optional;

/**
 * The learner's progress through the lessons, read from the progress file when first asked for and
 * written through it on every change, under the work folder's {@link WorkdirLock}: which lesson is
 * current, what each lesson's steps made, the snapshots steps keep.
 */
final class ProgressBook implements AutoCloseable {

    private final LessonCatalog catalog;
    private final ProgressStore store;
    private final WorkdirLock lock;
    private Progress progress;
    private volatile Runnable onChange = () -> { };

    ProgressBook(LessonCatalog catalog, ProgressStore store, WorkdirLock lock) {
        this.catalog = catalog;
        this.store = store;
        this.lock = lock;
    }

    synchronized Progress progress() {
        if (progress == null) {
            progress = store.load();
        }
        return progress;
    }

    /** Takes the work folder's lock (before the first change) and records {@code next}. */
    synchronized void update(Progress next) {
        lock.take();
        progress = next;
        store.save(next);
        onChange.run();
    }

    /** Calls {@code listener} after every recorded change (it must return at once). */
    void onChange(Runnable listener) {
        onChange = listener;
    }

    /** Takes the work folder's lock now, before anything that must be recorded is done. */
    void lock() {
        lock.take();
    }

    /**
     * Records what a check found when this packlab can. A check only reads: it does not need the work
     * folder's lock, so when another packlab holds it or the folder cannot be written, the check still
     * runs and prints, and the one line returned says that its result was not recorded.
     */
    Optional<String> recordCheck(Progress next) {
        try {
            update(next);
            return Optional.empty();
        } catch (PacklabException e) {
            String m = e.getMessage();
            int end = m.indexOf(". ");
            return Optional.of("this check is not recorded in the progress: " + (end < 0 ? m : m.substring(0, end + 1)));
        }
    }

    /** The lesson the learner is on: the recorded one, else the first not passed, else the last. */
    Lesson current() {
        Progress p = progress();
        if (p.current() != null) {
            Optional<Lesson> recorded = catalog.find(p.current());
            if (recorded.isPresent()) {
                return recorded.get();
            }
        }
        return catalog.lessons().stream().filter(l -> !p.hasPassed(l.id())).findFirst()
                .orElse(catalog.lessons().get(catalog.lessons().size() - 1));
    }

    void moveTo(Lesson lesson) {
        update(progress().withCurrent(lesson.id()));
    }

    /** Where a lesson stands: done, current or todo. */
    LessonStatus status(Lesson lesson) {
        if (progress().hasPassed(lesson.id())) {
            return LessonStatus.DONE;
        }
        return lesson.equals(current()) ? LessonStatus.CURRENT : LessonStatus.TODO;
    }

    /** Records, by ID, what a lesson's steps created, so that a reset removes exactly that. */
    synchronized void recordCreated(Lesson lesson, List<Created> created) {
        if (!created.isEmpty()) {
            update(progress().withLesson(lesson.id(), progress().lesson(lesson.id()).withCreated(created)));
        }
    }

    /** Records that a lesson failed, and why. */
    synchronized void recordFailed(Lesson lesson, String why) {
        update(progress().withFailed(lesson.id(), why));
    }

    /** Records that a lesson failed, why, and the step line (or check) that failed. */
    synchronized void recordFailed(Lesson lesson, String why, String failing) {
        update(progress().withFailed(lesson.id(), why, failing, null));
    }

    /** A snapshot a step kept, if any. */
    Optional<ImageSnapshot> snapshot(String name) {
        return Optional.ofNullable(progress().snapshots().get(name));
    }

    /** Snapshots kept in the progress file, so checks after a restart still compare with them. */
    StepContext.Snapshots snapshots() {
        return new StepContext.Snapshots() {
            @Override
            public void put(String name, ImageSnapshot snapshot) {
                synchronized (ProgressBook.this) {
                    update(progress().withSnapshot(name, snapshot));
                }
            }

            @Override
            public Optional<ImageSnapshot> get(String name) {
                return snapshot(name);
            }
        };
    }

    @Override
    public void close() {
        lock.release();
    }
}
