package io.packlab.classroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PushTest {

    private static Push parse(String s) throws Push.Refused {
        return Push.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aChangeIsReadWithItsCurrentLesson() throws Exception {
        Push p = parse(Pushes.change("abcdefghijklmnop", "Aiko", 3, 2, 1));
        assertEquals(Push.Event.CHANGE, p.event());
        assertEquals("l2", p.status().current());
        assertEquals("image app exists", p.status().currentLesson().failingCheck());
    }

    @Test
    void whatIsNotTheProtocolIsRefusedSayingWhy() {
        String ok = Pushes.change("abcdefghijklmnop", "A", 1, 1, 0);
        assertEquals("the body is not JSON", assertThrows(Push.Refused.class, () -> parse("{nope")).getMessage());
        assertEquals("learner must be 16-64 characters of A-Z a-z 0-9 _ -",
                assertThrows(Push.Refused.class, () -> parse(ok.replace("abcdefghijklmnop", "short"))).getMessage());
        assertEquals("seq must be a whole number",
                assertThrows(Push.Refused.class, () -> parse(ok.replace("\"seq\":1", "\"seq\":\"1\""))).getMessage());
        assertEquals("event must be change, heartbeat or left",
                assertThrows(Push.Refused.class, () -> parse(ok.replace("\"change\"", "\"boom\""))).getMessage());
        assertEquals("protocol must be 1",
                assertThrows(Push.Refused.class, () -> parse(ok.replace("\"protocol\":1", "\"protocol\":2"))).getMessage());
        assertEquals("failures must be a whole number",
                assertThrows(Push.Refused.class, () -> parse(ok.replace("\"failures\":0", "\"failures\":null"))).getMessage());
        assertEquals("status is missing", assertThrows(Push.Refused.class, () -> parse(
                "{\"protocol\":1,\"learner\":\"abcdefghijklmnop\",\"name\":\"A\",\"seq\":1,\"event\":\"change\"}")).getMessage());
    }

    @Test
    void longNamesAndTextsAreCut() throws Exception {
        Push p = parse(Pushes.change("abcdefghijklmnop", "名".repeat(100), 1, 1, 7, 1, "c".repeat(2000), null, null));
        assertEquals(65, p.name().codePointCount(0, p.name().length()));
        assertEquals(Push.LONGEST_TEXT + 1, p.status().currentLesson().failingCheck().length());
    }
}
