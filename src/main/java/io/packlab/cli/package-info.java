/** The picocli command line: parsing and wiring only; the work is done by {@link io.packlab.workshop.Workshop}. */
package io.packlab.cli;
