package io.packlab.progress;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** What packlab knows about one lesson: the images its steps made, and the last failure. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LessonState(List<String> images, String lastFailure, int failures) {

    public LessonState {
        images = images == null ? List.of() : List.copyOf(images);
    }

    public static LessonState empty() {
        return new LessonState(List.of(), null, 0);
    }

    public LessonState withImages(List<String> more) {
        LinkedHashSet<String> all = new LinkedHashSet<>(images);
        all.addAll(more);
        return new LessonState(new ArrayList<>(all), lastFailure, failures);
    }

    public LessonState withFailure(String reason) {
        return new LessonState(images, reason, failures + 1);
    }

    public LessonState passed() {
        return new LessonState(images, null, 0);
    }
}
