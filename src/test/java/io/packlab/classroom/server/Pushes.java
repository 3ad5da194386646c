package io.packlab.classroom.server;

/** Push bodies as a learner's packlab sends them (protocol 1), for the classroom's tests. */
final class Pushes {

    private Pushes() {
    }

    /** A learner on lesson {@code number} of {@code total}, with {@code failures} failures of {@code check} on it. */
    static String change(String learner, String name, int seq, int number, int total, int failures, String check,
            String hint, String startedAt) {
        StringBuilder lessons = new StringBuilder();
        for (int i = 1; i <= total; i++) {
            boolean current = i == number;
            lessons.append(i == 1 ? "" : ",").append("{\"number\":").append(i).append(",\"id\":\"l").append(i)
                    .append("\",\"title\":\"Lesson ").append(i).append("\",\"status\":\"")
                    .append(i < number ? "done" : current ? "current" : "todo").append("\",\"failures\":")
                    .append(current ? failures : 0).append(",\"lastFailure\":")
                    .append(current && failures > 0 ? quote(check + ": not found") : "null")
                    .append(",\"failingCheck\":").append(current && failures > 0 ? quote(check) : "null")
                    .append(",\"hint\":").append(current && failures > 0 && hint != null ? quote(hint) : "null")
                    .append('}');
        }
        return "{\"protocol\":1,\"learner\":" + quote(learner) + ",\"name\":" + quote(name) + ",\"seq\":" + seq
                + ",\"event\":\"change\",\"status\":{\"format\":1,\"packlab\":\"0.1.0\",\"workdir\":\"/w\",\"lang\":\"en\","
                + "\"current\":\"l" + number + "\",\"done\":" + (number - 1) + ",\"total\":" + total
                + ",\"lessonStartedAt\":" + (startedAt == null ? "null" : quote(startedAt)) + ",\"lessons\":[" + lessons
                + "]}}";
    }

    static String change(String learner, String name, int seq, int number, int failures) {
        return change(learner, name, seq, number, 7, failures, "image app exists", "build it first", null);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
