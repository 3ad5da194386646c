package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cli.InProcessCli.Run;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code packlab picture}: what it takes, and its exit codes before an engine is reached. */
class PictureCommandTest {

    @TempDir
    Path work;

    private static final Map<String, String> NO_ENGINE = Map.of("DOCKER_HOST", "unix:///nonexistent.sock");

    @Test
    void whatToDrawIsRequiredAndMustBeOneOfTheThree() {
        Run none = InProcessCli.run(work, NO_ENGINE, "picture");
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().startsWith("error: Missing required parameter"), none.err());

        Run wrong = InProcessCli.run(work, NO_ENGINE, "picture", "stack");
        assertEquals(2, wrong.code(), wrong.out() + wrong.err());
        assertEquals("error: picture takes what to draw and optionally an image: picture builder|build|rebase [IMAGE],"
                + " for example `picture build webapp`.", wrong.err().strip());

        Run many = InProcessCli.run(work, NO_ENGINE, "picture", "build", "a", "b");
        assertEquals(2, many.code(), many.err());
    }

    @Test
    void withoutAnEngineItSaysSoAndExitsWithThree() {
        Run r = InProcessCli.run(work, NO_ENGINE, "--lang", "ja", "picture", "build");
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("unix:///nonexistent.sock"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
