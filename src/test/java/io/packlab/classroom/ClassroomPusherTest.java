package io.packlab.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pusher against a test double of the classroom server on loopback. */
class ClassroomPusherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEARNER = "learner-0123456789abcdef";

    private final AtomicReference<JsonNode> status = new AtomicReference<>(doc("one", 0));

    private static JsonNode doc(String current, int failures) {
        return JSON.createObjectNode().put("format", 1).put("current", current).put("failures", failures);
    }

    private ClassroomPusher pusher(RoomDouble room, Duration heartbeat) {
        return new ClassroomPusher(room.classroom("Aiko <img src=x>"), () -> LEARNER, status::get, heartbeat,
                Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    private static List<String> keys(JsonNode push) {
        List<String> keys = new ArrayList<>();
        push.fieldNames().forEachRemaining(k -> {
            if (!k.startsWith("_")) {
                keys.add(k);
            }
        });
        return keys;
    }

    @Test
    void aChangeAtOnceThenHeartbeatsThenLeftAtQuit() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            ClassroomPusher pusher = pusher(room, Duration.ofMillis(400)).start();
            JsonNode first = room.next(5000);
            assertNotNull(first, "the learner appears at once");
            assertEquals(List.of("protocol", "learner", "name", "seq", "event", "status"), keys(first));
            assertEquals(1, first.get("protocol").asInt());
            assertEquals(LEARNER, first.get("learner").asText());
            assertEquals("Aiko <img src=x>", first.get("name").asText());
            assertEquals("change", first.get("event").asText());
            assertEquals(1, first.get("seq").asLong());
            assertEquals(doc("one", 0), first.get("status"));
            assertEquals("application/json", first.get("_contentType").asText());
            assertEquals("/join/" + RoomDouble.CODE, first.get("_path").asText());

            JsonNode beat = room.next(3000);
            assertNotNull(beat, "a heartbeat when nothing changed");
            assertEquals("heartbeat", beat.get("event").asText());
            assertEquals(doc("one", 0), beat.get("status"), "a heartbeat carries the document (a restarted server learns it)");
            assertTrue(beat.get("seq").asLong() > first.get("seq").asLong());

            pusher.close();
            JsonNode left = null;
            for (JsonNode p = room.next(2000); p != null; p = room.next(300)) {
                left = p;
            }
            assertNotNull(left);
            assertEquals("left", left.get("event").asText());
            assertEquals(List.of("protocol", "learner", "name", "seq", "event"), keys(left), "left needs no status");
            Thread.sleep(600);
            assertNull(room.next(100), "nothing after left");
        }
    }

    @Test
    void aChangeIsSentWhenTheDocumentDiffersAndOnlyThen() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            try (ClassroomPusher pusher = pusher(room, Duration.ofMinutes(1)).start()) {
                assertEquals("change", room.next(5000).get("event").asText());
                pusher.changed(); // nothing really changed: nothing to say
                assertNull(room.next(500));
                status.set(doc("one", 1));
                pusher.changed();
                JsonNode change = room.next(3000);
                assertEquals("change", change.get("event").asText());
                assertEquals(1, change.get("status").get("failures").asInt());
            }
            JsonNode left = room.next(2000);
            assertEquals("left", left.get("event").asText(), "no last change: the server has the newest document");
        }
    }

    @Test
    void changesWhileAPushIsOnItsWayCoalesceIntoTheNewest() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            CountDownLatch held = new CountDownLatch(1);
            room.hold = held;
            try (ClassroomPusher pusher = pusher(room, Duration.ofMinutes(1)).start()) {
                JsonNode first = room.next(5000); // recorded, its answer held back
                assertEquals(0, first.get("status").get("failures").asInt());
                for (int i = 1; i <= 5; i++) {
                    status.set(doc("one", i));
                    long t0 = System.nanoTime();
                    pusher.changed();
                    assertTrue(System.nanoTime() - t0 < 50_000_000L, "changed() returns at once");
                }
                room.hold = null;
                held.countDown();
                JsonNode next = room.next(3000);
                assertEquals("change", next.get("event").asText());
                assertEquals(5, next.get("status").get("failures").asInt(), "only the newest goes");
                assertNull(room.next(700), "and nothing of 1 to 4 after it");
            }
        }
    }

    @Test
    void aServerThatGoesAwayAndComesBackSeesTheLearnerAgain() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            try (ClassroomPusher pusher = pusher(room, Duration.ofMillis(500)).start()) {
                assertNotNull(room.next(5000));
                room.stop();
                status.set(doc("two", 0));
                pusher.changed(); // fails, silently
                Thread.sleep(1200); // heartbeats fail too
                room.pushes.clear();
                room.restart();
                JsonNode back = room.next(3000);
                assertNotNull(back, "the learner reappears with the next heartbeat");
                assertEquals("change", back.get("event").asText(), "what the server missed is a change to it");
                assertEquals("two", back.get("status").get("current").asText());
                assertEquals(LEARNER, back.get("learner").asText(), "the same learner");
            }
        }
    }

    @Test
    void aServerThatNeverAnswersDoesNotSlowTheLearner() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            room.hold = new CountDownLatch(1); // never counted down while the learner works
            ClassroomPusher pusher = pusher(room, Duration.ofMillis(200)).start();
            assertNotNull(room.next(5000));
            long t0 = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                status.set(doc("one", i));
                pusher.changed();
            }
            long changes = System.nanoTime() - t0;
            assertTrue(changes < 200_000_000L, "1000 changes took " + changes / 1_000_000 + " ms");
            Thread.sleep(1100); // past the first push's grace: quitting waits for nothing
            long c0 = System.nanoTime();
            pusher.close();
            long close = (System.nanoTime() - c0) / 1_000_000;
            assertTrue(close < 100, "close took " + close + " ms");
        }
    }

    @TempDir
    Path work;

    @Test
    void aQuitRightAfterTheStartWaitsAtMostASecondForAClassroomThatAnsweredBefore() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            ReachMemory memory = ReachMemory.in(work, room.join());
            memory.reached();
            room.hold = new CountDownLatch(1);
            long t0 = System.nanoTime();
            ClassroomPusher pusher = pusher(room, Duration.ofMinutes(1)).remembering(memory).start();
            assertNotNull(room.next(5000));
            pusher.close();
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(took >= 950 && took < 1300, "start to the end of close: " + took + " ms");
        }
    }

    @Test
    void aQuitRightAfterTheStartDoesNotWaitForAClassroomNeverReached() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            room.hold = new CountDownLatch(1);
            ClassroomPusher pusher = pusher(room, Duration.ofMinutes(1)).remembering(ReachMemory.in(work, room.join()))
                    .start();
            assertNotNull(room.next(5000));
            long t0 = System.nanoTime();
            pusher.close();
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(took < 100, "close: " + took + " ms");
        }
    }

    @Test
    void aQuickQuitAfterAnAnswerBeforeStillDeliversTheResult() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            ReachMemory memory = ReachMemory.in(work, room.join());
            memory.reached();
            ClassroomPusher pusher = pusher(room, Duration.ofMinutes(1)).remembering(memory).start();
            status.set(doc("one", 3));
            pusher.changed();
            pusher.close(); // at once, before the HTTP client is even made
            List<String> events = new ArrayList<>();
            JsonNode last = null;
            for (JsonNode p = room.next(3000); p != null; p = room.next(500)) {
                events.add(p.get("event").asText());
                last = p.has("status") ? p : last;
            }
            assertEquals("left", events.get(events.size() - 1), events.toString());
            assertEquals(3, last.get("status").get("failures").asInt(), "the newest document got there: " + events);
        }
    }

    @Test
    void theWorkFolderRemembersWhetherTheClassroomAnswered() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            ReachMemory memory = ReachMemory.in(work, room.join());
            assertFalse(memory.remembered());
            try (ClassroomPusher pusher = pusher(room, Duration.ofMinutes(1)).remembering(memory).start()) {
                assertNotNull(room.next(5000));
                Thread.sleep(300);
                assertTrue(memory.remembered(), "answered");
                assertEquals(room.join().toString(), Files.readString(work.resolve(ReachMemory.FILE)).strip());
                assertFalse(ReachMemory.in(work, java.net.URI.create("http://127.0.0.1:1/join/" + "b".repeat(26)))
                        .remembered(), "another classroom is not this one");
                room.answer.set(429);
                status.set(doc("one", 1));
                pusher.changed();
                assertNotNull(room.next(3000));
                Thread.sleep(300);
                assertTrue(memory.remembered(), "too many pushes: still a classroom that answers");
                room.stop();
                status.set(doc("one", 2));
                pusher.changed();
                Thread.sleep(1000);
                assertFalse(memory.remembered(), "gone: not waited for at the next quit");
            }
        }
    }

    @Test
    void refusalsAreQuietAndRetried() throws Exception {
        for (int code : new int[] {429, 403, 500}) {
            try (RoomDouble room = new RoomDouble()) {
                room.answer.set(code);
                try (ClassroomPusher pusher = pusher(room, Duration.ofMillis(300)).start()) {
                    JsonNode first = room.next(5000);
                    assertEquals("change", first.get("event").asText());
                    JsonNode again = room.next(3000);
                    assertNotNull(again, code + ": tried again with the next heartbeat");
                    assertEquals("change", again.get("event").asText(), code + ": not accepted, so still a change");
                    room.answer.set(204);
                    JsonNode accepted = room.next(3000);
                    assertEquals("change", accepted.get("event").asText());
                    JsonNode beat = room.next(3000);
                    assertEquals("heartbeat", beat.get("event").asText(), code + ": accepted now, so a heartbeat");
                }
            }
        }
    }

    @Test
    void noLeftIsSentToAServerThatRefusedTheLastPush() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            room.answer.set(403);
            ClassroomPusher pusher = pusher(room, Duration.ofMinutes(1)).start();
            assertNotNull(room.next(5000));
            Thread.sleep(200);
            pusher.close();
            assertNull(room.next(500), "a refused learner does not say goodbye");
        }
    }

    @Test
    void aStatusThatCannotBeMadeIsSkippedUntilTheNextChange() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            status.set(null);
            try (ClassroomPusher pusher = pusher(room, Duration.ofMinutes(1)).start()) {
                assertNull(room.next(500), "nothing to show yet");
                status.set(doc("one", 0));
                pusher.changed();
                assertEquals("change", room.next(5000).get("event").asText());
            }
        }
    }

    @Test
    void aLongNameIsCutToTheProtocolsLimitByCharacters() {
        String name = "名".repeat(70);
        assertEquals("名".repeat(64), ClassroomPusher.cut(name));
        assertEquals("😀".repeat(64), ClassroomPusher.cut("😀".repeat(65)), "not inside a surrogate pair");
        assertEquals("Aiko", ClassroomPusher.cut("Aiko"));
    }
}
