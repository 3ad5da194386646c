package io.packlab.step;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.packlab.engine.Created;
import io.packlab.engine.ImageSnapshot;

/**
 * The state one step (or the learner's typed lines) runs in: the work folder, the current folder
 * ({@code cd} moves it), the lesson whose label new resources carry, and what was created.
 */
public final class StepContext {

    private final Path workdir;
    private final String lessonId;
    private final Map<String, String> env;
    private final List<Created> created = new ArrayList<>();
    private final Snapshots snapshots;
    private Path cwd;

    /** Where the {@code snapshot} step keeps what it records, for checks to compare with later. */
    public interface Snapshots {
        void put(String name, ImageSnapshot snapshot);

        Optional<ImageSnapshot> get(String name);

        static Snapshots inMemory() {
            Map<String, ImageSnapshot> map = new java.util.HashMap<>();
            return new Snapshots() {
                @Override
                public void put(String name, ImageSnapshot snapshot) {
                    map.put(name, snapshot);
                }

                @Override
                public Optional<ImageSnapshot> get(String name) {
                    return Optional.ofNullable(map.get(name));
                }
            };
        }
    }

    public StepContext(Path workdir, Path cwd, String lessonId, Map<String, String> env) {
        this(workdir, cwd, lessonId, env, Snapshots.inMemory());
    }

    public StepContext(Path workdir, Path cwd, String lessonId, Map<String, String> env, Snapshots snapshots) {
        this.workdir = workdir.toAbsolutePath().normalize();
        this.cwd = cwd.toAbsolutePath().normalize();
        this.lessonId = lessonId;
        this.env = Map.copyOf(env);
        this.snapshots = snapshots;
    }

    public Snapshots snapshots() {
        return snapshots;
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

    void created(Created resource) {
        created.add(resource);
    }

    /** What the commands run so far created in the engine (images by ID with their tags, volumes, ...). */
    public List<Created> created() {
        return List.copyOf(created);
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
