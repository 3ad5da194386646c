package io.packlab.workshop;

import io.packlab.check.CheckResult;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.Step;
import java.time.Duration;

/**
 * What happens while lessons run, step by step and check by check, for whoever keeps a record (the
 * JUnit report's {@link RunRecorder}). Every method is called on the thread that runs the lesson.
 */
public interface RunListener {

    /** Hears nothing. */
    RunListener NONE = new RunListener() {
    };

    /** The lesson starts (before its prerequisites are checked). */
    default void lessonStarted(Lesson lesson) {
    }

    /** A step is not run, and why (a registry step without --registry). */
    default void stepSkipped(Lesson lesson, Step step, String why) {
    }

    default void stepStarted(Lesson lesson, Step step) {
    }

    /** The step ended: {@code failure} null when every line of it passed. */
    default void stepEnded(Lesson lesson, Step step, RuntimeException failure) {
    }

    /** The steps are done; the lesson's checks are evaluated now. */
    default void checksStarted(Lesson lesson) {
    }

    /** One check's result, in the lesson's order, and how long its evaluation took. */
    default void checkDone(Lesson lesson, CheckResult result, Duration took) {
    }

    /** The lesson ended: {@code failure} null when it ran to its checks' results, else what stopped it. */
    default void lessonEnded(Lesson lesson, RuntimeException failure) {
    }
}
