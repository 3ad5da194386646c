package io.packlab.workshop;

/** Where a lesson stands for the learner: passed, the one being worked on, or still ahead. */
public enum LessonStatus {
    DONE("done"),
    CURRENT("current"),
    TODO("todo");

    private final String word;

    LessonStatus(String word) {
        this.word = word;
    }

    /** The word that listings and {@code status --json} show. */
    public String word() {
        return word;
    }
}
