/**
 * The workshop a learner is in: lessons, progress, the engine and the step runner wired together;
 * runs lessons, evaluates and reports checks, resets what lessons made. Used by the CLI and the shell.
 */
package io.packlab.workshop;
