/**
 * Markdown lessons (commonmark-java) parsed into {@link io.packlab.lesson.Lesson}: prose, runnable
 * steps ({@code sh}), checks ({@code check}) and hints ({@code hint}). No I/O beyond reading files.
 */
package io.packlab.lesson;
