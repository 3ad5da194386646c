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
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import io.packlab.error.PacklabException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Composite buildpacks and the build plan on a real engine, with the buildpacks of
 * {@code src/test/resources/it/composite} (shaped like the samples: hello-world provides some-world, hello-moon requires
 * it with metadata, hello-universe is a composite of both): builder create with the composite, builds by the builder's
 * order, by a composite folder and a composite archive given with --buildpack, the provider's plan holding the
 * requirer's metadata, [[unmet]] passing entries on, a plan that does not match, and buildpack package with
 * dependencies. Uses its own image names (packlab-it-composite*).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CompositeBuildpackIT {

    private static final String LABEL = "packlab-it-composite";
    private static final String BUILD = "packlab-it-composite-stack:build";
    private static final String RUN = "packlab-it-composite-stack:run";
    private static final String BUILDER = "packlab-it-composite-builder:latest";
    private static final String APP = "packlab-it-composite-app:latest";
    private static final String CLI_APP = "packlab-it-composite-cli";
    private static final String PACKAGE = "packlab-it-composite/universe-package";
    private static final String WORLD = "packlab-test/hello-world";
    private static final String MOON = "packlab-test/hello-moon";
    private static final String OTHER = "packlab-test/other-world";
    private static final String UNIVERSE = "packlab-test/hello-universe";
    private static final Path FIXTURES = Launcher.HOME.resolve("src/test/resources/it/composite");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static DockerEngine engine;
    private static BuiltinPlatform platform;
    private static final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private static Path buildpacks;
    private static Path app;
    private static Path workdir;
    private static Set<String> before;

    @BeforeAll
    static void stackAndBuildpacks() throws Exception {
        engine = DockerSupport.engine();
        platform = DockerSupport.recordingPlatform(engine, lines, LABEL);
        DockerSupport.buildLabelled(engine, Launcher.HOME.resolve("stacks/distroless-python/build"), BUILD, "packlab-base/debian:bookworm-slim", LABEL);
        DockerSupport.buildLabelled(engine, Launcher.HOME.resolve("stacks/distroless-python/run"), RUN,
                "packlab-base/distroless-python3:debian12", LABEL);
        before = DockerSupport.leftovers(engine);
        buildpacks = work.resolve("buildpacks");
        DockerSupport.copyTree(FIXTURES.resolve("buildpacks"), buildpacks);
        app = work.resolve("app");
        DockerSupport.copyTree(FIXTURES.resolve("app"), app);
        workdir = Files.createDirectories(work.resolve("workdir"));
        Files.writeString(work.resolve("builder.toml"), """
                description = "composite test builder"

                [[buildpacks]]
                uri = "buildpacks/hello-world"

                [[buildpacks]]
                uri = "buildpacks/hello-moon"

                [[buildpacks]]
                uri = "buildpacks/other-world"

                [[buildpacks]]
                uri = "buildpacks/hello-universe"

                # hello-moon alone requires what nobody provides: detection goes on to the composite
                [[order]]
                  [[order.group]]
                  id = "packlab-test/hello-moon"

                [[order]]
                  [[order.group]]
                  id = "packlab-test/hello-universe"
                  version = "0.0.1"

                [build]
                image = "%s"

                [[run.images]]
                image = "%s"
                """.formatted(BUILD, RUN));
    }


    @AfterAll
    static void cleanUp() throws Exception {
        if (engine == null) {
            return;
        }
        try {
            if (workdir != null && Files.isDirectory(workdir.resolve(".packlab"))) {
                Launcher.Result reset = packlab("reset", "--yes");
                assertEquals(0, reset.code(), reset.all());
            }
            List<String> filter = Engine.labelFilter(Engine.LESSON_LABEL, LABEL);
            engine.listContainers(filter).forEach(c -> engine.removeContainer(c.id()));
            engine.listImages(filter).stream().filter(i -> !i.repoTags().contains(BUILD) && !i.repoTags().contains(RUN))
                    .forEach(i -> engine.removeImage(i.id(), true));
            engine.listVolumes(filter).forEach(engine::removeVolume);
            assertEquals(before, DockerSupport.leftovers(engine), "no container, volume or dangling image left");
            engine.listImages(filter).forEach(i -> engine.removeImage(i.id(), true));
        } finally {
            engine.close();
        }
    }

    /** {@code packlab --workdir=WORKDIR --engine builtin args...}, in the folder of the fixtures' copy. */
    private static Launcher.Result packlab(String... args) throws Exception {
        return Launcher.runIn(work, Map.of(), Launcher.cat(new String[] {"--workdir=" + workdir, "--engine", "builtin"},
                args));
    }

    private static String run(Requests request) throws Exception {
        lines.clear();
        return platform.run(request, Cancellation.none());
    }

    private static JsonNode label(String image, String key) throws Exception {
        ImageInfo info = engine.inspectImage(image).orElseThrow();
        return JSON.readTree(info.labels().get(key));
    }

    private static List<String> ids(JsonNode buildpacks, String field) {
        List<String> out = new ArrayList<>();
        buildpacks.forEach(b -> out.add(b.path(field).asText() + "@" + b.path("version").asText()));
        return out;
    }

    /** A file of an image, read from a container that is created and never started. */
    private static String fileOf(String image, String path) throws Exception {
        String c = engine.createContainer(ContainerSpec.idle(image, Map.of(Engine.LESSON_LABEL, LABEL)));
        try (InputStream tar = engine.copyFromContainer(c, path).orElseThrow();
                TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
            TarArchiveEntry e = in.getNextEntry();
            assertTrue(e != null && e.isFile(), path + " is a file in " + image);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            engine.removeContainer(c);
        }
    }

    @Test
    @Order(1)
    void builderCreateTakesTheCompositeAndWritesItsOrderInTheLayersLabel() throws Exception {
        run(new Requests.CreateBuilder(BUILDER, work.resolve("builder.toml")));
        JsonNode layers = label(BUILDER, "io.buildpacks.buildpack.layers");
        JsonNode universe = layers.path(UNIVERSE).path("0.0.1");
        assertEquals("0.10", universe.path("api").asText());
        assertEquals(JSON.readTree("""
                [{"group": [{"id": "packlab-test/hello-world", "version": "0.0.1"},
                            {"id": "packlab-test/hello-moon", "version": "0.0.1"}]}]"""), universe.path("order"));
        assertFalse(universe.has("targets"), "a composite has no targets of its own");
        assertEquals("https://example.com/hello-universe", universe.path("homepage").asText());
        assertTrue(universe.path("layerDiffID").asText().startsWith("sha256:"), universe.toString());
        assertEquals(JSON.readTree("[{\"os\": \"linux\"}]"), layers.path(WORLD).path("0.0.1").path("targets"));
        assertFalse(layers.path(MOON).path("0.0.1").has("order"), "a component buildpack has no order");
        assertEquals(JSON.readTree("""
                [{"group": [{"id": "packlab-test/hello-moon"}]},
                 {"group": [{"id": "packlab-test/hello-universe", "version": "0.0.1"}]}]"""),
                label(BUILDER, "io.buildpacks.buildpack.order"), "as builder.toml gives it: pack resolves versions only"
                + " in /cnb/order.toml");
        String orderToml = fileOf(BUILDER, "/cnb/order.toml");
        assertTrue(orderToml.contains("    id = \"packlab-test/hello-moon\"\n    version = \"0.0.1\""),
                "the lifecycle's order file carries the resolved version: " + orderToml);
        assertEquals(List.of(WORLD + "@0.0.1", MOON + "@0.0.1", OTHER + "@0.0.1", UNIVERSE + "@0.0.1"),
                ids(label(BUILDER, "io.buildpacks.builder.metadata").path("buildpacks"), "id"));
    }

    @Test
    @Order(2)
    void aBuildByTheBuildersOrderRunsTheCompositesBuildpacksAndGivesTheProviderTheRequirersMetadata() throws Exception {
        run(new Requests.Build(APP, BUILDER, List.of(), Map.of(), app, Optional.empty(), false, Optional.empty()));
        int detecting = lines.indexOf("===> DETECTING");
        int building = lines.indexOf("===> BUILDING");
        List<String> detect = lines.subList(detecting + 1, building);
        assertEquals(List.of("hello-moon: I require some-world", "pass: " + MOON + "@0.0.1",
                "Resolving plan... (try #1)", "fail: " + MOON + "@0.0.1 requires some-world",
                "hello-world: I provide some-world", "pass: " + WORLD + "@0.0.1", "pass: " + MOON + "@0.0.1",
                WORLD + " 0.0.1", MOON + "  0.0.1"), detect,
                "group 1 fails on its plan; group 2 is the composite's buildpacks, hello-moon's detect run once");
        assertTrue(lines.stream().noneMatch(l -> l.contains("hello-universe/0.0.1/bin")), lines.toString());
        assertTrue(lines.contains("hello-world:   world = \"Earth-616\""), "the provider's plan has the requirer's"
                + " metadata: " + lines);
        assertTrue(lines.contains("hello-moon: plan entries: 0"), "a buildpack that only requires gets no entries");

        assertEquals("Earth-616", engine.inspectImage(APP).orElseThrow().labels().get("io.packlab.test.worlds"));
        assertEquals("""
                [[entries]]
                name = "some-world"

                [[entries]]
                name = "some-world"
                [entries.metadata]
                world = "Earth-616"

                """, fileOf(APP, "/layers/packlab-test_hello-world/plan/plan.toml"), "the launch layer keeps the plan");
        assertEquals(List.of(WORLD + "@0.0.1", MOON + "@0.0.1"),
                ids(label(APP, "io.buildpacks.build.metadata").path("buildpacks"), "id"),
                "the build metadata names the component buildpacks, as the lifecycle's group does");
        assertEquals(List.of(WORLD + "@0.0.1", MOON + "@0.0.1"),
                ids(label(APP, "io.buildpacks.lifecycle.metadata").path("buildpacks"), "key"));
    }

    /** A copy of hello-universe as 0.0.2 with other-world, an optional second provider of some-world, in between. */
    private static Path universe2() throws Exception {
        Path dir = work.resolve("hello-universe-0.0.2");
        if (!Files.isDirectory(dir)) {
            DockerSupport.copyTree(buildpacks.resolve("hello-universe"), dir);
            Path toml = dir.resolve("buildpack.toml");
            Files.writeString(toml, Files.readString(toml).replace("version = \"0.0.1\"\nname", "version = \"0.0.2\"\nname")
                    .replace("""
                            [[order.group]]
                            id = "packlab-test/hello-moon\"""", """
                            [[order.group]]
                            id = "packlab-test/other-world"
                            version = "0.0.1"
                            optional = true

                            [[order.group]]
                            id = "packlab-test/hello-moon\""""));
        }
        return dir;
    }

    @Test
    @Order(3)
    void packBuildWithACompositeFolderUsesThatCompositesOrder() throws Exception {
        Launcher.Result r = packlab("pack", "build", CLI_APP, "--builder", BUILDER, "--buildpack",
                universe2().toString(), "--path", app.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("pass: " + OTHER + "@0.0.1"), r.out());
        assertTrue(r.out().contains("other-world: plan entries: 0"), "hello-world met some-world, so the next provider"
                + " gets nothing: " + r.out());
        assertEquals(List.of(WORLD + "@0.0.1", OTHER + "@0.0.1", MOON + "@0.0.1"),
                ids(label(CLI_APP, "io.buildpacks.build.metadata").path("buildpacks"), "id"));
        assertEquals("Earth-616", engine.inspectImage(CLI_APP).orElseThrow().labels().get("io.packlab.test.worlds"));
    }

    @Test
    @Order(4)
    void aCompositeArchiveWorksTooAndAnUnmetEntryGoesToTheNextProvider() throws Exception {
        Path tgz = work.resolve("hello-universe-0.0.2.tgz");
        Process tar = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", universe2().toString(), ".")
                .redirectErrorStream(true).start();
        assertEquals(0, tar.waitFor(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        run(new Requests.Build(APP, BUILDER, List.of(tgz.toString()), Map.of("WORLD_UNMET", "yes"), app,
                Optional.empty(), false, Optional.empty()));
        assertTrue(lines.contains("hello-world: leaving some-world unmet"), lines.toString());
        assertTrue(lines.contains("other-world: plan entries: 2"), "the unmet entries go to the next provider: " + lines);
        assertTrue(lines.contains("other-world: world = \"Earth-616\""), lines.toString());
        assertEquals(List.of(WORLD + "@0.0.1", OTHER + "@0.0.1", MOON + "@0.0.1"),
                ids(label(APP, "io.buildpacks.build.metadata").path("buildpacks"), "id"));
    }

    @Test
    @Order(5)
    void aPlanThatDoesNotMatchFailsDetectionAsTheLifecycleReportsIt() throws Exception {
        Launcher.Result r = packlab("pack", "build", CLI_APP + "-fails", "--builder", BUILDER, "--buildpack", MOON,
                "--path", app.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.out().contains("fail: " + MOON + "@0.0.1 requires some-world"), r.out());
        assertTrue(r.err().contains("No buildpack groups passed detection: " + MOON + "@0.0.1 requires some-world,"
                + " which no buildpack at or before it in the group provides. Please check that you are running against"
                + " the correct path"), r.err());
        assertFalse(r.err().contains("Python") || r.err().contains("app.py"), "no tutorial hint: " + r.err());
        assertFalse(r.err().contains("Exception"), "no stack trace: " + r.err());
        assertTrue(engine.inspectImage(CLI_APP + "-fails").isEmpty(), "no image");
    }

    @Test
    @Order(6)
    void builderCreateRefusesACompositeWhoseBuildpacksAreNotOnTheBuilder() throws Exception {
        Path toml = work.resolve("builder-missing.toml");
        Files.writeString(toml, """
                [[buildpacks]]
                uri = "buildpacks/hello-world"

                [[buildpacks]]
                uri = "buildpacks/hello-universe"

                [[order]]
                  [[order.group]]
                  id = "packlab-test/hello-universe"

                [build]
                image = "%s"

                [[run.images]]
                image = "%s"
                """.formatted(BUILD, RUN));
        PacklabException e = assertThrows(PacklabException.class, () -> run(new Requests.CreateBuilder(
                "packlab-it-composite-missing", toml)));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().startsWith(toml + ":5:1: buildpack " + MOON + "@0.0.1 not found on the builder: the"
                + " composite buildpack " + UNIVERSE + "@0.0.1 names it in its [[order]]"), e.getMessage());
        assertTrue(engine.inspectImage("packlab-it-composite-missing").isEmpty());
    }

    @Test
    @Order(7)
    void buildpackPackageTakesACompositeWithItsDependencies() throws Exception {
        Path toml = work.resolve("package.toml");
        Files.writeString(toml, """
                [buildpack]
                uri = "buildpacks/hello-universe"

                [[dependencies]]
                uri = "buildpacks/hello-world"

                [[dependencies]]
                uri = "buildpacks/hello-moon"
                """);
        run(new Requests.PackageBuildpack(PACKAGE, toml));
        JsonNode meta = label(PACKAGE, "io.buildpacks.buildpackage.metadata");
        assertEquals(UNIVERSE, meta.path("id").asText());
        assertEquals(JSON.readTree("[{\"id\": \"*\"}]"), meta.path("stacks"));
        JsonNode layers = label(PACKAGE, "io.buildpacks.buildpack.layers");
        assertEquals(2, layers.path(UNIVERSE).path("0.0.1").path("order").path(0).path("group").size());
        ImageInfo image = engine.inspectImage(PACKAGE).orElseThrow();
        assertEquals(List.of(layers.path(UNIVERSE).path("0.0.1").path("layerDiffID").asText(),
                layers.path(WORLD).path("0.0.1").path("layerDiffID").asText(),
                layers.path(MOON).path("0.0.1").path("layerDiffID").asText()), image.layers(), "one layer each");

        Files.writeString(toml, "[buildpack]\nuri = \"buildpacks/hello-universe\"\n");
        PacklabException alone = assertThrows(PacklabException.class, () -> run(new Requests.PackageBuildpack(
                PACKAGE + "-alone", toml)));
        assertEquals(2, alone.exitCode());
        assertTrue(alone.getMessage().contains("buildpack " + UNIVERSE + "@0.0.1 references buildpack " + WORLD
                + "@0.0.1 which is not present"), alone.getMessage());
    }

    @Test
    @Order(8)
    void builderCreateAndPackageTakeThePackageImageWithAllItHolds() throws Exception {
        String fromPackage = BUILDER + "-package";
        Path toml = work.resolve("builder-package.toml");
        Files.writeString(toml, """
                [[buildpacks]]
                uri = "docker://%s"

                [[order]]
                  [[order.group]]
                  id = "%s"

                [build]
                image = "%s"

                [[run.images]]
                image = "%s"
                """.formatted(PACKAGE, UNIVERSE, BUILD, RUN));
        run(new Requests.CreateBuilder(fromPackage, toml));
        JsonNode layers = label(fromPackage, "io.buildpacks.buildpack.layers");
        assertTrue(layers.has(UNIVERSE) && layers.has(WORLD) && layers.has(MOON), layers.toString());
        assertTrue(fileOf(fromPackage, "/cnb/order.toml").contains("id = \"" + UNIVERSE + "\""));
        run(new Requests.Build(APP, fromPackage, List.of(), Map.of(), app, Optional.empty(), false, Optional.empty()));
        assertEquals(List.of(WORLD + "@0.0.1", MOON + "@0.0.1"),
                ids(label(APP, "io.buildpacks.build.metadata").path("buildpacks"), "id"));

        Files.writeString(toml, Files.readString(toml).replace("docker://" + PACKAGE, "docker://" + RUN));
        PacklabException notPackage = assertThrows(PacklabException.class, () -> run(new Requests.CreateBuilder(
                fromPackage, toml)));
        assertEquals(2, notPackage.exitCode());
        assertTrue(notPackage.getMessage().startsWith(toml + ":2:"), notPackage.getMessage());
        Files.writeString(toml, Files.readString(toml).replace("docker://" + RUN, "docker://packlab-it-composite/none"));
        PacklabException absent = assertThrows(PacklabException.class, () -> run(new Requests.CreateBuilder(
                fromPackage, toml)));
        assertEquals(1, absent.exitCode());
        assertTrue(absent.getMessage().contains("packlab-it-composite/none"), absent.getMessage());

        Path outer = Files.createDirectories(work.resolve("buildpacks/outer"));
        Files.writeString(outer.resolve("buildpack.toml"), """
                api = "0.10"
                [buildpack]
                id = "packlab-test/outer"
                version = "0.0.1"
                [[order]]
                [[order.group]]
                id = "%s"
                version = "0.0.1"
                """.formatted(UNIVERSE));
        Path pkg = work.resolve("package-outer.toml");
        Files.writeString(pkg, "[buildpack]\nuri = \"buildpacks/outer\"\n[[dependencies]]\nimage = \"" + PACKAGE
                + "\"\n");
        run(new Requests.PackageBuildpack(PACKAGE + "-outer", pkg));
        JsonNode outerLayers = label(PACKAGE + "-outer", "io.buildpacks.buildpack.layers");
        assertTrue(outerLayers.has("packlab-test/outer") && outerLayers.has(UNIVERSE) && outerLayers.has(WORLD)
                && outerLayers.has(MOON), outerLayers.toString());
        Files.writeString(pkg, "[buildpack]\nuri = \"buildpacks/outer\"\n[[dependencies]]\nimage = \"" + RUN
                + "\"\n");
        PacklabException wrong = assertThrows(PacklabException.class, () -> run(new Requests.PackageBuildpack(
                PACKAGE + "-outer", pkg)));
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.getMessage().startsWith(pkg + ":4:"), wrong.getMessage());
    }
}
