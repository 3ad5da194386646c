/**
 * Pictures the terminal draws of a builder, a build and a rebase (box drawing, at most 60 columns,
 * English or Japanese), from the learner's real images where they exist.
 */
package io.packlab.picture;
