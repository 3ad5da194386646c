package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.check.CheckLanguage;
import io.packlab.engine.DockerEngine;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.LessonCatalog;
import io.packlab.lesson.Step;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every lesson's checks prove its act: for each lesson, a learner types a plausible wrong or missing
 * act into the shell (fed on a pipe, as typed), the lesson's checks fail with a hint that names the
 * cause, and then the right act makes them pass, so the next lesson starts from a real state. One work
 * folder for the whole tutorial, on the real engine with the built-in platform; reset at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WrongActIT {

    private static final Map<String, String> ENV = Map.of("PACKLAB_BASES", "local");

    @TempDir
    static Path work;

    private static DockerEngine engine;

    @BeforeAll
    static void docker() {
        engine = DockerSupport.engine();
        assertTrue(engine.listImages(io.packlab.engine.Engine.labelFilter(io.packlab.engine.Engine.LESSON_LABEL, null))
                .isEmpty(), "the daemon starts with none of packlab's lesson images (a missing image is a wrong act here)");
    }

    @AfterAll
    static void close() throws Exception {
        if (engine != null) {
            Launcher.Result reset = packlab("reset", "--yes");
            engine.close();
            assertEquals(0, reset.code(), reset.all());
        }
    }

    private static Launcher.Result packlab(String... args) throws Exception {
        return Launcher.run(ENV, Launcher.cat(new String[] {"--workdir=" + work, "--engine", "builtin"}, args));
    }

    /** The lines typed into the shell (one per line, here-document bodies included), each session from the work folder. */
    private static Launcher.Result typed(String... lines) throws Exception {
        return Launcher.runFed(String.join("\n", lines) + "\n", ENV, "--workdir=" + work, "--engine", "builtin");
    }

    /** The lesson's right act: its own steps and checks, as `run` does them. */
    private static void runLesson(String id) throws Exception {
        Launcher.Result r = packlab("run", id);
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("✔ lesson " + id + ": all "), r.out());
    }

    /** The check failed, its hint says {@code cause}, and the lesson is not passed. */
    private static void failsNaming(Launcher.Result r, String failedCheck, String cause) {
        // 1 for the failed check; 2 when a typed step also failed on bad input (a path from the wrong folder)
        assertTrue(r.code() == 1 || r.code() == 2, r.code() + "\n" + r.all());
        assertTrue(r.out().contains("✘ " + failedCheck), failedCheck + "\n" + r.out());
        int at = r.out().indexOf("✘ " + failedCheck);
        int hint = r.out().indexOf("hint ", at);
        int next = r.out().indexOf("\n✘ ", at + 1);
        assertTrue(hint > at && (next < 0 || hint < next), "the failed check has a hint: " + r.out().substring(at));
        String hintText = r.out().substring(hint, r.out().indexOf("\n", hint));
        assertTrue(hintText.contains(cause), "the hint names the cause `" + cause + "`: " + hintText);
    }

    /** The lesson's own command line that starts with {@code start}, as the learner reads it. */
    private static String stepLine(Lesson lesson, String start) {
        return lesson.steps().stream().flatMap(s -> s.lines().stream()).map(Step.StepLine::command)
                .filter(c -> c.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("lesson " + lesson.id() + " has no step line `" + start + "...`"));
    }

    @Test
    @Order(1)
    void stackWithOnlyTheBuildImageNamesTheMissingRunImage() throws Exception {
        Launcher.Result r = typed("cd stacks/distroless-python", "docker build -t distroless-python:build ./build",
                "check stack");
        failsNaming(r, "image distroless-python:run exists", "docker build -t distroless-python:run ./run");
        runLesson("stack");
    }

    @Test
    @Order(2)
    void theScaffoldAloneOrAnEditOfTheWrongFileIsNoBuildpack() throws Exception {
        Lesson lesson = LessonCatalog.load(Launcher.HOME.resolve("lessons/en"), CheckLanguage.standard()).get("buildpack");
        String scaffold = stepLine(lesson, "pack buildpack new ");
        String detect = stepLine(lesson, "cat > scratch/my-cnb/bin/detect <<");
        String build = stepLine(lesson, "cat > scratch/my-cnb/bin/build <<");

        // only the scaffold: its detect passes every app and its build makes nothing
        Launcher.Result scaffolded = typed(scaffold, "check buildpack");
        failsNaming(scaffolded, "buildpack scratch/my-cnb skips stacks on distroless-python:build", "scaffold's bin/detect");
        failsNaming(scaffolded, "buildpack scratch/my-cnb builds sample-app on distroless-python:build",
                "scaffold's bin/build");
        assertTrue(scaffolded.out().contains("found    detect exited with 0: it passes here too"), scaffolded.out());

        // the detect script typed into bin/build: detect still passes everything, build makes no layer
        Launcher.Result wrongFile = typed(detect.replace("scratch/my-cnb/bin/detect", "scratch/my-cnb/bin/build"),
                "check buildpack");
        failsNaming(wrongFile, "buildpack scratch/my-cnb skips stacks on distroless-python:build", "bin/detect");
        assertTrue(wrongFile.out().contains("no layer: the layers folder stays empty; no launch.toml"), wrongFile.out());

        // the right act, typed as the lesson writes it: the here-documents end at their EOF lines
        Launcher.Result right = typed(detect, build, "check buildpack");
        assertEquals(0, right.code(), right.all());
        assertTrue(right.out().contains("✔ lesson buildpack: all 5 checks passed"), right.out());
    }

    @Test
    @Order(3)
    void packagingFromTheStackFolderOrTheRepositorysEmptyBuildpackNamesTheCause() throws Exception {
        Lesson lesson = LessonCatalog.load(Launcher.HOME.resolve("lessons/en"), CheckLanguage.standard()).get("package");
        String packageToml = stepLine(lesson, "cat > scratch/my-cnb/package.toml <<");
        String pack = stepLine(lesson, "pack buildpack package ");

        Launcher.Result r = typed(packageToml, "cd stacks/distroless-python", pack, "check package");
        assertTrue(r.out().contains("✔ file scratch/my-cnb/package.toml exists"), r.out());
        failsNaming(r, "image example/my-cnb exists", "from the work folder root");

        // the package the lesson made before the learner wrote the buildpack: the repository's empty one
        Launcher.Result empty = typed("pack buildpack package example/my-cnb --config ./packages/empty/package.toml",
                "check package");
        failsNaming(empty, "image example/my-cnb label io.buildpacks.buildpackage.metadata json /id = example/my-cnb",
                "--config ./scratch/my-cnb/package.toml");
        failsNaming(empty, "image example/my-cnb label io.buildpacks.buildpack.layers json /example~1my-cnb/0.0.1/api"
                + " = 0.9", "example/my-cnb 0.0.1");
        runLesson("package");
    }

    @Test
    @Order(4)
    void creatingTheBuilderFromItsOwnFolderNamesTheFolder() throws Exception {
        Launcher.Result r = typed("cd builders/distroless-python", "pack builder create python:distroless --config"
                + " ./builders/distroless-python/builder.toml --pull-policy if-not-present", "check builder");
        failsNaming(r, "image python:distroless exists", "from the work folder root");
        runLesson("builder");
    }

    @Test
    @Order(5)
    void buildingInTheWorkFolderRootNamesSampleApp() throws Exception {
        Launcher.Result r = typed("pack build webapp --builder python:distroless --pull-policy if-not-present",
                "check build");
        assertTrue(r.err().contains("No buildpack groups passed detection"), r.all());
        failsNaming(r, "image webapp exists", "cd sample-app");
        runLesson("build");
    }

    @Test
    @Order(6)
    void buildingWithTheBuildersOwnBuildpackNamesBuildpackOption() throws Exception {
        Launcher.Result r = typed("!sed -i 's/^version = \"0.0.1\"/version = \"0.0.2\"/' buildpacks/python/buildpack.toml",
                "cd sample-app", "pack build webapp --builder python:distroless --pull-policy if-not-present",
                "check add-buildpack");
        failsNaming(r, "image webapp label io.buildpacks.build.metadata json /buildpacks/0/version = 0.0.2",
                "--buildpack ../buildpacks/python");

        // the learner's package first: its layer is there, but python's web process replaces its own (and lesson
        // build's checks fail too, so `run add-buildpack` would ask for lesson build first)
        Launcher.Result mineFirst = typed("cd sample-app", "pack build webapp --builder python:distroless --buildpack"
                + " docker://example/my-cnb --buildpack ../buildpacks/python --pull-policy if-not-present",
                "check add-buildpack");
        assertTrue(mineFirst.out().contains("✔ http webapp port 8080 status 200 contains \"Hello from my-cnb\""),
                mineFirst.out());
        failsNaming(mineFirst, "image webapp label io.buildpacks.build.metadata json /processes/0/buildpackID"
                + " = example/my-cnb", "after --buildpack ../buildpacks/python");

        // the new python, but not the learner's buildpack: it did not run, no greeting (lesson build's checks pass again)
        Launcher.Result pythonOnly = typed("cd sample-app", "pack build webapp --builder python:distroless --buildpack"
                + " ../buildpacks/python --pull-policy if-not-present", "check add-buildpack");
        assertTrue(pythonOnly.out().contains("✔ image webapp label io.buildpacks.build.metadata json /buildpacks/0/version"
                + " = 0.0.2"), pythonOnly.out());
        failsNaming(pythonOnly, "image webapp label io.buildpacks.build.metadata json /buildpacks/1/id = example/my-cnb",
                "--buildpack docker://example/my-cnb");
        failsNaming(pythonOnly, "http webapp port 8080 status 200 contains \"Hello from my-cnb\"", "GREETING");

        // the package named without docker://: pack reads namespace/name as a Buildpack Registry id; the build is
        // refused (exit 2) saying what to write, and webapp stays as it was
        Launcher.Result bare = typed("cd sample-app", "pack build webapp --builder python:distroless --buildpack"
                + " ../buildpacks/python --buildpack example/my-cnb --pull-policy if-not-present", "check add-buildpack");
        assertEquals(2, bare.code(), bare.all());
        assertTrue(bare.all().contains("For the buildpackage image of that name in the Docker engine, write"
                + " docker://example/my-cnb"), bare.all());
        failsNaming(bare, "image webapp label io.buildpacks.build.metadata json /buildpacks/1/id = example/my-cnb",
                "--buildpack docker://example/my-cnb");

        runLesson("add-buildpack");
    }

    @Test
    @Order(7)
    void aRebuildOnThePatchedRunImageIsNoRebase() throws Exception {
        Lesson six = LessonCatalog.load(Launcher.HOME.resolve("lessons/en"), CheckLanguage.standard()).get("add-buildpack");
        Launcher.Result r = typed("snapshot before-rebase webapp",
                "!printf 'packlab tutorial: a patch of the run image\\n' > stacks/distroless-python/run/patch.txt",
                "!printf '\\nLABEL io.packlab.tutorial.patch=\"1\"\\n' >> stacks/distroless-python/run/Dockerfile",
                "!printf 'COPY patch.txt /etc/packlab-patch.txt\\n' >> stacks/distroless-python/run/Dockerfile",
                "cd stacks/distroless-python", "docker build -t distroless-python:run ./run",
                "cd ../../sample-app",
                stepLine(six, "pack build "), // lesson 6's build again, the learner's buildpack included
                "check rebase");
        // a reproducible rebuild passes every layer check: the run image's layers are new, the app's the same
        assertTrue(r.out().contains("✔ image webapp runs-on distroless-python:run"), r.out());
        assertTrue(r.out().contains("✔ image webapp app-layers = snapshot before-rebase"), r.out());
        assertTrue(r.out().contains("✔ image webapp id != snapshot before-rebase"), r.out());
        // but a build took the run image's configuration, which a rebase keeps from the app
        failsNaming(r, "image webapp config = snapshot before-rebase", "not rebased");
        assertTrue(r.out().contains("label io.packlab.tutorial.patch=1 is new"), r.out());

        // what the hint says to do: run the lesson again (a new snapshot, the patch, a rebase)
        runLesson("rebase");
    }
}
