package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.ContainerSummary;
import io.packlab.engine.Created;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import io.packlab.lesson.Lesson;
import io.packlab.progress.LessonState;
import io.packlab.progress.Progress;
import io.packlab.support.FakeEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How reset plans: only what progress records by ID, never the label alone; what it keeps, and why. */
class ResetPlannerTest {

    private static final String RUN = "sha256:" + "1".repeat(64);
    private static final String BUILD = "sha256:" + "2".repeat(64);
    private static final String APP = "sha256:" + "3".repeat(64);
    private static final String APP_OLD = "sha256:" + "4".repeat(64);
    private static final String MINE = "sha256:" + "5".repeat(64);
    private static final String OLDER = "sha256:" + "6".repeat(64);

    private static ImageInfo image(String id, List<String> tags, String lesson, List<String> layers) {
        Map<String, String> labels = lesson == null ? Map.of() : Map.of(Engine.LESSON_LABEL, lesson);
        return new ImageInfo(id, tags, labels, List.of(), "", "", List.of(), List.of(), layers, 1);
    }

    private static Lesson lesson(String id) {
        return new Lesson(id, id, Path.of(id + ".md"), "", List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private static Progress made(Progress p, String lesson, Created... created) {
        return p.withLesson(lesson, p.lesson(lesson).withCreated(List.of(created)));
    }

    private static ResetPlan plan(FakeEngine engine, Progress progress, String lesson) {
        return new ResetPlanner(engine, progress, Optional.ofNullable(lesson).map(ResetPlannerTest::lesson)).plan();
    }

    private static List<String> kept(ResetPlan plan) {
        List<String> lines = new ArrayList<>();
        plan.kept().forEach(k -> lines.add(k.line()));
        return lines;
    }

    private static boolean anyKept(ResetPlan plan, String... parts) {
        return plan.kept().stream().anyMatch(k -> {
            for (String part : parts) {
                if (!k.line().contains(part)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void removesWhatPacklabRecordedAndKeepsTheLearnersImageBuiltFromIt() {
        FakeEngine engine = new FakeEngine()
                .withImage(image(RUN, List.of("distroless-python:run"), "stack", List.of("sha256:a", "sha256:b")))
                .withImage(image(BUILD, List.of("distroless-python:build"), "stack", List.of("sha256:a", "sha256:c")))
                // the learner's own image, FROM the run image: it inherits the label
                .withImage(image(MINE, List.of("myrun:1"), "stack", List.of("sha256:a", "sha256:b", "sha256:m")));
        Progress p = made(Progress.start(), "stack", Created.image(BUILD, List.of("distroless-python:build")),
                Created.image(RUN, List.of("distroless-python:run")));

        ResetPlan plan = plan(engine, p, null);

        assertEquals(List.of("image distroless-python:build (222222222222)", "image distroless-python:run (111111111111;"
                + " Docker keeps the image itself if it is the parent of your myrun:1)"), plan.names());
        assertEquals(1, plan.kept().size(), kept(plan).toString());
        assertEquals("kept image myrun:1 (555555555555): yours, built FROM distroless-python:run. To remove it:"
                + " docker rmi myrun:1", plan.kept().get(0).line());
    }

    @Test
    void aTagTheLearnerRebuiltIsKeptAndPacklabsOldImageGoesByItsId() {
        FakeEngine engine = new FakeEngine()
                .withImage(image(MINE, List.of("webapp:latest"), "build", List.of("sha256:a", "sha256:z")))
                .withImage(image(APP, List.of(), "build", List.of("sha256:a", "sha256:x")));
        Progress p = made(Progress.start(), "build", Created.image(APP, List.of("webapp")));

        ResetPlan plan = plan(engine, p, "build");

        assertEquals(List.of(new ResetPlan.Image(APP, List.of(), true, List.of(), List.of(), List.of("webapp"))),
                plan.removals());
        assertEquals(List.of("image 333333333333 (once webapp, untagged now)"), plan.names());
        assertTrue(anyKept(plan, "kept image webapp:latest (555555555555)", "its tag webapp now points to an image"
                + " packlab did not make", "docker rmi webapp:latest"), kept(plan).toString());
        assertEquals(1, plan.kept().size(), "the learner's webapp is named once: " + kept(plan));
    }

    @Test
    void anExtraTagOfTheLearnersKeepsTheImageAndOnlyPacklabsTagGoes() {
        FakeEngine engine = new FakeEngine()
                .withImage(image(BUILD, List.of("distroless-python:build", "mybuild:1"), "stack", List.of("sha256:a")));
        Progress p = made(Progress.start(), "stack", Created.image(BUILD, List.of("distroless-python:build")));

        ResetPlan plan = plan(engine, p, null);

        assertEquals(List.of(new ResetPlan.Image(BUILD, List.of("distroless-python:build"), false, List.of("mybuild:1"),
                List.of(), List.of())),
                plan.removals());
        assertTrue(plan.names().get(0).startsWith("tag distroless-python:build (only the tag: image 222222222222 stays"),
                plan.names().toString());
        assertTrue(anyKept(plan, "mybuild:1", "yours, you tagged packlab's image; only packlab's tag distroless-python:build goes"),
                kept(plan).toString());
    }

    @Test
    void labelledImagesThatNoLessonRecordedAreKeptWithTheCommandToRemoveThem() {
        FakeEngine engine = new FakeEngine()
                .withImage(image(OLDER, List.of("python:distroless"), "builder", List.of("sha256:q")))
                .withImage(image(APP_OLD, List.of(), "build", List.of("sha256:r")));
        Progress p = Progress.start();

        ResetPlan plan = plan(engine, p, null);

        assertTrue(plan.removals().isEmpty(), plan.names().toString());
        assertTrue(anyKept(plan, "kept image python:distroless (666666666666)", "packlab did not record making it",
                "docker rmi python:distroless"), kept(plan).toString());
        assertTrue(anyKept(plan, "kept image 444444444444", "docker rmi 444444444444"), kept(plan).toString());
    }

    @Test
    void tagsAnEarlierPacklabRecordedWithoutIdsAreKept() {
        FakeEngine engine = new FakeEngine()
                .withImage(image(RUN, List.of("distroless-python:run"), "stack", List.of("sha256:a")));
        Progress p = Progress.start().withLesson("stack", new LessonState(List.of(), List.of(), List.of(),
                List.of("distroless-python:run"), null, 0, null, null));

        ResetPlan plan = plan(engine, p, "stack");

        assertTrue(plan.removals().isEmpty(), plan.names().toString());
        assertTrue(anyKept(plan, "distroless-python:run", "an earlier packlab recorded only its tag", "docker rmi"),
                kept(plan).toString());
    }

    @Test
    void resetOfOneLessonLeavesWhatAnotherLessonAlsoMade() {
        FakeEngine engine = new FakeEngine()
                .withImage(image(APP, List.of("webapp:latest"), "add-buildpack", List.of("sha256:a")))
                .withVolume("pack-cache-x.build", Map.of(Engine.LESSON_LABEL, "build"));
        Progress p = made(Progress.start(), "build", Created.image(APP, List.of("webapp")),
                Created.volume("pack-cache-x.build"));
        p = made(p, "add-buildpack", Created.image(APP, List.of("webapp")), Created.volume("pack-cache-x.build"));

        ResetPlan one = plan(engine, p, "build");
        assertTrue(one.removals().isEmpty(), one.names().toString());
        assertTrue(anyKept(one, "webapp", "lesson add-buildpack made it too"), kept(one).toString());
        assertTrue(anyKept(one, "volume pack-cache-x.build", "the builds of lesson add-buildpack use it too"),
                kept(one).toString());

        ResetPlan all = plan(engine, p, null);
        assertEquals(List.of("image webapp (333333333333)", "volume pack-cache-x.build"), all.names());
        assertTrue(all.kept().isEmpty(), kept(all).toString());
    }

    @Test
    void containersAndVolumesGoOnlyWhenRecorded() {
        FakeEngine engine = new FakeEngine()
                .withContainer(new ContainerSummary("c".repeat(64), "packlab-left", "python:distroless", "running",
                        Map.of(Engine.LESSON_LABEL, "build")))
                .withContainer(new ContainerSummary("d".repeat(64), "my-webapp", "webapp", "exited",
                        Map.of(Engine.LESSON_LABEL, "build")))
                .withVolume("pack-cache-a.build", Map.of(Engine.LESSON_LABEL, "build"))
                .withVolume("pack-cache-b.build", Map.of(Engine.LESSON_LABEL, "build"))
                .withVolume("my-data", Map.of());
        Progress p = made(Progress.start(), "build", Created.container("c".repeat(64)),
                Created.volume("pack-cache-a.build"), Created.volume("pack-cache-gone.build"));

        ResetPlan plan = plan(engine, p, "build");

        assertEquals(List.of("container packlab-left", "volume pack-cache-a.build"), plan.names());
        assertTrue(anyKept(plan, "container my-webapp (of webapp)", "docker rm -f my-webapp"), kept(plan).toString());
        assertTrue(anyKept(plan, "volume pack-cache-b.build", "docker volume rm pack-cache-b.build"), kept(plan).toString());
        assertFalse(kept(plan).toString().contains("my-data"), "an unlabelled volume is not packlab's business");
    }

    @Test
    void aTagPacklabOnlyAddedToAnImageItDidNotMakeIsNotTheWayToRemoveThatImage() {
        FakeEngine engine = new FakeEngine()
                .withImage(image(MINE, List.of("registry.local/mine:1"), null, List.of("sha256:m")));
        Progress p = made(Progress.start(), "package", Created.tag(MINE, "registry.local/mine:1"));

        ResetPlan plan = plan(engine, p, null);

        assertTrue(plan.removals().isEmpty(), plan.names().toString());
        assertTrue(anyKept(plan, "registry.local/mine:1", "packlab only tagged it"), kept(plan).toString());
    }

    @Test
    void aTagPacklabAddedToItsOwnImageGoesWithIt() {
        FakeEngine engine = new FakeEngine()
                .withImage(image(BUILD, List.of("example/my-cnb:latest", "localhost:5000/example/my-cnb:0.0.1"),
                        "package", List.of("sha256:a")));
        Progress p = made(Progress.start(), "package", Created.image(BUILD, List.of("example/my-cnb")),
                Created.tag(BUILD, "localhost:5000/example/my-cnb:0.0.1"));

        ResetPlan plan = plan(engine, p, null);

        assertEquals(List.of(new ResetPlan.Image(BUILD, List.of("example/my-cnb", "localhost:5000/example/my-cnb:0.0.1"),
                true, List.of(), List.of(), List.of())), plan.removals());
        assertTrue(plan.kept().isEmpty(), kept(plan).toString());
    }

    @Test
    void referencesCompareAsTheEngineListsThem() {
        assertEquals("webapp:latest", ResetPlanner.normalize("webapp"));
        assertEquals("webapp:latest", ResetPlanner.normalize("docker.io/library/webapp"));
        assertEquals("localhost:5000/example/my-cnb:latest", ResetPlanner.normalize("localhost:5000/example/my-cnb"));
        assertEquals("localhost:5000/x:1", ResetPlanner.normalize("localhost:5000/x:1"));
    }

    @Test
    void aLearnersImageIsTheChildOfThePacklabImageClosestToIt() {
        FakeEngine engine = new FakeEngine()
                .withImage(image(RUN, List.of("distroless-python:run"), "stack", List.of("sha256:a")))
                .withImage(image(APP, List.of(), "build", List.of("sha256:a", "sha256:x")))
                .withImage(image(MINE, List.of("myapp:1"), "build", List.of("sha256:a", "sha256:x", "sha256:m")));
        Progress p = made(Progress.start(), "stack", Created.image(RUN, List.of("distroless-python:run")));
        p = made(p, "build", Created.image(APP, List.of("webapp")));

        ResetPlan plan = plan(engine, p, null);

        assertEquals(List.of(new ResetPlan.Image(RUN, List.of("distroless-python:run"), true, List.of(), List.of(),
                List.of()), new ResetPlan.Image(APP, List.of(), true, List.of(), List.of("myapp:1"), List.of("webapp"))),
                plan.removals());
        assertEquals("image 333333333333 (once webapp, untagged now; Docker keeps the image itself if it is the parent"
                + " of your myapp:1)", plan.names().get(1));
        assertTrue(anyKept(plan, "kept image myapp:1", "yours, built FROM packlab's webapp (333333333333, untagged now)"),
                kept(plan).toString());
    }
}
