package io.packlab.workshop;

import io.packlab.engine.Engine;
import io.packlab.engine.EngineUnavailableException;
import io.packlab.error.PacklabException;
import io.packlab.term.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The containers an interrupted step left in an engine that stopped answering, noted by ID in
 * {@code .packlab/leftovers}, so that they are removed once the engine answers again (in this process
 * or the next).
 */
final class Leftovers {

    private final Path file;
    private final Console console;

    Leftovers(Path file, Console console) {
        this.file = file;
        this.console = console;
    }

    /** The note beside the progress file of these settings. */
    static Leftovers of(Settings settings, Console console) {
        return new Leftovers(settings.progressFile().resolveSibling("leftovers"), console);
    }

    /** Notes the containers the engine failure names, beside those noted before (written whole or not at all). */
    void remember(EngineUnavailableException e) {
        if (e.leftovers().isEmpty()) {
            return;
        }
        try {
            Set<String> ids = new TreeSet<>(e.leftovers());
            if (Files.exists(file)) {
                ids.addAll(Files.readAllLines(file));
            }
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "leftovers", ".tmp");
            Files.write(temp, ids);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException io) {
            console.warn("could not note the containers left in the engine (" + io.getMessage() + "): remove them"
                    + " with `docker rm -f " + String.join(" ", e.leftovers()) + "` once the engine is back.");
        }
    }

    /** Removes the noted containers from {@code engine}, if it answers, and says so; quietly keeps them noted if not. */
    void removeFrom(Engine engine) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            List<String> ids = Files.readAllLines(file).stream().map(String::strip)
                    .filter(id -> id.matches("[0-9a-f]{12,64}")).toList();
            for (String id : ids) {
                engine.removeContainer(id);
            }
            Files.deleteIfExists(file);
            if (!ids.isEmpty()) {
                console.note("removed " + (ids.size() == 1 ? "the container" : "the " + ids.size() + " containers")
                        + " that an interrupted step left when the Docker engine stopped");
            }
        } catch (IOException | PacklabException e) {
            // the engine is still away (or the note unreadable): try again next time
        }
    }
}
