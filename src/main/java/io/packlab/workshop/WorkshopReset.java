package io.packlab.workshop;

import io.packlab.engine.Engine;
import io.packlab.error.PacklabException;
import io.packlab.lesson.Lesson;
import io.packlab.progress.LessonState;
import io.packlab.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Resets a lesson, or all: removes what progress records packlab making (see {@link ResetPlanner}),
 * empties the scratch folder for all, and forgets the lessons' progress, keeping what could not go.
 */
final class WorkshopReset {

    private final Settings settings;
    private final ProgressBook book;
    private final Supplier<Engine> engine;

    WorkshopReset(Settings settings, ProgressBook book, Supplier<Engine> engine) {
        this.settings = settings;
        this.book = book;
        this.engine = engine;
    }

    ResetPlan plan(Optional<Lesson> lesson) {
        return new ResetPlanner(engine.get(), book.progress(), lesson).plan();
    }

    ResetPlan.Result reset(ResetPlan plan) {
        book.lock(); // before anything is removed: a folder that cannot record the reset refuses it whole
        ResetPlanner planner = new ResetPlanner(engine.get(), book.progress(), plan.lesson());
        ResetPlan.Result result = planner.perform(plan);
        List<String> removed = new ArrayList<>(result.removed());
        Map<String, LessonState> left = planner.remaining();
        if (plan.lesson().isPresent()) {
            String id = plan.lesson().get().id();
            Progress next = book.progress().without(id).withCurrent(id);
            book.update(left.containsKey(id) ? next.withLesson(id, left.get(id)) : next);
        } else {
            Path scratch = settings.workdir().resolve(Workshop.SCRATCH);
            if (Files.isDirectory(scratch)) {
                try {
                    deleteTree(scratch);
                } catch (IOException e) {
                    throw PacklabException.failed("cannot remove " + scratch + ": " + e.getMessage());
                }
                removed.add("folder " + Workshop.SCRATCH + "/ (what lessons scaffolded)");
            }
            Progress next = Progress.start();
            for (Map.Entry<String, LessonState> e : left.entrySet()) {
                next = next.withLesson(e.getKey(), e.getValue());
            }
            book.update(next);
        }
        return new ResetPlan.Result(removed, result.kept());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
