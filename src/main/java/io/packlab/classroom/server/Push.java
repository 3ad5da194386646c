package io.packlab.classroom.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One push of a learner (protocol 1): who, the event, and the part of its {@code status --json} document
 * the room shows. Built only by {@link #parse}, which refuses (as {@link Refused}, answered 400) anything
 * that is not JSON or has a key missing or of the wrong type.
 */
record Push(String learner, String name, long seq, Event event, Status status) {

    /** The most characters of a learner's text the room keeps (a lesson title, a check, a hint). */
    static final int LONGEST_TEXT = 500;
    static final int LONGEST_NAME = 64;
    private static final Pattern LEARNER = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Event { CHANGE, HEARTBEAT, LEFT }

    /** What the room shows of a status document: the current lesson, and every lesson's failures. */
    record Status(String current, int total, int done, String lessonStartedAt, List<Lesson> lessons) {

        /** The current lesson's entry, or null when the document does not list it. */
        Lesson currentLesson() {
            return lessons.stream().filter(l -> l.id().equals(current)).findFirst().orElse(null);
        }
    }

    /** One lesson entry of the status document. */
    record Lesson(int number, String id, String title, String status, int failures, String lastFailure,
            String failingCheck, String hint) {
    }

    /** A push the server answers with 400, and why. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String why) {
            super(why);
        }
    }

    static Push parse(byte[] body) throws Refused {
        JsonNode doc;
        try {
            doc = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Refused("the body is not JSON");
        } catch (java.io.IOException e) {
            throw new Refused("the body could not be read");
        }
        if (doc == null || !doc.isObject()) {
            throw new Refused("the body is not a JSON object");
        }
        if (!doc.path("protocol").isInt() || doc.get("protocol").intValue() != 1) {
            throw new Refused("protocol must be 1");
        }
        String learner = text(doc, "learner", false);
        if (!LEARNER.matcher(learner).matches()) {
            throw new Refused("learner must be 16-64 characters of A-Z a-z 0-9 _ -");
        }
        String name = cut(text(doc, "name", false), LONGEST_NAME);
        if (!doc.path("seq").isIntegralNumber()) {
            throw new Refused("seq must be a whole number");
        }
        Event event = switch (text(doc, "event", false)) {
            case "change" -> Event.CHANGE;
            case "heartbeat" -> Event.HEARTBEAT;
            case "left" -> Event.LEFT;
            default -> throw new Refused("event must be change, heartbeat or left");
        };
        JsonNode status = doc.get("status");
        if (status == null || status.isNull()) {
            if (event != Event.LEFT) {
                throw new Refused("status is missing");
            }
            return new Push(learner, name, doc.get("seq").longValue(), event, null);
        }
        return new Push(learner, name, doc.get("seq").longValue(), event, status(status));
    }

    private static Status status(JsonNode s) throws Refused {
        if (!s.isObject()) {
            throw new Refused("status must be an object");
        }
        String current = text(s, "current", false);
        int total = number(s, "total");
        int done = number(s, "done");
        String started = text(s, "lessonStartedAt", true);
        JsonNode list = s.get("lessons");
        if (list == null || !list.isArray()) {
            throw new Refused("status.lessons must be a list");
        }
        if (list.size() > 200) {
            throw new Refused("status.lessons has more than 200 lessons");
        }
        List<Lesson> lessons = new ArrayList<>();
        for (JsonNode l : list) {
            if (!l.isObject()) {
                throw new Refused("status.lessons holds something that is not an object");
            }
            lessons.add(new Lesson(number(l, "number"), text(l, "id", false), text(l, "title", false),
                    text(l, "status", false), number(l, "failures"), text(l, "lastFailure", true),
                    text(l, "failingCheck", true), text(l, "hint", true)));
        }
        return new Status(current, total, done, started, List.copyOf(lessons));
    }

    /** A string key, cut to {@link #LONGEST_TEXT}; null only when {@code nullable} and absent or null. */
    private static String text(JsonNode o, String key, boolean nullable) throws Refused {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            if (nullable) {
                return null;
            }
            throw new Refused(key + " is missing");
        }
        if (!v.isTextual()) {
            throw new Refused(key + " must be a string");
        }
        return cut(v.textValue(), LONGEST_TEXT);
    }

    private static int number(JsonNode o, String key) throws Refused {
        JsonNode v = o.get(key);
        if (v == null || !v.isInt()) {
            throw new Refused(key + " must be a whole number");
        }
        return v.intValue();
    }

    /** At most {@code max} code points, whole ones. */
    static String cut(String s, int max) {
        return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max)) + "…";
    }
}
