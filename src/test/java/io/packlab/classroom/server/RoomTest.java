package io.packlab.classroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomTest {

    /** A clock the test moves. */
    static final class Hands extends Clock {
        Instant now = Instant.parse("2026-01-01T09:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void move(Duration d) {
            now = now.plus(d);
        }
    }

    private final Hands clock = new Hands();
    private final Room room = new Room(clock);

    private Room.Outcome push(String body) throws Exception {
        return room.push(Push.parse(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String id(int n) {
        return String.format("learner-%012d", n);
    }

    @Test
    void threeFailuresOnTheCurrentLessonMarkALearnerStuckWithItsCheck() throws Exception {
        push(Pushes.change(id(1), "Aiko", 1, 2, 2));
        assertFalse(room.rows().get(0).stuck());
        push(Pushes.change(id(1), "Aiko", 2, 2, 3));
        Room.Row r = room.rows().get(0);
        assertTrue(r.stuck());
        assertEquals(List.of("failures"), r.stuckWhy());
        assertEquals("failing", r.state());
        assertEquals("image app exists", r.failingCheck());
        assertEquals("build it first", r.hint());
    }

    @Test
    void moreThanTenMinutesOnALessonIsStuckAndTheTickSaysSo() throws Exception {
        push(Pushes.change(id(1), "Ben", 1, 3, 0));
        clock.move(Duration.ofMinutes(10));
        push(Pushes.change(id(1), "Ben", 2, 3, 0)); // still lesson 3: the clock runs from the first sight of it
        assertFalse(room.rows().get(0).stuck());
        clock.move(Duration.ofSeconds(2));
        long before = room.version();
        assertTrue(room.tick());
        assertTrue(room.version() > before);
        assertEquals(List.of("time"), room.rows().get(0).stuckWhy());
        push(Pushes.change(id(1), "Ben", 3, 4, 0)); // passed: a new lesson, a new clock
        assertFalse(room.rows().get(0).stuck());
    }

    @Test
    void theLearnersOwnLessonStartCountsUnlessItIsInTheFuture() throws Exception {
        push(Pushes.change(id(1), "C", 1, 1, 7, 0, "x", null, "2026-01-01T08:30:00Z"));
        assertEquals(1800, room.rows().get(0).secondsOnLesson());
        assertTrue(room.rows().get(0).stuck());
        push(Pushes.change(id(2), "D", 1, 1, 7, 0, "x", null, "2026-01-01T10:00:00Z"));
        assertEquals(0, room.rows().stream().filter(r -> r.name().equals("D")).findFirst().orElseThrow().secondsOnLesson());
    }

    @Test
    void aLearnerSilentFor45SecondsIsAwayAndComesBackWithItsNextPush() throws Exception {
        push(Pushes.change(id(1), "E", 1, 1, 0));
        clock.move(Duration.ofSeconds(45));
        assertFalse(room.tick());
        clock.move(Duration.ofSeconds(1));
        assertTrue(room.tick());
        assertTrue(room.rows().get(0).away());
        push(Pushes.change(id(1), "E", 2, 1, 0).replace("\"change\"", "\"heartbeat\""));
        assertFalse(room.rows().get(0).away());
    }

    @Test
    void stuckLearnersComeFirstAndAwayOnesLast() throws Exception {
        push(Pushes.change(id(1), "fine", 1, 5, 0));
        push(Pushes.change(id(2), "failing once", 1, 2, 1));
        push(Pushes.change(id(3), "stuck", 1, 3, 4));
        push(Pushes.change(id(4), "gone", 1, 6, 5));
        clock.move(Duration.ofSeconds(40));
        push(Pushes.change(id(1), "fine", 2, 5, 0));
        push(Pushes.change(id(2), "failing once", 2, 2, 1));
        push(Pushes.change(id(3), "stuck", 2, 3, 4));
        clock.move(Duration.ofSeconds(10));
        assertEquals(List.of("stuck", "failing once", "fine", "gone"), room.rows().stream().map(Room.Row::name).toList());
    }

    @Test
    void theSummaryCountsLearnersPerLessonAndTheCheckThatFailsMost() throws Exception {
        push(Pushes.change(id(1), "a", 1, 2, 7, 1, "image stack exists", "run the build", null));
        push(Pushes.change(id(2), "b", 1, 2, 7, 2, "image stack exists", "run the build", null));
        push(Pushes.change(id(3), "c", 1, 4, 7, 1, "file out.txt exists", "write it", null));
        push(Pushes.change(id(4), "d", 1, 4, 0));
        room.refused(Room.Refusal.WRONG_CODE);
        JsonNode s = new ObjectMapper().readTree(room.json()).get("summary");
        assertEquals(4, s.get("learners").asInt());
        assertEquals("[{\"lesson\":2,\"title\":\"Lesson 2\",\"learners\":2},{\"lesson\":4,\"title\":\"Lesson 4\",\"learners\":2}]",
                s.get("perLesson").toString());
        assertEquals("image stack exists", s.get("mostFailing").get("check").asText());
        assertEquals("run the build", s.get("mostFailing").get("hint").asText());
        assertEquals(2, s.get("mostFailing").get("learners").asInt());
        assertEquals(1, s.get("refused").get("wrongCode").asInt());
    }

    @Test
    void theEleventhPushWithinTenSecondsIsRefusedAndTheWindowMoves() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertEquals(Room.Outcome.ACCEPTED, push(Pushes.change(id(1), "f", i, 1, 0)));
            clock.move(Duration.ofMillis(900));
        }
        assertEquals(Room.Outcome.TOO_FAST, push(Pushes.change(id(1), "f", 11, 1, 0)));
        assertEquals(1, room.refusedCount(Room.Refusal.TOO_FAST));
        assertEquals(Room.Outcome.ACCEPTED, push(Pushes.change(id(2), "other", 1, 1, 0)));
        clock.move(Duration.ofMillis(1000)); // the first push is now 10 s old
        assertEquals(Room.Outcome.ACCEPTED, push(Pushes.change(id(1), "f", 12, 1, 0)));
    }

    @Test
    void aNewLearnerBeyond500IsRefusedWhileTheOnesInGoOn() throws Exception {
        for (int i = 0; i < Room.MAX_LEARNERS; i++) {
            assertEquals(Room.Outcome.ACCEPTED, push(Pushes.change(id(i), "l" + i, 1, 1, 0)));
        }
        assertEquals(Room.Outcome.FULL, push(Pushes.change(id(9999), "late", 1, 1, 0)));
        assertEquals(Room.Outcome.ACCEPTED, push(Pushes.change(id(7), "l7", 2, 2, 0)));
        assertEquals(Room.MAX_LEARNERS, room.size());
        assertEquals(1, room.refusedCount(Room.Refusal.FULL));
    }

    @Test
    void aPassedCurrentLessonIsPassedAndNeverStuck() throws Exception {
        push(Pushes.change(id(1), "h", 1, 2, 7, 4, "file a exists", null, "2026-01-01T08:00:00Z")
                .replace("\"status\":\"current\"", "\"status\":\"done\""));
        Room.Row r = room.rows().get(0);
        assertEquals("passed", r.state());
        assertFalse(r.stuck());
    }

    @Test
    void aLearnerWhoLeftStaysShownAsLeft() throws Exception {
        push(Pushes.change(id(1), "g", 1, 3, 0));
        push("{\"protocol\":1,\"learner\":\"" + id(1) + "\",\"name\":\"g\",\"seq\":2,\"event\":\"left\"}");
        Room.Row r = room.rows().get(0);
        assertTrue(r.left());
        assertEquals(3, r.lesson());
    }
}
