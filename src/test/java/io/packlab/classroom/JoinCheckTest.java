package io.packlab.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** doctor's look at the join URL, against a test double of the server. */
class JoinCheckTest {

    @Test
    void theRightCodeAnswersProtocol1() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            JoinCheck.Result r = JoinCheck.check(room.classroom("Aiko"));
            assertEquals(JoinCheck.Outcome.OK, r.outcome(), r.seen());
        }
    }

    @Test
    void aWrongCodeIsTold() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            URI other = URI.create(room.join().toString().replace(RoomDouble.CODE, "z".repeat(26)));
            JoinCheck.Result r = JoinCheck.check(new Classroom(other, "Aiko"));
            assertEquals(JoinCheck.Outcome.WRONG_CODE, r.outcome(), r.seen());
        }
    }

    @Test
    void anotherServerIsNotAClassroom() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            room.answer.set(404);
            JoinCheck.Result r = JoinCheck.check(room.classroom("Aiko"));
            assertEquals(JoinCheck.Outcome.NOT_A_CLASSROOM, r.outcome());
            assertEquals("HTTP 404", r.seen());
        }
    }

    @Test
    void noServerAndASilentServerAreNotReachableWithinTheTimeout() throws Exception {
        Classroom gone;
        try (RoomDouble room = new RoomDouble()) {
            gone = room.classroom("Aiko");
        }
        JoinCheck.Result r = JoinCheck.check(gone);
        assertEquals(JoinCheck.Outcome.NOT_REACHABLE, r.outcome());
        assertEquals("connection refused", r.seen());
        try (RoomDouble room = new RoomDouble()) {
            room.hold = new CountDownLatch(1);
            long t0 = System.nanoTime();
            r = JoinCheck.check(room.classroom("Aiko"), Duration.ofMillis(500));
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(JoinCheck.Outcome.NOT_REACHABLE, r.outcome());
            assertEquals("connected, but no answer within the time allowed", r.seen());
            assertTrue(took < 1500, took + " ms");
        }
    }
}
