/**
 * Runs the commands of lesson steps and of lines the learner types: {@code cd}, {@code ls},
 * {@code cat}, {@code docker build} (through the Engine API), {@code pack}, and other commands in sh.
 */
package io.packlab.step;
