/**
 * Tools for lesson authors: the lesson linter, which reads lessons as packlab would run them and
 * reports every problem at its file:line without touching an engine.
 */
package io.packlab.authoring;
