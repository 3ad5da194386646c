/** Command lines cut into words by the POSIX shell's quoting rules, for step lines and check lines alike. */
package io.packlab.words;
