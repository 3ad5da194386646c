package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reset} takes only what packlab made. packlab builds the stack, a package, the builder and
 * the app (the lessons, in a temp work folder, with the built-in platform); failed {@code pack
 * build}s leave no cache volume of their own. Then the learner, with the docker CLI (classic
 * builder, so Docker links parents), builds images FROM the run image, the builder and the app,
 * tags packlab's build image, and rebuilds packlab's package tag. {@code reset build}, then
 * {@code reset}: every image of the learner's is still there with its ID, every tag of packlab's is
 * gone, packlab's images stay only as the parents (or with the tag) of the learner's, and the summary
 * says what was kept and why. Once the learner's images are gone, one more {@code reset} leaves the
 * engine as it was before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetOwnershipIT {

    private static final String LEARNER = "packlab-it-learner/";
    private static final String MY_RUN = LEARNER + "myrun:1";
    private static final String MY_BUILDER = LEARNER + "mybuilder:1";
    private static final String MY_APP = LEARNER + "myapp:1";
    private static final String MY_BUILD_TAG = LEARNER + "mybuild:1";
    private static final String PACKAGE = "example/my-cnb:latest";
    private static final List<String> PACKLAB_TAGS = List.of("distroless-python:build", "distroless-python:run",
            "python:distroless", "webapp:latest", PACKAGE);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static DockerEngine engine;
    private static Set<String> before;
    /** packlab's images, by tag, as packlab made them. */
    private static final Map<String, String> packlabIds = new LinkedHashMap<>();
    /** The learner's images, by tag. */
    private static final Map<String, String> learnerIds = new LinkedHashMap<>();

    @BeforeAll
    static void docker() {
        engine = DockerSupport.engine();
        DockerSupport.requireProgram("docker");
        for (String tag : PACKLAB_TAGS) {
            assertTrue(engine.inspectImage(tag).isEmpty(), "the engine starts without " + tag);
        }
        before = DockerSupport.leftovers(engine);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (engine == null) {
            return;
        }
        try {
            for (String tag : List.of(MY_APP, MY_BUILDER, MY_RUN, MY_BUILD_TAG)) {
                engine.removeImage(tag, false);
            }
            String mine = learnerIds.get(PACKAGE);
            if (mine != null && engine.inspectImage(PACKAGE).map(i -> i.id().equals(mine)).orElse(false)) {
                engine.removeImage(PACKAGE, false);
            }
            packlab("reset", "--yes");
        } finally {
            engine.close();
        }
    }

    private static Launcher.Result packlab(String... args) throws Exception {
        return Launcher.run(Map.of("PACKLAB_BASES", "local"), Launcher.cat(new String[] {"--workdir=" + work,
                "--engine", "builtin"}, args));
    }

    private static String id(String ref) {
        return engine.inspectImage(ref).map(ImageInfo::id).orElseThrow(() -> new AssertionError("no image " + ref));
    }

    private static String cacheVolume(String image) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
        return "pack-cache-" + HexFormat.of().formatHex(hash).substring(0, 12) + ".build";
    }

    private static Set<String> volumes() {
        return new TreeSet<>(engine.listVolumes(List.of()));
    }

    /** Runs the docker CLI as the learner would, with the classic builder. */
    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DOCKER_BUILDKIT", "0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "docker " + String.join(" ", args));
        assertEquals(0, p.exitValue(), "docker " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    private static void learnerBuild(String tag, String from) throws Exception {
        Path context = Files.createDirectories(work.resolve("learner/" + tag.replaceAll("\\W", "_")));
        Files.writeString(context.resolve("note.txt"), "mine, built FROM " + from + "\n");
        Files.writeString(context.resolve("Dockerfile"), (from.equals("scratch") ? "FROM scratch\n" : "FROM " + from
                + "\n") + "COPY note.txt /note.txt\n");
        docker("build", "-q", "-t", tag, context.toString());
        learnerIds.put(tag, id(tag));
    }

    private static void assertLearnersImagesAreAllThere() {
        learnerIds.forEach((tag, id) -> {
            assertTrue(engine.inspectImage(id).isPresent(), "the learner's " + tag + " (" + id + ") is still there");
            assertTrue(engine.inspectImage(id).get().repoTags().contains(tag), "and still tagged " + tag);
        });
    }

    @Test
    @Order(1)
    void packlabBuildsAndFailedBuildsLeaveNoCacheVolumeOfTheirOwn() throws Exception {
        for (String lesson : List.of("stack", "buildpack", "package", "builder")) {
            Launcher.Result r = packlab("run", lesson);
            assertEquals(0, r.code(), lesson + ": " + r.all());
        }
        Set<String> volumes = volumes();

        // an app the builder's buildpack rejects: detection fails
        Path empty = Files.createDirectories(work.resolve("not-an-app"));
        Files.writeString(empty.resolve("README"), "no Python here\n");
        Launcher.Result rejected = packlab("pack", "build", "packlab-it-rejected", "--builder", "python:distroless",
                "--path", empty.toString());
        assertEquals(1, rejected.code(), rejected.all());
        assertTrue(rejected.err().contains("No buildpack groups passed detection"), rejected.err());
        assertEquals(volumes, volumes(), "no cache volume left by a build that detected nothing");
        assertFalse(volumes().contains(cacheVolume("packlab-it-rejected")));

        // a buildpack whose bin/build exits 1
        Path failing = Files.createDirectories(work.resolve("failing-bp/bin"));
        Files.writeString(failing.resolveSibling("buildpack.toml"), """
                api = "0.9"

                [buildpack]
                id = "example/failing"
                version = "0.0.1"

                [[stacks]]
                id = "com.example.stacks.distroless-python"
                """);
        Files.writeString(failing.resolve("detect"), "#!/bin/sh\nexit 0\n");
        Files.writeString(failing.resolve("build"), "#!/bin/sh\necho 'this build fails on purpose'\nexit 1\n");
        failing.resolve("detect").toFile().setExecutable(true, false);
        failing.resolve("build").toFile().setExecutable(true, false);
        Path app = work.resolve("sample-app").toAbsolutePath();
        Launcher.Result failed = packlab("pack", "build", "packlab-it-failing", "--builder", "python:distroless",
                "--buildpack", failing.getParent().toString(), "--path", app.toString());
        assertEquals(1, failed.code(), failed.all());
        assertTrue(failed.err().contains("bin/build exited with code 1"), failed.err());
        assertFalse(failed.err().contains("stays in the volume"), "this build's own cache is gone: " + failed.err());
        assertEquals(volumes, volumes(), "no cache volume left by a build whose bin/build failed");
        assertTrue(engine.inspectImage("packlab-it-failing").isEmpty());

        Launcher.Result build = packlab("run", "build");
        assertEquals(0, build.code(), build.all());
        String cache = cacheVolume("webapp");
        assertTrue(volumes().contains(cache), "a successful build keeps its cache: " + volumes());

        // the same build failing later: the cache of the earlier build stays, and the message says where
        String webapp = id("webapp");
        Launcher.Result again = packlab("pack", "build", "webapp", "--builder", "python:distroless", "--buildpack",
                failing.getParent().toString(), "--path", app.toString());
        System.out.println("failed rebuild of webapp:\n" + again.all());
        assertEquals(1, again.code(), again.all());
        assertTrue(again.err().contains("The build cache of earlier builds of webapp stays in the volume " + cache
                + " (`docker volume rm " + cache + "` removes it)"), again.err());
        assertTrue(volumes().contains(cache));
        assertEquals(webapp, id("webapp"), "a failed build leaves the image as it was");

        for (String tag : PACKLAB_TAGS) {
            packlabIds.put(tag, id(tag));
        }
        // what packlab made is recorded by ID, with the tag packlab gave it
        JsonNode progress = JSON.readTree(work.resolve(".packlab/progress.json").toFile());
        assertEquals(2, progress.path("version").asInt(), progress.toPrettyString());
        assertEquals(recorded(progress, "stack"), Map.of(packlabIds.get("distroless-python:build"),
                "distroless-python:build", packlabIds.get("distroless-python:run"), "distroless-python:run"));
        assertEquals(recorded(progress, "package"), Map.of(packlabIds.get(PACKAGE), "example/my-cnb"));
        assertEquals(recorded(progress, "builder"), Map.of(packlabIds.get("python:distroless"), "python:distroless"));
        assertEquals(recorded(progress, "build"), Map.of(packlabIds.get("webapp:latest"), "webapp"));
        assertEquals(List.of(cache), JSON.convertValue(progress.path("lessons").path("build").path("volumes"),
                List.class));
    }

    private static Map<String, String> recorded(JsonNode progress, String lesson) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode image : progress.path("lessons").path(lesson).path("images")) {
            List<String> tags = new ArrayList<>();
            image.path("tags").forEach(t -> tags.add(t.asText()));
            out.put(image.path("id").asText(), String.join(",", tags));
        }
        return out;
    }

    @Test
    @Order(2)
    void theLearnerBuildsAndTagsTheirOwnImagesWithTheDockerCli() throws Exception {
        learnerBuild(MY_RUN, "distroless-python:run");
        learnerBuild(MY_BUILDER, "python:distroless");
        learnerBuild(MY_APP, "webapp");
        docker("tag", "distroless-python:build", MY_BUILD_TAG);
        learnerIds.put(MY_BUILD_TAG, id(MY_BUILD_TAG));
        learnerBuild(PACKAGE, "scratch"); // the learner rebuilds one of packlab's tags
        assertEquals("stack", engine.inspectImage(MY_RUN).get().labels().get(Engine.LESSON_LABEL),
                "the learner's image inherits packlab's label: the label cannot say whose it is");
        assertEquals("build", engine.inspectImage(MY_APP).get().labels().get(Engine.LESSON_LABEL));
    }

    @Test
    @Order(3)
    void resetOfTheBuildLessonTakesOnlyPacklabsTagAndVolume() throws Exception {
        String cache = cacheVolume("webapp");
        Launcher.Result r = packlab("reset", "build", "--yes");
        System.out.println("reset build:\n" + r.all()); // in the failsafe report, to read the summary
        assertEquals(0, r.code(), r.all());
        String out = r.out();
        assertTrue(out.contains("packlab made these for lesson build:"), out);
        assertTrue(out.contains("  image webapp (" + ImageInfo.shortDigest(packlabIds.get("webapp:latest"))
                + "; Docker keeps the image itself if it is the parent of your " + MY_APP + ")"), out);
        assertTrue(out.contains("  volume " + cache), out);
        assertTrue(out.contains("✔ removed volume " + cache), out);
        assertTrue(out.contains("kept image " + MY_APP + " (" + ImageInfo.shortDigest(learnerIds.get(MY_APP))
                + "): yours, built FROM webapp:latest. To remove it: docker rmi " + MY_APP), out);
        assertTrue(out.contains("your image " + MY_APP + " is built FROM it, and Docker keeps it as its parent"), out);

        assertTrue(engine.inspectImage("webapp").isEmpty(), "packlab's tag webapp is gone");
        assertFalse(volumes().contains(cache), "the build's cache volume is gone");
        assertLearnersImagesAreAllThere();
        for (String tag : List.of("distroless-python:build", "distroless-python:run", "python:distroless")) {
            assertEquals(packlabIds.get(tag), id(tag), "another lesson's " + tag + " is left alone");
        }
    }

    @Test
    @Order(4)
    void resetOfAllLessonsTakesPacklabsTagsAndKeepsEverythingOfTheLearners() throws Exception {
        Launcher.Result r = packlab("reset", "--yes");
        System.out.println("reset:\n" + r.all());
        assertEquals(0, r.code(), r.all());
        String out = r.out();
        assertLearnersImagesAreAllThere();
        for (String tag : List.of("distroless-python:build", "distroless-python:run", "python:distroless", "webapp")) {
            assertTrue(engine.inspectImage(tag).isEmpty(), "packlab's tag " + tag + " is gone: " + out);
        }
        assertEquals(learnerIds.get(PACKAGE), id(PACKAGE), "the learner's rebuilt example/my-cnb stays");
        assertTrue(engine.inspectImage(packlabIds.get(PACKAGE)).isEmpty(), "packlab's package image is gone: " + out);

        assertTrue(out.contains("kept image " + PACKAGE + " (" + ImageInfo.shortDigest(learnerIds.get(PACKAGE))
                + "): its tag example/my-cnb now points to an image packlab did not make. To remove it: docker rmi "
                + PACKAGE), out);
        assertTrue(out.contains("kept image " + ImageInfo.shortDigest(packlabIds.get("distroless-python:build")) + " as "
                + MY_BUILD_TAG + ": yours, you tagged packlab's image; only packlab's tag distroless-python:build goes"),
                out);
        assertTrue(out.contains("your image " + MY_RUN + " is built FROM it"), out);
        assertTrue(out.contains("your image " + MY_BUILDER + " is built FROM it"), out);
        assertTrue(out.contains(MY_RUN + " (" + ImageInfo.shortDigest(learnerIds.get(MY_RUN))
                + "): yours, built FROM distroless-python:run"), out);
        assertTrue(out.contains(MY_BUILDER + " (" + ImageInfo.shortDigest(learnerIds.get(MY_BUILDER))
                + "): yours, built FROM python:distroless"), out);
        assertTrue(out.contains(MY_APP + " (" + ImageInfo.shortDigest(learnerIds.get(MY_APP))
                + "): yours, built FROM packlab's webapp (" + ImageInfo.shortDigest(packlabIds.get("webapp:latest"))
                + ", untagged now)"), out);

        // what packlab still has in the engine is only what the learner's images need: a parent, or their tag
        for (Map.Entry<String, String> e : packlabIds.entrySet()) {
            engine.inspectImage(e.getValue()).ifPresent(i -> assertTrue(i.repoTags().stream()
                    .allMatch(t -> t.startsWith(LEARNER)), e.getKey() + " is kept only as the learner's: " + i));
        }
        assertEquals(before, DockerSupport.leftovers(engine), "no container, volume or dangling image of packlab's");
    }

    @Test
    @Order(5)
    void onceTheLearnersImagesAreGoneNothingOfPacklabsIsLeft() throws Exception {
        for (String tag : List.of(MY_APP, MY_BUILDER, MY_RUN, MY_BUILD_TAG, PACKAGE)) {
            docker("rmi", tag);
        }
        Launcher.Result r = packlab("reset", "--yes");
        System.out.println("reset once the learner's images are gone:\n" + r.all());
        assertEquals(0, r.code(), r.all());
        for (Map.Entry<String, String> e : packlabIds.entrySet()) {
            assertTrue(engine.inspectImage(e.getValue()).isEmpty(), "packlab's " + e.getKey() + " is gone: " + r.all());
        }
        assertEquals(before, DockerSupport.leftovers(engine), "the engine is as it was before");
        JsonNode progress = JSON.readTree(work.resolve(".packlab/progress.json").toFile());
        assertTrue(progress.path("lessons").isEmpty(), "nothing is left to record: " + progress.toPrettyString());
    }

    @Test
    @Order(6)
    void imagesAKitLoadBringsAreRecordedForTheirLessonAndTheBasesAreLeftAlone() throws Exception {
        Path room = work.resolve("room");
        Path kit = work.resolve("stack-kit.tar.gz");
        assertEquals(0, packlab("run", "stack").code());
        Launcher.Result saved = packlab("kit", "save", "--with-stack", kit.toString());
        assertEquals(0, saved.code(), saved.all());
        String build = id("distroless-python:build");
        String run = id("distroless-python:run");
        assertEquals(0, packlab("reset", "--yes").code());
        assertTrue(engine.inspectImage(build).isEmpty() && engine.inspectImage(run).isEmpty());

        Launcher.Result loaded = Launcher.run(Map.of(), "--workdir=" + room, "kit", "load", kit.toString());
        assertEquals(0, loaded.code(), loaded.all());
        assertEquals(build, id("distroless-python:build"));
        JsonNode progress = JSON.readTree(room.resolve(".packlab/progress.json").toFile());
        assertEquals(Map.of(build, "distroless-python:build", run, "distroless-python:run"), recorded(progress, "stack"),
                "the stack images the kit brought are the stack lesson's: " + progress.toPrettyString());

        Launcher.Result reset = Launcher.run(Map.of(), "--workdir=" + room, "reset", "--yes");
        assertEquals(0, reset.code(), reset.all());
        assertTrue(engine.inspectImage(build).isEmpty() && engine.inspectImage(run).isEmpty(), reset.all());
        for (String base : List.of("packlab-base/debian:bookworm-slim", "packlab-base/distroless-python3:debian12")) {
            assertTrue(engine.inspectImage(base).isPresent(), "the kit's base " + base + " stays: " + reset.all());
        }
        assertEquals(before, DockerSupport.leftovers(engine), "the engine is as it was before");
    }
}
