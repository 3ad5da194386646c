package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.cnb.platform.BuiltinPlatform;
import io.packlab.cnb.platform.Requests;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import io.packlab.error.PacklabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in platform against the specs on a real engine, with the probe buildpacks of
 * src/test/resources/cnb/platform (they print what the platform gives them): platform env in
 * detect and build (--env, clear-env, the builder's operator env), layer types reset on restore,
 * store.toml kept between builds. Uses its own image names (packlab-it-fid-*).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformFidelityIT {

    private static final String LABEL = "packlab-it-fidelity";
    private static final String BUILD = "packlab-it-fid-stack:build";
    private static final String RUN = "packlab-it-fid-stack:run";
    private static final String BUILDER = "packlab-it-fid-builder:latest";
    private static final String APP = "packlab-it-fid-app:latest";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static DockerEngine engine;
    private static final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private static BuiltinPlatform platform;
    private static Path fixtures;
    private static Path app;

    @BeforeAll
    static void stackAndBuilder() throws Exception {
        engine = DockerSupport.engine();
        platform = DockerSupport.recordingPlatform(engine, lines, LABEL);
        fixtures = work.resolve("fixtures");
        DockerSupport.copyTree(Launcher.HOME.resolve("src/test/resources/cnb/platform"), fixtures);
        try (var walk = Files.walk(fixtures)) {
            for (Path p : walk.filter(p -> p.getParent().getFileName().toString().equals("bin")).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path home = Launcher.HOME;
        DockerSupport.buildLabelled(engine, home.resolve("stacks/distroless-python/build"), BUILD, "packlab-base/debian:bookworm-slim", LABEL);
        DockerSupport.buildLabelled(engine, home.resolve("stacks/distroless-python/run"), RUN, "packlab-base/distroless-python3:debian12", LABEL);
        Files.writeString(work.resolve("builder.toml"), """
                [[buildpacks]]
                uri = "%s"

                [[buildpacks]]
                uri = "%s"

                [[order]]
                  [[order.group]]
                  id = "packlab-test/clear"
                  [[order.group]]
                  id = "packlab-test/probe"

                [build]
                image = "%s"

                [[build.env]]
                name = "FROM_OPERATOR"
                value = "operator"

                [[run.images]]
                image = "%s"
                """.formatted(fixtures.resolve("buildpacks/clear"), fixtures.resolve("buildpacks/probe"), BUILD, RUN));
        run(new Requests.CreateBuilder(BUILDER, work.resolve("builder.toml")));
        app = Files.createDirectories(work.resolve("app"));
        Files.writeString(app.resolve("main.txt"), "an app\n");
    }


    @AfterAll
    static void cleanUp() {
        if (engine == null) {
            return;
        }
        DockerSupport.removeLabelled(engine, LABEL);
        engine.close();
    }

    private static String run(Requests request) throws Exception {
        lines.clear();
        return platform.run(request, Cancellation.none());
    }

    private static Requests.Build build(String image, Path appDir, Map<String, String> env) {
        return new Requests.Build(image, BUILDER, List.of(), env, appDir, Optional.empty(), false, Optional.empty());
    }

    private static JsonNode label(String image, String key) throws Exception {
        ImageInfo info = engine.inspectImage(image).orElseThrow();
        return JSON.readTree(info.labels().get(key));
    }

    /** The one output line that starts with {@code prefix}. */
    private static String line(String prefix) {
        List<String> found = lines.stream().filter(l -> l.startsWith(prefix)).toList();
        assertEquals(1, found.size(), "one line " + prefix + " in " + lines);
        return found.get(0);
    }

    @Test
    @Order(0)
    void theBuilderNamesAPacklabLifecycleVersionAndItsApis() throws Exception {
        JsonNode lifecycle = label(BUILDER, "io.buildpacks.builder.metadata").path("lifecycle");
        assertEquals("0.21.0-packlab", lifecycle.path("version").asText());
        assertEquals("0.12", lifecycle.at("/apis/platform/supported/0").asText());
        assertEquals("0.12", lifecycle.at("/apis/buildpack/supported/5").asText());
    }

    @Test
    @Order(1)
    void platformEnvReachesDetectAndBuildUnlessClearEnv() throws Exception {
        run(build(APP, app, Map.of("GREETING", "hello", "PATH", "/opt/probe/bin")));
        String builderPath = engine.inspectImage(BUILD).orElseThrow().envValue("PATH").orElseThrow();
        assertEquals("probe detect: GREETING=hello FROM_OPERATOR=operator PATH=/opt/probe/bin:" + builderPath,
                line("probe detect:"), "user env set, PATH prepended, the builder's [[build.env]] applied");
        assertEquals("probe build: version=0.0.1 GREETING=hello FROM_OPERATOR=operator PATH=/opt/probe/bin:"
                + builderPath, line("probe build:"));
        assertEquals("clear detect: GREETING=unset file=hello FROM_OPERATOR=operator", line("clear detect:"),
                "clear-env: the user's variables only as files; the operator's still set");
        assertEquals("clear build: GREETING=unset file=hello FROM_OPERATOR=operator", line("clear build:"));
        assertEquals("probe build number 1", line("probe build number"));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("probe restored")), "nothing to restore: " + lines);
    }

    @Test
    @Order(2)
    void storeTomlIsInTheLifecycleLabel() throws Exception {
        JsonNode probe = null;
        for (JsonNode bp : label(APP, "io.buildpacks.lifecycle.metadata").path("buildpacks")) {
            if (bp.path("key").asText().equals("packlab-test/probe")) {
                probe = bp;
            }
        }
        assertEquals("{\"metadata\":{\"builds\":1,\"tools\":{\"names\":[\"a\",\"b\"]}}}", probe.path("store").toString());
        assertEquals("{\"built\":1,\"nested\":{\"kind\":\"marker\"}}", probe.path("layers").path("marker").path("data")
                .toString(), "nested layer metadata as JSON objects");
    }

    @Test
    @Order(3)
    void aRebuildRestoresMetadataWithoutTypesAndTheStore() throws Exception {
        run(build(APP, app, Map.of()));
        assertEquals("probe restored marker.toml: [metadata] built = 1 nested = { kind = \"marker\" } ",
                line("probe restored marker.toml"), "a launch-only layer's metadata, its types reset");
        assertEquals("probe restored tools.toml: [metadata] tool = \"v1\" ", line("probe restored tools.toml"),
                "a cache layer's metadata, its types reset");
        assertEquals("probe tools: made in build 1", line("probe tools:"), "the cache layer's content is back");
        assertTrue(line("probe restored store.toml").contains("builds = 1"), lines.toString());
        assertEquals("probe build number 2", line("probe build number"));
        assertTrue(lines.contains("Restoring metadata for \"packlab-test/probe:marker\" from app image"),
                lines.toString());
        assertEquals("probe detect: GREETING=unset FROM_OPERATOR=operator PATH="
                + engine.inspectImage(BUILD).orElseThrow().envValue("PATH").orElseThrow(), line("probe detect:"),
                "the env of an earlier build is not kept");
    }

    /** A run image made from RUN with one more file (and the given Dockerfile lines), tagged {@code tag}. */
    private static void runImageFrom(String tag, String base, String extra) throws Exception {
        Path context = Files.createDirectories(work.resolve("ctx-" + tag.replaceAll("[^a-z0-9]", "-")
                + System.nanoTime()));
        Files.writeString(context.resolve("patch.txt"), tag + " " + System.nanoTime() + "\n");
        Files.writeString(context.resolve("Dockerfile"), "FROM " + base + "\nCOPY patch.txt /etc/patch.txt\n" + extra
                + "\n");
        DockerSupport.buildLabelled(engine, context, tag, null, LABEL);
    }

    private static PacklabException refused(Requests request) {
        PacklabException e = assertThrows(PacklabException.class, () -> run(request));
        assertEquals(PacklabException.FAILED, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    @Order(4)
    void rebaseOntoARunImageOfAnotherNameNeedsForce() throws Exception {
        String other = "packlab-it-fid-stack:run-other";
        runImageFrom(other, RUN, "");
        String before = engine.inspectImage(APP).orElseThrow().id();
        PacklabException e = refused(new Requests.Rebase(APP, Optional.of(other)));
        assertTrue(e.getMessage().startsWith("new base image '" + other + "' not found in existing run image metadata: "
                + "{\"image\":\"" + RUN + "\",\"mirrors\":[]}"), e.getMessage());
        assertEquals(before, engine.inspectImage(APP).orElseThrow().id(), "a refused rebase changes nothing");

        run(new Requests.Rebase(APP, Optional.of(other), false, List.of(), true));
        assertTrue(lines.stream().anyMatch(l -> l.contains("rebasing anyway (--force)")), lines.toString());
        ImageInfo after = engine.inspectImage(APP).orElseThrow();
        assertFalse(before.equals(after.id()));
        JsonNode meta = label(APP, "io.buildpacks.lifecycle.metadata");
        assertEquals(other, meta.at("/runImage/image").asText(), "the app now records the new name");
        assertEquals(0, meta.at("/runImage/mirrors").size());
        assertEquals(engine.inspectImage(other).orElseThrow().topLayer().orElseThrow(), meta.at("/runImage/topLayer")
                .asText());

        runImageFrom(other, RUN, "");
        run(new Requests.Rebase(APP, Optional.empty()));
        assertTrue(lines.stream().noneMatch(l -> l.contains("--force")), "the recorded name needs no force: " + lines);
    }

    @Test
    @Order(5)
    void anAppFromARunImageLabelledNotRebasableIsRefusedUnlessForced() throws Exception {
        String pinned = "packlab-it-fid-stack:run-pinned";
        String pinnedApp = "packlab-it-fid-pinned:latest";
        runImageFrom(pinned, RUN, "LABEL io.buildpacks.rebasable=false");
        run(new Requests.Build(pinnedApp, BUILDER, List.of(), Map.of(), app, Optional.of(pinned), false,
                Optional.empty()));
        assertEquals("false", engine.inspectImage(pinnedApp).orElseThrow().labels().get("io.buildpacks.rebasable"),
                "the app takes the label from its run image");
        runImageFrom(pinned, RUN, "");
        assertEquals(null, engine.inspectImage(pinned).orElseThrow().labels().get("io.buildpacks.rebasable"),
                "the new run image itself is rebasable: the app's label decides");
        String before = engine.inspectImage(pinnedApp).orElseThrow().id();
        PacklabException e = refused(new Requests.Rebase(pinnedApp, Optional.empty()));
        assertTrue(e.getMessage().startsWith("app image " + pinnedApp + " is not marked as rebasable"), e.getMessage());
        assertEquals(before, engine.inspectImage(pinnedApp).orElseThrow().id());

        run(new Requests.Rebase(pinnedApp, Optional.empty(), false, List.of(), true));
        assertFalse(before.equals(engine.inspectImage(pinnedApp).orElseThrow().id()), "forced: rebased");
        assertEquals(engine.inspectImage(pinned).orElseThrow().topLayer().orElseThrow(),
                label(pinnedApp, "io.buildpacks.lifecycle.metadata").at("/runImage/topLayer").asText());
    }

    /** The names under /workspace in the image (a container is created, never started, and removed). */
    private static List<String> workspace(String image) throws Exception {
        String c = engine.createContainer(new io.packlab.engine.ContainerSpec(image, null, null, Map.of(),
                Map.of(Engine.LESSON_LABEL, LABEL), null, null, null, Map.of(), Map.of()));
        List<String> names = new ArrayList<>();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                engine.copyFromContainer(c, "/workspace").orElseThrow())) {
            for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
            }
        } finally {
            engine.removeContainer(c);
        }
        Collections.sort(names);
        return names;
    }

    @Test
    @Order(6)
    void projectTomlSchema02() throws Exception {
        Path project = Files.createDirectories(work.resolve("project-02"));
        Files.createDirectories(project.resolve("secret"));
        Files.writeString(project.resolve("secret/key.pem"), "secret\n");
        Files.writeString(project.resolve("debug.log"), "log\n");
        Files.writeString(project.resolve("app.txt"), "app\n");
        Path bp = project.resolve("buildpacks/probe");
        DockerSupport.copyTree(fixtures.resolve("buildpacks/probe"), bp);
        Files.writeString(bp.resolve("buildpack.toml"), Files.readString(bp.resolve("buildpack.toml"))
                .replace("version = \"0.0.1\"", "version = \"0.0.2\""));
        Files.writeString(project.resolve("project.toml"), """
                [_]
                schema-version = "0.2"
                id = "io.packlab.test"
                version = "1.2.3"
                source-url = "https://example.com/app"

                [io.buildpacks]
                exclude = ["secret/", "*.log", "buildpacks/"]

                [[io.buildpacks.group]]
                uri = "buildpacks/probe"

                [[io.buildpacks.build.env]]
                name = "GREETING"
                value = "from project"
                """);
        String image = "packlab-it-fid-project:latest";
        run(build(image, project, Map.of()));
        assertTrue(line("probe build:").startsWith("probe build: version=0.0.2 GREETING=from project"), lines.toString());
        assertTrue(line("probe detect:").startsWith("probe detect: GREETING=from project"), lines.toString());
        assertEquals("probe workspace: app.txt project.toml ", line("probe workspace:"), "excluded before the build");
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("clear ")), "the builder's order is not used: " + lines);
        JsonNode build = label(image, "io.buildpacks.build.metadata");
        assertEquals(1, build.path("buildpacks").size());
        assertEquals("0.0.2", build.at("/buildpacks/0/version").asText());
        assertEquals("{\"source\":{\"type\":\"project\",\"version\":{\"declared\":\"1.2.3\"},\"metadata\":{\"url\":"
                + "\"https://example.com/app\"}}}", engine.inspectImage(image).orElseThrow().labels()
                .get("io.buildpacks.project.metadata"));
        assertEquals(List.of("workspace/", "workspace/app.txt", "workspace/project.toml"), workspace(image));

        run(build(image, project, Map.of("GREETING", "cli")));
        assertTrue(line("probe build:").startsWith("probe build: version=0.0.2 GREETING=cli"), "--env wins: " + lines);
    }

    @Test
    @Order(7)
    void projectTomlSchema01WithABuilderBuildpackAndAnInlineOne() throws Exception {
        Path project = Files.createDirectories(work.resolve("project-01"));
        Files.writeString(project.resolve("a.txt"), "a\n");
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("src/b.txt"), "b\n");
        Files.writeString(project.resolve("notes.md"), "n\n");
        Files.writeString(project.resolve("project.toml"), """
                [project]
                id = "io.packlab.test01"
                version = "0.1.0"

                [build]
                include = ["*.txt"]

                [[build.buildpacks]]
                id = "packlab-test/clear"

                [[build.buildpacks]]
                id = "me/inline"
                  [build.buildpacks.script]
                  api = "0.10"
                  inline = "echo \\"inline built: GREETING=$GREETING files: $(find . -type f | sort | tr '\\\\n' ' ')\\""

                [[build.env]]
                name = "GREETING"
                value = "from project 0.1"
                """);
        String image = "packlab-it-fid-project01:latest";
        run(build(image, project, Map.of()));
        assertTrue(lines.stream().anyMatch(l -> l.contains("defaulting to schema version 0.1")), lines.toString());
        assertEquals("clear detect: GREETING=unset file=from project 0.1 FROM_OPERATOR=operator", line("clear detect:"));
        assertEquals("inline built: GREETING=from project 0.1 files: ./a.txt ./src/b.txt ", line("inline built:"));
        JsonNode build = label(image, "io.buildpacks.build.metadata");
        assertEquals("packlab-test/clear", build.at("/buildpacks/0/id").asText());
        assertEquals("me/inline", build.at("/buildpacks/1/id").asText());
        assertEquals("0.0.0", build.at("/buildpacks/1/version").asText());
        assertEquals("0.1.0", label(image, "io.buildpacks.project.metadata").at("/source/version/declared").asText());
    }
}
