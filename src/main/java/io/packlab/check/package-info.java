/**
 * The check language of lessons ({@code check} blocks) and its evaluation against an engine; every
 * failure says what was expected and what was found.
 */
package io.packlab.check;
