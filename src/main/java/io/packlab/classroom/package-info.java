/** The classroom: the instructor's HTTP server, the room its learners push to, and the page that shows it. */
package io.packlab.classroom;
