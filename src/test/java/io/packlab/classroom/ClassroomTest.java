package io.packlab.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.error.PacklabException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classroom's settings (flag > environment > packlab.toml), the learner's id, and the room's document. */
class ClassroomTest {

    private static final String CODE = "abcdefghijklmnopqrstuvwxyz";
    private static final String URL = "http://192.168.1.10:8800/join/" + CODE;

    @TempDir
    Path dir;

    private ClassroomToml toml(String text) throws Exception {
        Path file = dir.resolve("packlab.toml");
        Files.writeString(file, text);
        return ClassroomToml.load(file);
    }

    private static Optional<Classroom> resolve(String url, String name, Map<String, String> env, ClassroomToml toml) {
        return Classroom.resolve(url, name, env, toml);
    }

    @Test
    void flagsComeBeforeTheEnvironmentWhichComesBeforePacklabToml() throws Exception {
        ClassroomToml toml = toml("""
                [bases]
                mode = "auto"

                [classroom]
                url = "http://10.0.0.1:9000/join/%s"
                name = "From Toml"
                """.formatted("t".repeat(26)));
        Map<String, String> env = Map.of("PACKLAB_CLASSROOM", "https://room.local:8443/join/" + "e".repeat(26),
                "PACKLAB_NAME", "From Env");

        assertEquals(new Classroom(URI.create("http://10.0.0.1:9000/join/" + "t".repeat(26)), "From Toml"),
                resolve(null, null, Map.of(), toml).orElseThrow());
        assertEquals(new Classroom(URI.create("https://room.local:8443/join/" + "e".repeat(26)), "From Env"),
                resolve(null, null, env, toml).orElseThrow());
        assertEquals(new Classroom(URI.create(URL), "Flag"), resolve(URL, "Flag", env, toml).orElseThrow());
        assertEquals(new Classroom(URI.create(URL), "From Env"), resolve(URL, null, env, toml).orElseThrow(),
                "each setting on its own");
        assertEquals(new Classroom(URI.create(URL), "From Toml"), resolve(URL, null, Map.of(), toml).orElseThrow());
        assertEquals(Optional.empty(), resolve(null, "Only A Name", Map.of(), ClassroomToml.none()),
                "a name without a classroom shows nowhere");
        assertEquals(Optional.empty(), resolve(null, null, Map.of("PACKLAB_CLASSROOM", ""), ClassroomToml.none()),
                "an empty variable is no classroom");
        assertEquals(URI.create("http://[::1]:8800/join/" + CODE),
                resolve("  HTTP://[::1]:8800/join/" + CODE + " ", "x", Map.of(), ClassroomToml.none()).orElseThrow().join());
    }

    @Test
    void urlsOfAnotherFormAreRefusedWithWhatToDo() {
        String[] bad = {
            "192.168.1.10:8800/join/" + CODE, // no scheme
            "ftp://192.168.1.10:8800/join/" + CODE,
            "http://192.168.1.10/join/" + CODE, // no port
            "http://192.168.1.10:8800/" + CODE,
            "http://192.168.1.10:8800/join/" + CODE.substring(1), // 25 characters: cut when copied
            "http://192.168.1.10:8800/join/" + CODE.toUpperCase(),
            "http://192.168.1.10:8800/join/" + CODE + "/",
            "http://192.168.1.10:8800/join/" + CODE + "?x=1",
            "http://user@192.168.1.10:8800/join/" + CODE,
            "http://192.168.1.10:8800/room/" + CODE + "/",
            "http://192.168.1.10:99999/join/" + CODE,
            "http://bad host:8800/join/" + CODE,
            "",
        };
        for (String url : bad) {
            PacklabException e = assertThrows(PacklabException.class,
                    () -> resolve(url, "Aiko", Map.of(), ClassroomToml.none()), url);
            assertEquals(2, e.exitCode(), url);
            assertTrue(e.getMessage().startsWith("the classroom URL `"), e.getMessage());
            assertTrue(e.getMessage().contains("(--classroom) cannot be used: "), e.getMessage());
            assertTrue(e.getMessage().contains("Copy it exactly as the instructor's `packlab classroom serve` prints it"),
                    e.getMessage());
        }
        PacklabException e = assertThrows(PacklabException.class, () -> resolve(null, "Aiko",
                Map.of("PACKLAB_CLASSROOM", "http://x:1/join/short"), ClassroomToml.none()));
        assertTrue(e.getMessage().contains("(PACKLAB_CLASSROOM)"), e.getMessage());
        assertTrue(e.getMessage().contains("its path is not /join/ followed by the 26-character code"), e.getMessage());
    }

    @Test
    void aMissingBlankTooLongOrUnprintableNameIsRefused() {
        PacklabException missing = assertThrows(PacklabException.class,
                () -> resolve(URL, null, Map.of(), ClassroomToml.none()));
        assertEquals(2, missing.exitCode());
        assertTrue(missing.getMessage().contains("no name to show there. Give your name with --name NAME"),
                missing.getMessage());
        assertEquals(2, assertThrows(PacklabException.class,
                () -> resolve(URL, "   ", Map.of(), ClassroomToml.none())).exitCode());
        PacklabException tooLong = assertThrows(PacklabException.class,
                () -> resolve(URL, "x".repeat(65), Map.of(), ClassroomToml.none()));
        assertTrue(tooLong.getMessage().contains("is 65 characters long; a classroom takes at most 64"),
                tooLong.getMessage());
        assertEquals("名".repeat(64), resolve(URL, "名".repeat(64), Map.of(), ClassroomToml.none()).orElseThrow().name(),
                "64 characters, whatever their bytes");
        assertThrows(PacklabException.class, () -> resolve(URL, "Aiko\u001b[31m", Map.of(), ClassroomToml.none()));
        assertEquals("<img src=x onerror=alert(1)>", resolve(URL, "<img src=x onerror=alert(1)>", Map.of(),
                ClassroomToml.none()).orElseThrow().name(), "markup is the page's to escape, not a reason to refuse");
    }

    @Test
    void packlabTomlMistakesNameTheirLine() throws Exception {
        PacklabException e = assertThrows(PacklabException.class, () -> resolve(null, null, Map.of(), toml("""
                [classroom]
                url = 8800
                """)));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().endsWith("packlab.toml:2: `classroom.url` must be a string (in double quotes)."),
                e.getMessage());
        e = assertThrows(PacklabException.class, () -> resolve(null, null, Map.of(), toml("""
                [classroom]
                url = "http://x:1/join/abc"
                name = "Aiko"
                """)));
        assertTrue(e.getMessage().contains("(" + dir.resolve("packlab.toml") + ":2) cannot be used"), e.getMessage());
        e = assertThrows(PacklabException.class, () -> toml("classroom = \"http://x\"\n"));
        assertTrue(e.getMessage().contains("`classroom` must be a table"), e.getMessage());
        assertEquals(ClassroomToml.none(), ClassroomToml.load(dir.resolve("absent.toml")));
    }

    @Test
    void theLearnerIdIsKeptInTheWorkFolder() throws Exception {
        String id = LearnerId.of(dir);
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
        assertEquals(id, LearnerId.of(dir), "a restarted packlab is the same learner");
        assertEquals(id, Files.readString(dir.resolve(".packlab/classroom-learner")).strip());
        try (var files = Files.list(dir.resolve(".packlab"))) {
            assertEquals(1, files.count(), "no temporary file left");
        }
        Files.writeString(dir.resolve(".packlab/classroom-learner"), "not an id!\n");
        String fresh = LearnerId.of(dir);
        assertTrue(fresh.matches("[A-Za-z0-9_-]{22}") && !fresh.equals(id), fresh);
        assertEquals(fresh, LearnerId.of(dir), "a damaged file is replaced");
        assertTrue(!LearnerId.of(Files.createDirectory(dir.resolve("other"))).equals(fresh), "another folder, another learner");
    }

    @Test
    void theRoomSeesNoPathOutsideTheWorkFolder() {
        String status = """
                {"format":1,"packlab":"1.0","workdir":"/home/aiko/packlab","lang":"en","current":"build",
                 "lessons":[{"number":1,"id":"build","title":"Build","status":"current","failures":2,
                   "lastFailure":"step 1: cannot read /home/aiko/packlab/sample-app/app.py and /home/aiko/.ssh/x",
                   "failingCheck":"file /home/aiko/packlab2/x exists","hint":"%s"}],
                 "lessonStartedAt":null}
                """.formatted("h".repeat(3000));
        JsonNode room = RoomDocument.of(status, Path.of("/home/aiko/packlab"), "/home/aiko");
        assertEquals(".", room.get("workdir").asText());
        JsonNode lesson = room.get("lessons").get(0);
        assertEquals("step 1: cannot read ./sample-app/app.py and ~/.ssh/x", lesson.get("lastFailure").asText());
        assertEquals("file ~/packlab2/x exists", lesson.get("failingCheck").asText(), "not the work folder: a longer name");
        assertEquals(RoomDocument.MAX_TEXT, lesson.get("hint").asText().length());
        assertEquals(2, lesson.get("failures").asInt(), "numbers stay");
        assertTrue(room.get("lessonStartedAt").isNull());
        java.util.List<String> keys = new java.util.ArrayList<>();
        room.fieldNames().forEachRemaining(keys::add);
        assertEquals(java.util.List.of("format", "packlab", "workdir", "lang", "current", "lessons", "lessonStartedAt"),
                keys, "the same keys in the same order");
    }
}
