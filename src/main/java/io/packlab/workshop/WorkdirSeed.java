package io.packlab.workshop;

import io.packlab.error.IoReasons;
import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Gives a separate work folder the tutorial material it lacks; nothing there is overwritten. */
final class WorkdirSeed {

    private WorkdirSeed() {
    }

    /** Copies what the work folder lacks of {@link Settings#MATERIAL} from packlab's folder (nothing when they are one). */
    static void seed(Settings settings) {
        if (settings.workdir().equals(settings.home())) {
            return;
        }
        try {
            Files.createDirectories(settings.workdir());
            for (String name : Settings.MATERIAL) {
                Path from = settings.home().resolve(name);
                if (Files.exists(from)) {
                    copyMissing(from, settings.workdir().resolve(name));
                }
            }
        } catch (IOException e) {
            throw PacklabException.usage("cannot prepare the work folder " + settings.workdir() + ": "
                    + IoReasons.of(e, settings.workdir()) + ". Choose a folder you can write with"
                    + " --workdir (packlab makes it, and its parents, when they do not exist).");
        }
    }

    private static void copyMissing(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                if (!Files.exists(target)) {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
