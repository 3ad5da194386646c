package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.classroom.RoomDouble;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher with {@code --classroom}: {@code run} of a lesson of its own (file checks, no image)
 * shows the learner on a test double of the classroom server, and a classroom that does not answer does
 * not keep packlab from ending.
 */
class ClassroomLearnerIT {

    @TempDir
    Path work;
    @TempDir
    Path lessons;

    @BeforeEach
    void lesson() throws Exception {
        Files.writeString(lessons.resolve("01-files.md"), """
                # Files

                ```sh
                touch made.txt
                ```

                ```check
                file made.txt exists
                file other.txt exists # hint: make other.txt too
                ```
                """);
        Files.writeString(lessons.resolve("02-more.md"), """
                # More

                ```check
                file more.txt exists
                ```
                """);
    }

    private String[] args(String... tail) {
        return Launcher.cat(new String[] {"--workdir", work.toString(), "--lessons", lessons.toString()}, tail);
    }

    /** Every push until {@code left}, or until none came for 3 s. */
    private static List<JsonNode> pushesUntilLeft(RoomDouble room) throws InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p = room.next(3000); p != null; p = room.next(3000)) {
            all.add(p);
            if (p.get("event").asText().equals("left")) {
                break;
            }
        }
        return all;
    }

    private static JsonNode lastStatus(List<JsonNode> pushes) {
        JsonNode last = null;
        for (JsonNode p : pushes) {
            if (p.has("status")) {
                last = p.get("status");
            }
        }
        return last;
    }

    @Test
    void runShowsTheLearnerItsFailingCheckAndHintThenItsPass() throws Exception {
        try (RoomDouble room = new RoomDouble()) {
            // as a learner starts a workshop: doctor first, which also tells the work folder that the classroom
            // answers (so that a quick command waits for its first push to arrive)
            Launcher.Result d = Launcher.run(Map.of(), args("--classroom", room.join().toString(), "--name", "x",
                    "doctor"));
            assertTrue(d.out().contains(" answers (HTTP 200, protocol 1): your progress shows there as x"), d.all());
            assertNull(room.next(500), "doctor only looks: it pushes nothing");

            Launcher.Result r = Launcher.run(Map.of(), args("--classroom", room.join().toString(), "--name",
                    "<img src=x onerror=alert(1)>", "run", "1"));
            assertEquals(1, r.code(), r.all());
            assertTrue(r.out().contains("✘ file other.txt exists"), r.all());
            List<JsonNode> pushes = pushesUntilLeft(room);
            assertFalse(pushes.isEmpty(), "the server was told");
            assertEquals("left", pushes.get(pushes.size() - 1).get("event").asText(), "left last: " + pushes);
            assertEquals("change", pushes.get(0).get("event").asText());
            String learner = Files.readString(work.resolve(".packlab/classroom-learner")).strip();
            for (JsonNode p : pushes) {
                assertEquals(1, p.get("protocol").asInt());
                assertEquals(learner, p.get("learner").asText());
                assertEquals("<img src=x onerror=alert(1)>", p.get("name").asText());
                assertFalse(p.toString().contains(work.toString()), "no path outside the work folder: " + p);
            }
            JsonNode status = lastStatus(pushes);
            assertEquals(1, status.get("format").asInt());
            assertEquals(".", status.get("workdir").asText());
            assertEquals("files", status.get("current").asText());
            assertTrue(status.get("lessonStartedAt").asText().endsWith("Z"), status.toString());
            JsonNode files = status.get("lessons").get(0);
            assertEquals(1, files.get("failures").asInt());
            assertEquals("file other.txt exists", files.get("failingCheck").asText());
            assertEquals("make other.txt too", files.get("hint").asText());

            Files.writeString(work.resolve("other.txt"), "");
            r = Launcher.run(Map.of("PACKLAB_CLASSROOM", room.join().toString(), "PACKLAB_NAME", "Aiko"),
                    args("run", "1"));
            assertEquals(0, r.code(), r.all());
            pushes = pushesUntilLeft(room);
            assertEquals("Aiko", pushes.get(0).get("name").asText(), "from the environment");
            assertEquals(learner, pushes.get(0).get("learner").asText(), "a restarted packlab is the same learner");
            files = lastStatus(pushes).get("lessons").get(0);
            assertEquals("done", files.get("status").asText(), lastStatus(pushes).toString());
            assertTrue(files.get("failingCheck").isNull());
            assertEquals(1, lastStatus(pushes).get("done").asInt());

            Files.writeString(work.resolve("packlab.toml"), "[classroom]\nurl = \"" + room.join() + "\"\nname = \"T\"\n");
            r = Launcher.run(Map.of(), args("check", "2"));
            assertEquals(1, r.code(), r.all());
            pushes = pushesUntilLeft(room);
            assertEquals("T", pushes.get(0).get("name").asText(), "from packlab.toml");
            assertEquals("file more.txt exists", lastStatus(pushes).get("lessons").get(1).get("failingCheck").asText());

            r = Launcher.run(Map.of(), args("status", "--json"));
            assertEquals(0, r.code(), r.all());
            assertNull(room.next(1500), "status only reads: it shows nothing in the classroom");
        }
    }

    private static void assertNull(Object o, String why) {
        assertTrue(o == null, why + ": " + o);
    }

    private double seconds(Map<String, String> env, String... args) throws Exception {
        long t0 = System.nanoTime();
        Launcher.Result r = Launcher.run(env, args);
        double s = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, r.code(), r.all());
        return s;
    }

    /**
     * A classroom that takes connections and never answers, and one whose connections are never taken: `run`
     * ends as soon as without a classroom.
     */
    @Test
    void aClassroomThatDoesNotAnswerDoesNotKeepRunFromEnding() throws Exception {
        try (RoomDouble silent = new RoomDouble();
                ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            silent.hold = new CountDownLatch(1);
            // a listener whose one-place backlog is filled and never accepted: connections hang unanswered
            List<Socket> filling = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
                } catch (java.io.IOException e) {
                    // the backlog is full: what we wanted
                }
                filling.add(s);
            }
            String blackhole = "http://127.0.0.1:" + full.getLocalPort() + "/join/" + RoomDouble.CODE;
            seconds(Map.of(), args("run", "1")); // warm the file cache
            List<Double> without = new ArrayList<>();
            List<Double> unanswered = new ArrayList<>();
            List<Double> unconnected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                without.add(seconds(Map.of(), args("run", "1")));
                unanswered.add(seconds(Map.of(), args("--classroom", silent.join().toString(), "--name", "S", "run", "1")));
                unconnected.add(seconds(Map.of(), args("--classroom", blackhole, "--name", "S", "run", "1")));
            }
            System.out.printf("run 1: without a classroom %s s, never answering %s s, never connecting %s s%n",
                    without, unanswered, unconnected);
            // pairwise (each run next to its own run without a classroom), on a shared and noisy machine: a
            // classroom never reached is not waited for (not the 2 s timeouts, not the 1 s of the first push)
            assertTrue(median(differences(unanswered, without)) < 0.4, "never answering: " + unanswered + " vs " + without);
            assertTrue(median(differences(unconnected, without)) < 0.4, "never connecting: " + unconnected + " vs "
                    + without);
            for (Socket s : filling) {
                s.close();
            }
        }
    }

    private static List<Double> differences(List<Double> a, List<Double> b) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            d.add(a.get(i) - b.get(i));
        }
        return d;
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
