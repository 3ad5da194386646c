package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.ContainerSummary;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.Owner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Signals to the real {@code ./packlab} process (the launcher execs java, so its pid is the JVM's):
 * SIGINT and SIGTERM during {@code bin/build} and during the export of {@code run build} and of
 * {@code pack build} cancel the step, remove its container and temporary folder, keep the app image
 * and the progress file as they were, and exit 130 or 143 with one line; after a {@code kill -9} the
 * orphans are there, {@code doctor} names them and the next {@code run build} removes them, saying
 * so; a live packlab's things are never taken by another packlab.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessSignalIT {

    private static final Map<String, String> ENV = Map.of("PACKLAB_BASES", "local");
    private static final String APP_IMAGE = "webapp";

    @TempDir
    static Path work;

    @TempDir
    static Path other;

    private static DockerEngine engine;
    private static String[] pl;
    private static Path slow;

    @BeforeAll
    static void lessonsBefore() throws Exception {
        engine = DockerSupport.engine();
        pl = new String[] {"--workdir=" + work, "--engine", "builtin"};
        for (String lesson : List.of("stack", "buildpack", "package", "builder", "build")) {
            Launcher.Result r = Launcher.run(ENV, Launcher.cat(pl, "run", lesson));
            assertEquals(0, r.code(), lesson + ": " + r.all());
        }
        // a buildpack that sleeps in bin/build, so that a signal surely arrives while it runs
        slow = Files.createDirectories(work.resolve("slow-bp/bin"));
        Files.writeString(slow.resolveSibling("buildpack.toml"), """
                api = "0.9"
                [buildpack]
                id = "example/slow"
                version = "0.0.1"
                [[stacks]]
                id = "com.example.stacks.distroless-python"
                """);
        script(slow.resolve("detect"), "exit 0");
        script(slow.resolve("build"), "echo \"slow: sleeping in bin/build\"\nsleep 300");
        slow = slow.getParent();
    }

    @AfterAll
    static void resetAll() throws Exception {
        if (engine != null) {
            Launcher.run(ENV, Launcher.cat(pl, "reset", "--yes"));
            engine.close();
        }
    }

    private static void script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The command line of a case: the lesson, or the pack stand-in with the slow buildpack for bin/build. */
    private static String[] command(String what, String phase) {
        if (what.equals("run")) {
            return Launcher.cat(pl, "run", "build");
        }
        List<String> args = new ArrayList<>(List.of("pack", "build", APP_IMAGE, "--builder", "python:distroless",
                "--path", work.resolve("sample-app").toString()));
        if (phase.equals("bin/build")) {
            args.addAll(List.of("--buildpack", "example/python", "--buildpack", slow.toString()));
        }
        return Launcher.cat(pl, args.toArray(String[]::new));
    }

    /** The line that says the phase has begun: printed by the buildpack in bin/build, by packlab at export. */
    private static String phaseLine(String what, String phase) {
        if (phase.equals("export")) {
            return "===> EXPORTING";
        }
        return what.equals("run") ? "---> Python buildpack" : "slow: sleeping in bin/build";
    }

    private static Optional<String> appImage() {
        return engine.inspectImage(APP_IMAGE).map(i -> i.id());
    }

    private static void assertProgressWhole() throws Exception {
        String progress = Files.readString(work.resolve(".packlab/progress.json"));
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(progress); // whole, valid JSON
    }

    /** Containers that a packlab process (pid) made: by the owner label. */
    private static List<ContainerSummary> containersOf(long pid) {
        return engine.listContainers(Engine.labelFilter(Owner.LABEL, null)).stream()
                .filter(c -> Owner.fromLabel(c.labels().get(Owner.LABEL)).map(o -> o.pid() == pid).orElse(false))
                .toList();
    }

    private static List<String> tempsOf(long pid) throws Exception {
        return DockerSupport.packlabTemps().stream().filter(n -> n.startsWith("packlab-" + pid + "-")).toList();
    }

    @ParameterizedTest(name = "SIG{0} at {2} of {1} build")
    @CsvSource({
        "INT, run, bin/build", "TERM, run, bin/build", "INT, run, export", "TERM, run, export",
        "INT, pack, bin/build", "TERM, pack, bin/build", "INT, pack, export", "TERM, pack, export"})
    @Order(1)
    void aSignalCancelsTheStepAndLeavesNothingBehind(String signal, String what, String phase) throws Exception {
        // the app changes, so that an export that went through would change the image
        Files.writeString(work.resolve("sample-app/signal.txt"), signal + " at " + phase + " of " + what + "\n");
        Set<String> before = DockerSupport.leftovers(engine);
        List<String> temps = DockerSupport.packlabTemps();
        Optional<String> image = appImage();
        assertTrue(image.isPresent(), "the build lesson made the app image");

        Launcher.Running running = Launcher.startInterruptible(ENV, command(what, phase));
        running.awaitOutput(phaseLine(what, phase), 300);
        boolean sleeping = what.equals("pack") && phase.equals("bin/build");
        if (!sleeping) {
            // hold the JVM where it printed the phase's line, so that the signal lands in that phase
            running.signal("STOP");
        }
        assertFalse(containersOf(running.pid()).isEmpty(), "the build container is there while the build runs");
        running.signal(signal);
        if (!sleeping) {
            running.signal("CONT");
        }
        Launcher.Result r = running.await(60);

        assertEquals(signal.equals("INT") ? 130 : 143, r.code(), r.all());
        String name = signal.equals("INT") ? "SIGINT (Ctrl-C)" : "SIGTERM";
        List<String> stopped = r.err().lines().filter(l -> l.startsWith("stopped ")).toList();
        assertEquals(1, stopped.size(), r.all());
        assertTrue(stopped.get(0).startsWith("stopped by " + name + ": `packlab --workdir=" + work), stopped.get(0));
        assertTrue(stopped.get(0).endsWith("` was cancelled; nothing was left behind (no container, no temporary"
                + " folder of it remains)."), stopped.get(0));
        assertFalse(r.err().contains("error:") || r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
        assertTrue(r.out().contains(phaseLine(what, phase)), r.out());

        assertEquals(before, DockerSupport.leftovers(engine), "no container, volume or dangling image left");
        assertEquals(temps, DockerSupport.packlabTemps(), "no temporary folder left");
        assertEquals(image, appImage(), "the app image is the one before");
        assertProgressWhole();
    }

    @Test
    @Order(2)
    void afterKillMinus9DoctorNamesTheOrphansAndTheNextRunRemovesThem() throws Exception {
        Files.deleteIfExists(work.resolve("sample-app/signal.txt")); // the app as the build lesson built it
        Set<String> before = DockerSupport.leftovers(engine);
        List<String> temps = DockerSupport.packlabTemps();

        Launcher.Running running = Launcher.start(ENV, Launcher.cat(pl, "run", "build"));
        running.awaitOutput("---> Python buildpack", 300);
        running.signal("STOP"); // in bin/build: the container and the temporary folder are there
        running.signal("KILL");
        Launcher.Result killed = running.await(30);
        assertEquals(137, killed.code(), killed.all());
        long pid = running.pid();
        List<ContainerSummary> orphans = containersOf(pid);
        List<String> orphanTemps = tempsOf(pid);
        assertEquals(1, orphans.size(), "the build container is left: " + orphans);
        assertEquals(1, orphanTemps.size(), "the build's temporary folder is left: " + orphanTemps);
        String temp = Path.of(System.getProperty("java.io.tmpdir")).resolve(orphanTemps.get(0)).toString();

        Launcher.Result doctor = Launcher.run(ENV, Launcher.cat(pl, "doctor"));
        assertEquals(0, doctor.code(), doctor.all());
        assertTrue(doctor.out().contains("! left behind by a packlab that was killed (no longer running): 1 container ("
                + orphans.get(0).name() + ") and 1 temporary folder (" + temp + ") of packlab pid " + pid + ". The next"
                + " packlab command that runs a step (run, pack, docker build) removes them; to remove them now:"
                + " docker rm -f " + orphans.get(0).id().substring(0, 12) + "; rm -rf " + temp), doctor.out());
        assertEquals(orphans.stream().map(ContainerSummary::id).toList(),
                containersOf(pid).stream().map(ContainerSummary::id).toList(), "doctor only looks");
        assertEquals(orphanTemps, tempsOf(pid), "doctor only looks");

        Launcher.Result again = Launcher.run(ENV, Launcher.cat(pl, "run", "build"));
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().contains("! removed what a packlab that was killed had left: 1 container ("
                + orphans.get(0).name() + ") and 1 temporary folder (" + temp + ") of packlab pid " + pid
                + " (no longer running)"), again.out());
        assertTrue(again.out().contains("lesson build: all 6 checks passed"), again.out());
        assertEquals(List.of(), containersOf(pid));
        assertEquals(List.of(), tempsOf(pid));
        assertEquals(before, DockerSupport.leftovers(engine), "no container, volume or dangling image left");
        assertEquals(temps, DockerSupport.packlabTemps(), "no temporary folder left");

        Launcher.Result clean = Launcher.run(ENV, Launcher.cat(pl, "doctor"));
        assertTrue(clean.out().contains("✔ nothing left behind by stopped packlab runs on this machine"), clean.out());
    }

    @Test
    @Order(3)
    void aLivePacklabsThingsAreNotTakenByAnother() throws Exception {
        Set<String> before = DockerSupport.leftovers(engine);
        List<String> temps = DockerSupport.packlabTemps();
        Path lessons = Files.createDirectories(other.resolve("lessons"));
        Files.writeString(lessons.resolve("01-noop.md"), "---\nid: noop\n---\n# Noop\n```sh\necho noop\n```\n");

        Launcher.Running first = Launcher.start(ENV, command("pack", "bin/build"));
        first.awaitOutput("slow: sleeping in bin/build", 300);
        // then an orphan of a dead packlab of this machine, and a container of a packlab on another machine
        Process gone = new ProcessBuilder("sleep", "0.1").start();
        Owner dead = new Owner(Owner.current().machine(), gone.pid(),
                gone.info().startInstant().orElseThrow().toEpochMilli());
        gone.waitFor();
        Owner elsewhere = new Owner(Owner.current().machine().equals("0badf00d") ? "0badf00e" : "0badf00d",
                dead.pid(), dead.start());
        String orphan = dockerCreate(dead);
        String theirs = dockerCreate(elsewhere);
        Path orphanTemp = Files.createTempDirectory(dead.tempPrefix(""));
        try {
            List<ContainerSummary> live = containersOf(first.pid());
            List<String> liveTemps = tempsOf(first.pid());
            assertEquals(1, live.size(), live.toString());
            assertEquals(1, liveTemps.size(), liveTemps.toString());

            Launcher.Result second = Launcher.run(ENV, "--workdir=" + other.resolve("work"), "--lessons",
                    lessons.toString(), "run", "noop");
            assertEquals(0, second.code(), second.all());
            assertTrue(second.out().contains("! removed what a packlab that was killed had left: 1 container ("
                    + orphan + ") and 1 temporary folder (" + orphanTemp + ") of packlab pid " + dead.pid()
                    + " (no longer running)"), second.out());

            assertEquals(live.stream().map(ContainerSummary::id).toList(),
                    containersOf(first.pid()).stream().map(ContainerSummary::id).toList(), "the live one's container stays");
            assertEquals("running", containersOf(first.pid()).get(0).state());
            assertEquals(liveTemps, tempsOf(first.pid()), "the live one's temporary folder stays");
            assertTrue(engine.listContainers(List.of()).stream().anyMatch(c -> c.name().equals(theirs)),
                    "another machine's container stays");
            assertTrue(engine.listContainers(List.of()).stream().noneMatch(c -> c.name().equals(orphan)));
            assertFalse(Files.exists(orphanTemp));
        } finally {
            first.signal("TERM");
            docker("rm", "-f", orphan, theirs);
            Files.deleteIfExists(orphanTemp);
        }
        Launcher.Result stopped = first.await(60);
        assertEquals(143, stopped.code(), stopped.all());
        assertTrue(stopped.err().contains("nothing was left behind"), stopped.all());
        assertEquals(before, DockerSupport.leftovers(engine), "no container, volume or dangling image left");
        assertEquals(temps, DockerSupport.packlabTemps(), "no temporary folder left");
    }

    /** A stopped container labelled as packlab's of {@code owner}, made with the docker CLI; returns its name. */
    private static String dockerCreate(Owner owner) throws Exception {
        String name = "packlab-it-owner-" + owner.machine() + "-" + owner.pid();
        docker("create", "--name", name, "--label", Engine.LESSON_LABEL + "=build", "--label",
                Owner.LABEL + "=" + owner.label(), "packlab-base/debian:bookworm-slim", "sleep", "infinity");
        return name;
    }

    private static void docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0 && !args[0].equals("rm")) {
            throw new AssertionError("docker " + String.join(" ", args) + ": " + out);
        }
    }
}
