package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkdirSeedTest {

    @TempDir
    Path tmp;

    private Path home() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve("stacks/distroless-python/run"));
        Files.writeString(home.resolve("stacks/distroless-python/run/Dockerfile"), "FROM base\n");
        Files.writeString(home.resolve("packlab.toml"), "[bases]\n");
        Files.createDirectories(home.resolve("src"));
        Files.writeString(home.resolve("src/Main.java"), "class Main {}");
        return home;
    }

    @Test
    void aNewWorkFolderReceivesTheMaterialAndOnlyIt() throws Exception {
        Path home = home();
        Path work = tmp.resolve("a/b/work");
        WorkdirSeed.seed(WorkshopParts.settings(home, work));
        assertEquals("FROM base\n", Files.readString(work.resolve("stacks/distroless-python/run/Dockerfile")));
        assertEquals("[bases]\n", Files.readString(work.resolve("packlab.toml")));
        assertFalse(Files.exists(work.resolve("src")), "packlab's sources are not material");
        assertFalse(Files.exists(work.resolve("buildpacks")), "material packlab lacks is not made up");
    }

    @Test
    void whatTheLearnerChangedIsKeptAndWhatIsMissingComesBack() throws Exception {
        Path home = home();
        Path work = tmp.resolve("work");
        Files.createDirectories(work.resolve("stacks/distroless-python/run"));
        Files.writeString(work.resolve("stacks/distroless-python/run/Dockerfile"), "FROM mine\n");
        WorkdirSeed.seed(WorkshopParts.settings(home, work));
        assertEquals("FROM mine\n", Files.readString(work.resolve("stacks/distroless-python/run/Dockerfile")));
        assertTrue(Files.exists(work.resolve("packlab.toml")));
    }

    @Test
    void packlabsOwnFolderIsLeftAlone() throws Exception {
        Path home = home();
        WorkdirSeed.seed(WorkshopParts.settings(home, home));
        try (var files = Files.list(home)) {
            assertEquals(3, files.count());
        }
    }

    @Test
    void aWorkFolderThatCannotBeMadeIsBadInput() throws Exception {
        Path home = home();
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        PacklabException e = assertThrows(PacklabException.class,
                () -> WorkdirSeed.seed(WorkshopParts.settings(home, file.resolve("work"))));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().startsWith("cannot prepare the work folder " + file.resolve("work") + ": "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("Choose a folder you can write with --workdir (packlab makes it, and its"
                + " parents, when they do not exist)."), e.getMessage());
    }
}
