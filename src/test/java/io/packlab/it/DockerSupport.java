package io.packlab.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.packlab.engine.DockerEngine;
import io.packlab.engine.EngineInfo;
import io.packlab.error.PacklabException;
import org.junit.jupiter.api.Assumptions;

/**
 * Integration tests need a real Docker engine. On a developer machine without one they are
 * skipped; in CI ({@code CI=true}) a missing engine fails them.
 */
final class DockerSupport {

    private DockerSupport() {
    }

    static EngineInfo requireDocker() {
        try (DockerEngine engine = DockerEngine.fromEnvironment(System.getenv())) {
            return engine.info();
        } catch (PacklabException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true, but no Docker engine answers, and the integration tests must run in CI: " + e.getMessage());
            }
            Assumptions.abort("no Docker engine here (" + e.getMessage() + ")");
            return null;
        }
    }

    /** Requires a Docker engine (see {@link #requireDocker()}) and connects to it; the caller closes it. */
    static DockerEngine engine() {
        requireDocker();
        return DockerEngine.fromEnvironment(System.getenv());
    }

    static void requireProgram(String program) {
        boolean found = System.getenv().getOrDefault("PATH", "").lines().findAny().isPresent()
                && java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                        .anyMatch(d -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(d, program)));
        if (!found) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true, but " + program + " is not installed; .ci/run installs it.");
            }
            Assumptions.abort(program + " is not installed");
        }
    }
}
