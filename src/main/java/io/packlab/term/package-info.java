/**
 * Text for the terminal: styled console output, display widths (East Asian wide characters count
 * two columns), and Markdown lessons rendered to wrapped lines. No JLine here.
 */
package io.packlab.term;
