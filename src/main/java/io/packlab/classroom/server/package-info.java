/** The instructor's side of the classroom: the HTTP server, the room its learners push to, and the page. */
package io.packlab.classroom.server;
