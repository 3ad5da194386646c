/**
 * The classroom (protocol 1): the instructor's HTTP server, the room its learners push to and the page
 * that shows it; and a learner's packlab pushing its status there.
 */
package io.packlab.classroom;
