package io.packlab.step;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The state one step (or the learner's typed lines) runs in: the work folder, the current folder
 * ({@code cd} moves it), the lesson whose label new resources carry, and what was created.
 */
public final class StepContext {

    private final Path workdir;
    private final String lessonId;
    private final Map<String, String> env;
    private final List<String> createdImages = new ArrayList<>();
    private Path cwd;

    public StepContext(Path workdir, Path cwd, String lessonId, Map<String, String> env) {
        this.workdir = workdir.toAbsolutePath().normalize();
        this.cwd = cwd.toAbsolutePath().normalize();
        this.lessonId = lessonId;
        this.env = Map.copyOf(env);
    }

    public Path workdir() {
        return workdir;
    }

    public Path cwd() {
        return cwd;
    }

    void cd(Path dir) {
        this.cwd = dir.toAbsolutePath().normalize();
    }

    public String lessonId() {
        return lessonId;
    }

    public Map<String, String> env() {
        return env;
    }

    void created(List<String> images) {
        createdImages.addAll(images);
    }

    /** Images (tags) the commands run so far have made. */
    public List<String> createdImages() {
        return List.copyOf(createdImages);
    }

    /** The current folder as the learner sees it, relative to the work folder. */
    public String displayCwd() {
        if (cwd.startsWith(workdir)) {
            String rel = workdir.relativize(cwd).toString();
            return rel.isEmpty() ? "." : rel;
        }
        return cwd.toString();
    }
}
