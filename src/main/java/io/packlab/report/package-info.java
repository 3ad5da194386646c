/** JUnit XML reports of lesson runs, in the form CI servers read, written atomically. */
package io.packlab.report;
