/** The classroom: a learner's packlab showing its status to the instructor's page (protocol 1). */
package io.packlab.classroom;
