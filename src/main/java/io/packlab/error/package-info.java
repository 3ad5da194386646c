/** Errors explained to the learner, with exit codes, and source locations for them. */
package io.packlab.error;
