package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell driven through a real pseudo-terminal (tmux): start, TAB completion, a docker build
 * typed by the learner, check, gating of next, next, Ctrl-C of a running step, quit.
 */
class ShellIT {

    private static final String FIRST_IMAGE = "packlab-test-first:latest";
    private static final String SLOW_BASE = "packlab-base/debian:bookworm-slim";

    @TempDir
    Path work;

    @TempDir
    Path home;

    private final String session = "packlab-it-" + ProcessHandle.current().pid();
    private DockerEngine engine;

    @BeforeEach
    void start() throws Exception {
        DockerSupport.requireDocker();
        DockerSupport.requireProgram("tmux");
        engine = DockerEngine.fromEnvironment(System.getenv());
        engine.removeImage(FIRST_IMAGE, true);
        Path context = Files.createDirectories(work.resolve("ctx"));
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /\nLABEL purpose=shell-test\n");
        Path slow = Files.createDirectories(work.resolve("slow"));
        Files.writeString(slow.resolve("Dockerfile"), "FROM " + SLOW_BASE + "\nRUN echo building-slowly && sleep 60\n");
        String command = "cd " + Launcher.HOME + " && HOME=" + home + " NO_COLOR=1 ./packlab --workdir " + work
                + " --lessons src/test/resources/lessons/two --record " + work.resolve("session.cast") + "; echo \"[packlab exited with $?]\"; sleep 600";
        tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "50", command);
    }

    @AfterEach
    void stop() throws Exception {
        tmux("kill-session", "-t", session);
        if (engine != null) {
            engine.removeImage(FIRST_IMAGE, true);
            engine.close();
        }
    }

    @Test
    void aLearnerSessionThroughAPseudoTerminal() throws Exception {
        await("the prompt of the first lesson", s -> s.contains("packlab [1/2 first]>"), Duration.ofSeconds(60));

        keys("ch", "Tab");
        await("ch<TAB> completed to check", s -> lastLine(s).endsWith("packlab [1/2 first]> check"), Duration.ofSeconds(5));
        keys("Enter");
        await("the failing check", s -> s.contains("✘ image packlab-test-first:latest exists")
                && s.contains("hint     build packlab-test-first"), Duration.ofSeconds(20));

        keys("next", "Enter");
        await("next refused while the checks fail", s -> s.contains("Lesson first is not done yet"), Duration.ofSeconds(20));
        keys("hint", "Enter");
        await("hint shows the lesson's hint", s -> s.contains("hint: Build it with docker build."), Duration.ofSeconds(10));
        assertTrue(lastLine(screen()).contains("[1/2 first]"), screen());

        keys("docker build -t " + FIRST_IMAGE + " ctx", "Enter");
        await("the typed build ran through the Engine API", s -> s.contains("✔ built " + FIRST_IMAGE),
                Duration.ofSeconds(60));
        assertEquals("first", engine.inspectImage(FIRST_IMAGE).orElseThrow().labels().get(Engine.LESSON_LABEL),
                "a build typed in the shell carries the current lesson's label");

        keys("check", "Enter");
        await("the check passes", s -> s.contains("lesson first: all 1 checks passed"), Duration.ofSeconds(20));
        keys("next", "Enter");
        await("moved to the second lesson", s -> lastLine(s).contains("packlab [2/2 second]>"), Duration.ofSeconds(20));

        keys("!sleep 30", "Enter");
        await("the step runs", s -> s.contains("$ sleep 30"), Duration.ofSeconds(10));
        long before = System.nanoTime();
        keys("C-c");
        await("Ctrl-C stopped the step, not the shell", s -> s.contains("stopped `sleep 30` (Ctrl-C)")
                && lastLine(s).contains("packlab [2/2 second]>"), Duration.ofSeconds(5));
        assertTrue(System.nanoTime() - before < Duration.ofSeconds(3).toNanos(), "stopped within 2-3 s");

        if (engine.inspectImage(SLOW_BASE).isPresent()) {
            int containers = engine.listContainers(List.of()).size();
            keys("docker build -t packlab-test-slow slow", "Enter");
            await("the slow build runs", s -> s.contains("building-slowly"), Duration.ofSeconds(60));
            long started = System.nanoTime();
            keys("C-c");
            await("Ctrl-C stopped the build and the prompt is back", s -> s.contains("stopped `docker build` (Ctrl-C)")
                    && lastLine(s).contains("packlab [2/2 second]>"), Duration.ofSeconds(5));
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos() + 300_000_000L,
                    "back at the prompt within about 2 s");
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (engine.listContainers(List.of()).size() != containers && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            assertEquals(containers, engine.listContainers(List.of()).size(), "no build container left behind");
            assertTrue(engine.inspectImage("packlab-test-slow").isEmpty());
        } else if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(SLOW_BASE + " is missing; .ci/run makes it with scripts/make-bases.sh");
        }

        Launcher.Result second = Launcher.run(java.util.Map.of(), "--workdir=" + work, "--lessons",
                "src/test/resources/lessons/two", "run", "first");
        assertEquals(1, second.code(), second.all());
        assertTrue(second.err().contains("another packlab (pid ") && second.err().contains(" is working in " + work),
                "a second packlab running steps on the same work folder refuses: " + second.err());
        Launcher.Result beside = Launcher.run(java.util.Map.of(), "--workdir=" + work, "--lessons",
                "src/test/resources/lessons/two", "check", "first");
        assertEquals(0, beside.code(), beside.all());
        assertTrue(beside.all().contains("this check is not recorded in the progress: another packlab (pid "),
                "a check beside it only reads, and says it did not record: " + beside.all());

        keys("quit", "Enter");
        await("the shell left", s -> s.contains("bye: your progress is kept")
                && s.contains("[packlab exited with 0]"), Duration.ofSeconds(10));
        String progress = Files.readString(work.resolve(".packlab/progress.json"));
        assertTrue(progress.contains("\"current\" : \"second\""), progress);
        assertTrue(progress.contains(FIRST_IMAGE), "what the lesson made is recorded: " + progress);
        assertTrue(Files.readString(home.resolve(".packlab_history")).contains("docker build -t " + FIRST_IMAGE),
                "history is kept in the user's home");
        assertFalse(screen().contains("Exception"), screen());
        String cast = Files.readString(work.resolve("session.cast"));
        assertTrue(cast.startsWith("{\"version\":2,"), cast);
        assertTrue(cast.contains("\"i\",\"docker build -t " + FIRST_IMAGE + " ctx\\r\\n\"]"),
                "what was typed is recorded: " + cast);
        assertTrue(cast.contains("lesson first: all 1 checks passed"), "check results are recorded");
    }

    private static String lastLine(String screen) {
        List<String> lines = screen.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).stripTrailing();
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", session);
    }

    private void await(String what, Predicate<String> condition, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        String s = "";
        while (System.nanoTime() < end) {
            s = screen();
            if (condition.test(s)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; the screen:\n" + s);
    }

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("tmux");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
