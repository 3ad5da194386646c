package io.packlab.classroom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The status document ({@code status --json}, format 1) as it is shown in a classroom: the same keys,
 * but no path outside the work folder. {@code workdir} (an absolute path, which names the learner's
 * home and account) becomes {@code "."}; in the texts (failures, checks, hints) the work folder's path
 * becomes {@code .} and the learner's home {@code ~}; a text longer than {@link #MAX_TEXT} characters is
 * cut, so that a document stays far below the server's 64 KiB.
 */
public final class RoomDocument {

    static final int MAX_TEXT = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RoomDocument() {
    }

    /** The room's copy of {@code statusJson}, a document of the work folder {@code workdir}. */
    public static JsonNode of(String statusJson, Path workdir, String userHome) {
        JsonNode doc;
        try {
            doc = JSON.readTree(statusJson);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        if (!(doc instanceof ObjectNode top)) {
            throw new IllegalArgumentException("not a status document");
        }
        String work = workdir.toAbsolutePath().normalize().toString();
        String home = userHome == null || userHome.isBlank() || userHome.equals("/") ? null
                : Path.of(userHome).toAbsolutePath().normalize().toString();
        if (top.has("workdir")) {
            top.put("workdir", ".");
        }
        clean(top, work, home);
        return top;
    }

    private static void clean(JsonNode node, String work, String home) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual()) {
                    e.setValue(new TextNode(text(e.getValue().asText(), work, home)));
                } else {
                    clean(e.getValue(), work, home);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> clean(n, work, home));
        }
    }

    /** A folder's path where it stands as a whole name (not the start of a longer one). */
    private static String folder(String path) {
        return java.util.regex.Pattern.quote(path) + "(?![^/\\s'\"`),;:])";
    }

    static String text(String s, String work, String home) {
        String out = work.equals("/") ? s : s.replaceAll(folder(work), ".");
        if (home != null) {
            out = out.replaceAll(folder(home), "~");
        }
        return out.length() <= MAX_TEXT ? out : out.substring(0, MAX_TEXT - 1) + "…";
    }
}
