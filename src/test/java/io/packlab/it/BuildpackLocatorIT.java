package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.cnb.platform.BuiltinPlatform;
import io.packlab.cnb.platform.Requests;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.error.PacklabException;
import io.packlab.step.PackArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pack build --buildpack} in every form pack takes, on a real engine, as the step line is typed (parsed by
 * {@link PackArgs}, run by the built-in platform): a buildpackage image (docker:// and bare) that holds a composite and
 * its member, a buildpack of the builder by urn:cnb:builder:, id@version and id, and from=builder; each build's
 * {@code io.buildpacks.build.metadata} lists the group pack would make. A wrong form of each is one paragraph with its
 * exit code. Uses its own image names (packlab-it-loc-*).
 */
class BuildpackLocatorIT {

    private static final String LABEL = "packlab-it-locator";
    private static final String BUILD = "packlab-it-loc-stack:build";
    private static final String RUN = "packlab-it-loc-stack:run";
    private static final String BUILDER = "packlab-it-loc-builder:latest";
    private static final String PACKAGE = "packlab-it-loc-pkg:0.1";
    private static final String APP = "packlab-it-loc-app:latest";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static DockerEngine engine;
    private static final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private static BuiltinPlatform platform;
    private static Path app;

    @BeforeAll
    static void stackBuilderAndPackage() throws Exception {
        engine = DockerSupport.engine();
        platform = DockerSupport.recordingPlatform(engine, lines, LABEL);
        Path home = Launcher.HOME;
        DockerSupport.buildLabelled(engine, home.resolve("stacks/distroless-python/build"), BUILD, "packlab-base/debian:bookworm-slim", LABEL);
        DockerSupport.buildLabelled(engine, home.resolve("stacks/distroless-python/run"), RUN, "packlab-base/distroless-python3:debian12", LABEL);

        component("hello", "it/hello", "0.0.1");
        component("greet", "it/greet", "1.0.0");
        Path suite = Files.createDirectories(work.resolve("suite"));
        Files.writeString(suite.resolve("buildpack.toml"), """
                api = "0.10"
                [buildpack]
                id = "it/suite"
                version = "1.0.0"
                [[order]]
                  [[order.group]]
                  id = "it/greet"
                  version = "1.0.0"
                """);
        Files.writeString(suite.resolve("package.toml"), "[buildpack]\nuri = \".\"\n[[dependencies]]\nuri ="
                + " \"../greet\"\n");
        pack("buildpack package " + PACKAGE + " --config " + suite.resolve("package.toml"));

        Files.writeString(work.resolve("builder.toml"), """
                [[buildpacks]]
                uri = "hello"

                [[order]]
                  [[order.group]]
                  id = "it/hello"

                [build]
                image = "%s"

                [[run.images]]
                image = "%s"
                """.formatted(BUILD, RUN));
        pack("builder create " + BUILDER + " --config " + work.resolve("builder.toml"));
        app = Files.createDirectories(work.resolve("app"));
        Files.writeString(app.resolve("main.txt"), "an app\n");
    }

    /** A buildpack that always passes and makes a launch layer named after itself, with a process of its type. */
    private static void component(String folder, String id, String version) throws Exception {
        Path bp = Files.createDirectories(work.resolve(folder).resolve("bin"));
        Files.writeString(bp.resolve("../buildpack.toml"), """
                api = "0.10"
                [buildpack]
                id = "%s"
                version = "%s"
                [[targets]]
                os = "linux"
                """.formatted(id, version));
        Files.writeString(bp.resolve("detect"), "#!/bin/sh\nexit 0\n");
        Files.writeString(bp.resolve("build"), """
                #!/bin/sh
                set -e
                mkdir -p "$CNB_LAYERS_DIR/%1$s"
                printf '[types]\\nlaunch = true\\n' > "$CNB_LAYERS_DIR/%1$s.toml"
                printf '[[processes]]\\ntype = "%1$s"\\ncommand = ["true"]\\n' > "$CNB_LAYERS_DIR/launch.toml"
                echo "%1$s built"
                """.formatted(folder));
        for (String f : List.of("detect", "build")) {
            Files.setPosixFilePermissions(bp.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }


    @AfterAll
    static void cleanUp() {
        if (engine == null) {
            return;
        }
        DockerSupport.removeLabelled(engine, LABEL);
        engine.close();
    }

    /** A pack line as a step gives it (words after "pack", relative paths from the work folder). */
    private static void pack(String line) throws Exception {
        lines.clear();
        platform.run(PackArgs.parse(List.of(line.split(" ")), work), Cancellation.none());
    }

    /** Builds the app with these --buildpack words; the ids@versions of the build metadata's buildpacks. */
    private static List<String> buildWith(String... buildpacks) throws Exception {
        StringBuilder line = new StringBuilder("build " + APP + " --builder " + BUILDER + " --path app --pull-policy"
                + " if-not-present");
        for (String b : buildpacks) {
            line.append(" --buildpack ").append(b);
        }
        pack(line.toString());
        JsonNode meta = JSON.readTree(engine.inspectImage(APP).orElseThrow().labels()
                .get("io.buildpacks.build.metadata"));
        List<String> out = new ArrayList<>();
        meta.path("buildpacks").forEach(b -> out.add(b.path("id").asText() + "@" + b.path("version").asText()));
        return out;
    }

    private static PacklabException refused(int exitCode, String... buildpacks) {
        PacklabException e = assertThrows(PacklabException.class, () -> buildWith(buildpacks));
        assertEquals(exitCode, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void aBuildpackageImageBringsItsCompositeWhoseMemberRuns() throws Exception {
        assertEquals(List.of("it/greet@1.0.0"), buildWith("docker://" + PACKAGE));
        assertTrue(lines.contains("Using buildpack it/suite@1.0.0 from image " + PACKAGE), lines.toString());
        assertTrue(lines.contains("Using buildpack it/greet@1.0.0 from image " + PACKAGE), lines.toString());
        assertTrue(lines.contains("greet built"), lines.toString());
        assertEquals(List.of("it/greet@1.0.0"), buildWith(PACKAGE), "a bare image reference");
    }

    @Test
    void aBuildpackOfTheBuilderByUrnIdVersionOrId() throws Exception {
        assertEquals(List.of("it/hello@0.0.1"), buildWith("urn:cnb:builder:it/hello@0.0.1"));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("Using buildpack")), "nothing added: " + lines);
        assertEquals(List.of("it/hello@0.0.1"), buildWith("it/hello@0.0.1"));
        assertEquals(List.of("it/hello@0.0.1"), buildWith("it/hello"));
    }

    @Test
    void fromBuilderPutsTheBuildersOrderInItsPlace() throws Exception {
        assertEquals(List.of("it/greet@1.0.0", "it/hello@0.0.1"), buildWith("docker://" + PACKAGE, "from=builder"));
        assertEquals(List.of("it/hello@0.0.1", "it/greet@1.0.0"), buildWith("from=builder", "docker://" + PACKAGE));
        JsonNode processes = JSON.readTree(engine.inspectImage(APP).orElseThrow().labels()
                .get("io.buildpacks.build.metadata")).path("processes");
        assertEquals(2, processes.size(), "both buildpacks' processes: " + processes);
        assertEquals(List.of("it/hello@0.0.1"), buildWith("from=builder", "from=builder"), "with one builder group,"
                + " twice is allowed, as in pack (the id met again is left out)");
    }

    @Test
    void aWrongFormOfEachIsOneParagraph() throws Exception {
        String image = refused(2, "docker://" + RUN).getMessage();
        assertEquals("--buildpack docker://" + RUN + ": the image " + RUN + " is not a buildpackage: it has no label"
                + " io.buildpacks.buildpackage.metadata (pack: could not find label 'io.buildpacks.buildpackage.metadata')."
                + " A buildpackage is what `pack buildpack package` makes; give one, or the buildpack's folder.", image);
        assertTrue(refused(2, BUILDER).getMessage().contains("It is a builder: name it with --builder."));
        assertEquals("the buildpackage image packlab-it-loc-absent:1 (--buildpack docker://packlab-it-loc-absent:1) is"
                + " not in the Docker engine, and the built-in platform pulls nothing, whatever the --pull-policy. Make"
                + " it with `pack buildpack package packlab-it-loc-absent:1 --config <package.toml>` (lesson package), or"
                + " load it with docker pull or docker load.", refused(1, "docker://packlab-it-loc-absent:1").getMessage());
        assertEquals("--buildpack urn:cnb:builder:it/nope names a buildpack of the builder, and builder " + BUILDER
                + " has no buildpack it/nope (it has it/hello@0.0.1). Name one of those, or give the buildpack's folder"
                + " or its buildpackage image (docker://<image>).", refused(2, "urn:cnb:builder:it/nope").getMessage());
        assertTrue(refused(2, "it/hello@9.9.9").getMessage().contains("builder " + BUILDER + " has it/hello only in"
                + " version 0.0.1, not 9.9.9."));
        assertTrue(refused(2, "packlab-it/loc-pkg").getMessage().contains("write docker://packlab-it/loc-pkg"),
                "a namespace/name is a registry id to pack");
    }
}
