package io.packlab.workshop;

import io.packlab.engine.ContainerSpec;
import io.packlab.engine.Engine;
import io.packlab.error.PacklabException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Can the engine start a container at all? doctor's look: one container of a Debian image that is
 * already in the engine runs {@code true} and is removed. It is the only reliable test of faults that
 * show only when a container starts (Podman's resource limits above what its process may set, a
 * broken OCI runtime); the engine's configuration is not readable through the API. Nothing is
 * pulled: without a Debian image in the engine there is nothing to try.
 */
public final class StartProbe {

    /** How the try went: {@code image} tried (null: none there), {@code failure} its paragraph (null: it started). */
    public record Outcome(String image, PacklabException failure, long millis) {

        public boolean tried() {
            return image != null;
        }
    }

    private StartProbe() {
    }

    /** Tries the first of {@code candidates} (then the usual Debian names) that the engine has. */
    public static Outcome run(Engine engine, List<String> candidates) {
        Set<String> names = new LinkedHashSet<>(candidates);
        names.addAll(List.of("debian:bookworm-slim", "debian:bookworm", "debian:stable-slim", "debian:latest"));
        Optional<String> image = names.stream().filter(n -> engine.inspectImage(n).isPresent()).findFirst();
        if (image.isEmpty()) {
            return new Outcome(null, null, 0);
        }
        long start = System.nanoTime();
        String id = null;
        try {
            id = engine.createContainer(new ContainerSpec(image.get(), null, null, Map.of(),
                    Map.of(Engine.LESSON_LABEL, "doctor"), List.of("true"), List.of(), null, Map.of(), Map.of()));
            engine.startContainer(id);
            int code = engine.waitContainer(id);
            if (code != 0) {
                return new Outcome(image.get(), PacklabException.failed("a container of " + image.get() + " started,"
                        + " but `true` in it ended with exit code " + code + ": " + engine.logs(id).strip()), 0);
            }
            return new Outcome(image.get(), null, (System.nanoTime() - start) / 1_000_000);
        } catch (PacklabException e) {
            return new Outcome(image.get(), e, 0);
        } finally {
            if (id != null) {
                try {
                    engine.removeContainer(id);
                } catch (PacklabException e) {
                    // the engine failed the start already; its own message above says what to do
                }
            }
        }
    }
}
