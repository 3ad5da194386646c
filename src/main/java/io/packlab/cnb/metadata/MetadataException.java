package io.packlab.cnb.metadata;

import io.packlab.error.PacklabException;

/** A CNB metadata label that is absent, not JSON, or not of the lifecycle's shape: one paragraph, exit code 1. */
public final class MetadataException extends PacklabException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the label. */
    public enum Problem {
        /** The image has no such label. */
        MISSING,
        /** The label is not JSON. */
        NOT_JSON,
        /** The label is JSON of another shape. */
        SHAPE
    }

    private final Problem problem;

    MetadataException(Problem problem, String message) {
        super(FAILED, message);
        this.problem = problem;
    }

    /** What is wrong with the label. */
    public Problem problem() {
        return problem;
    }

    /** The label is not on the image, in the words of pack. */
    static MetadataException missing(String label, String image) {
        return new MetadataException(Problem.MISSING, "could not find label '" + label + "' on image " + image + ".");
    }

    /** The label is not JSON. */
    static MetadataException notJson(String label, String image, String reason) {
        return new MetadataException(Problem.NOT_JSON, "the label " + label + " of image " + image + " is not valid JSON (" + reason
                + "); the image was not made by pack or packlab, or was damaged.");
    }

    /** The label is JSON of another shape; {@code detail} names the key and what was found there. */
    static MetadataException shape(String label, String image, String detail) {
        return new MetadataException(Problem.SHAPE, "the label " + label + " of image " + image + " is not of the lifecycle's shape ("
                + detail + "); the image was not made by pack or packlab, or was damaged.");
    }
}
