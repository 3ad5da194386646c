/** The learner's progress on disk: current lesson, passed lessons, what each lesson made; written atomically. */
package io.packlab.progress;
