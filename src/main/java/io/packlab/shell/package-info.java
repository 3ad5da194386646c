/** The interactive JLine shell: prompt, completion, history, Ctrl-C handling, shell-only verbs. */
package io.packlab.shell;
