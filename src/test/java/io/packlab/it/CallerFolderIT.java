package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code packlab pack ...} and {@code packlab docker build ...} from the command line resolve their
 * paths and the app folder against the caller's current folder, as pack and docker do (also through
 * a symbolic link, and with packlab started through a link from another folder); the same lines in
 * the shell resolve against the shell's folder. The stack, buildpackage and builder come from the
 * lessons ({@code run stack}, {@code run package}, {@code run builder}) in a temporary work folder,
 * once; the test's own images have their own names.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallerFolderIT {

    private static final String APP = "packlab-it-caller-app";
    private static final String PACKAGE = "packlab-it-caller/my-cnb";
    private static final String DOCKER = "packlab-it-caller-docker";
    private static final String SHELL_APP = "packlab-it-caller-shell-app";
    private static final String SHELL_PACKAGE = "packlab-it-caller/shell-cnb";
    private static final List<String> OURS = List.of(APP, PACKAGE, DOCKER, SHELL_APP, SHELL_PACKAGE);

    @TempDir
    static Path work;

    /** The caller's folders that are not in the work folder. */
    @TempDir
    static Path outside;

    private static DockerEngine engine;
    private static Set<String> before;

    @BeforeAll
    static void lessons() throws Exception {
        engine = DockerSupport.engine();
        OURS.forEach(image -> engine.removeImage(image, true));
        before = DockerSupport.leftovers(engine);
        for (String lesson : List.of("stack", "buildpack", "package", "builder")) {
            Launcher.Result r = packlab(work, "run", lesson);
            assertEquals(0, r.code(), lesson + ": " + r.all());
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (engine == null) {
            return;
        }
        try {
            Launcher.Result reset = packlab(work, "reset", "--yes");
            assertEquals(0, reset.code(), reset.all());
            OURS.forEach(image -> engine.removeImage(image, true));
            assertEquals(before, DockerSupport.leftovers(engine), "no container, volume or dangling image left");
        } finally {
            engine.close();
        }
    }

    /** {@code cd folder && packlab --workdir=WORK --engine builtin args...}. */
    private static Launcher.Result packlab(Path folder, String... args) throws Exception {
        return Launcher.runIn(folder, Map.of(), Launcher.cat(new String[] {"--workdir=" + work, "--engine", "builtin"},
                args));
    }

    @Test
    @Order(1)
    void packBuildInACopyOfTheAppOutsideTheWorkFolderBuildsThatCopy() throws Exception {
        Path app = outside.resolve("my-app");
        DockerSupport.copyTree(work.resolve("sample-app"), app);
        String marker = "# built from the caller's copy " + System.nanoTime();
        Files.writeString(app.resolve("app.py"), Files.readString(app.resolve("app.py")) + marker + "\n");

        Launcher.Result r = packlab(app, "pack", "build", APP, "--builder", "python:distroless");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("$ pack build " + APP), r.out());
        String built = workspaceFile(APP, "app.py");
        assertTrue(built.endsWith(marker + "\n"), "the image holds the caller's app.py, not the work folder's: " + built);
        ImageInfo image = engine.inspectImage(APP).orElseThrow();
        assertEquals("builder", image.labels().get(Engine.LESSON_LABEL), "labelled for the current lesson as before");
        assertTrue(Files.readString(work.resolve(".packlab/progress.json")).contains(APP),
                "recorded for the current lesson");

        // the same from the work folder's own sample-app, as the issue tried it: that app, not the work folder
        Launcher.Result again = packlab(work.resolve("sample-app"), "pack", "build", APP, "--builder",
                "python:distroless");
        assertEquals(0, again.code(), again.all());
        assertEquals(Files.readString(work.resolve("sample-app/app.py")), workspaceFile(APP, "app.py"));
    }

    @Test
    @Order(2)
    void packBuildPathsStartAtTheCallersFolderThroughALinkAndFromALinkedLauncher() throws Exception {
        Path real = Files.createDirectories(outside.resolve("real/apps"));
        DockerSupport.copyTree(work.resolve("sample-app"), real.resolve("web"));
        Path link = Files.createSymbolicLink(outside.resolve("link"), outside.resolve("real"));
        Path bin = Files.createDirectories(outside.resolve("bin"));
        Path launcher = Files.createSymbolicLink(bin.resolve("packlab"), Launcher.HOME.resolve("packlab"));

        // from another folder, through a link to the launcher: --path and --buildpack start at the caller's folder
        Launcher.Result r = Launcher.start(launcher, link.resolve("apps"), null, Map.of(), "--workdir=" + work,
                "--engine", "builtin", "pack", "build", APP, "--builder", "python:distroless", "--path", "web",
                "--buildpack", link.resolve("apps").relativize(work.resolve("buildpacks/python")).toString())
                .await(600);
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("example/python"), r.out());

        // a wrong path is named as given and where it leads, from the folder as the caller's shell shows it
        Launcher.Result missing = Launcher.start(launcher, link.resolve("apps"), null, Map.of(), "--workdir=" + work,
                "pack", "build", APP, "--builder", "python:distroless", "--path", "../nope").await(120);
        assertEquals(2, missing.code(), missing.all());
        assertEquals("error: --path ../nope names " + link.resolve("nope") + ", which does not exist (relative paths"
                + " start at the current folder, " + link.resolve("apps") + "). Give the app's folder, or run pack build"
                + " in it without --path.", missing.err().strip());
    }

    @Test
    @Order(3)
    void packBuildpackPackageTakesARelativeConfigFromTheCallersSubfolder() throws Exception {
        Path mine = work.resolve("mine");
        DockerSupport.copyTree(work.resolve("packages"), mine.resolve("packages"));
        DockerSupport.copyTree(work.resolve("buildpacks"), mine.resolve("buildpacks"));
        Path descriptor = mine.resolve("buildpacks/empty/buildpack.toml");
        Files.writeString(descriptor, Files.readString(descriptor).replace("version = \"0.0.1\"", "version = \"0.0.7\""));

        Launcher.Result r = packlab(mine.resolve("packages"), "pack", "buildpack", "package", PACKAGE, "--config",
                "./empty/package.toml");
        assertEquals(0, r.code(), r.all());
        String metadata = engine.inspectImage(PACKAGE).orElseThrow().labels().get("io.buildpacks.buildpackage.metadata");
        assertEquals("0.0.7", new ObjectMapper().readTree(metadata).path("version").asText(),
                "the buildpack of the caller's package.toml: " + metadata);

        Launcher.Result missing = packlab(mine.resolve("packages"), "pack", "buildpack", "package", PACKAGE, "--config",
                "./nope/package.toml");
        assertEquals(2, missing.code(), missing.all());
        assertTrue(missing.err().contains("--config ./nope/package.toml names " + mine.resolve("packages/nope/package.toml")
                + ", which does not exist (relative paths start at the current folder, " + mine.resolve("packages")
                + ")."), missing.err());
    }

    @Test
    @Order(4)
    void dockerBuildTakesARelativeContextAndFileFromTheCallersSubfolder() throws Exception {
        Path context = Files.createDirectories(outside.resolve("docker/context"));
        Files.writeString(context.resolve("marker.txt"), "from the context\n");
        Files.writeString(context.resolve("Dockerfile.caller"), "FROM scratch\nCOPY marker.txt /\nLABEL made-by=caller-file\n");
        Path sub = Files.createDirectories(outside.resolve("docker/a/b"));

        // -f from the caller's folder: from the context it would be docker/context/../../context, not there
        Launcher.Result r = packlab(sub, "docker", "build", "-t", DOCKER, "-f", "../../context/Dockerfile.caller",
                "../../context");
        assertEquals(0, r.code(), r.all());
        ImageInfo image = engine.inspectImage(DOCKER).orElseThrow();
        assertEquals("caller-file", image.labels().get("made-by"), "the Dockerfile given with -f, from the caller's folder");
        assertEquals("builder", image.labels().get(Engine.LESSON_LABEL));
        String id = engine.createContainer(new ContainerSpec(DOCKER, null, null, Map.of(), Map.of(), null,
                List.of("/marker.txt"), null, Map.of(), Map.of()));
        try (InputStream tar = engine.copyFromContainer(id, "/marker.txt").orElseThrow()) {
            TarArchiveInputStream in = new TarArchiveInputStream(tar);
            in.getNextEntry();
            assertEquals("from the context\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            engine.removeContainer(id);
        }

        Launcher.Result missing = packlab(sub, "docker", "build", "-t", DOCKER, "-f", "Dockerfile.nope", "../../context");
        assertEquals(2, missing.code(), missing.all());
        assertTrue(missing.err().contains("there is no Dockerfile at " + sub.resolve("Dockerfile.nope") + " (-f"
                + " Dockerfile.nope, from the current folder " + sub + ")"), missing.err());

        Files.writeString(sub.resolve("Dockerfile.outside"), "FROM scratch\n");
        Launcher.Result outsideContext = packlab(sub, "docker", "build", "-t", DOCKER, "-f", "Dockerfile.outside",
                "../../context");
        assertEquals(2, outsideContext.code(), outsideContext.all());
        assertTrue(outsideContext.err().contains("-f Dockerfile.outside names " + sub.resolve("Dockerfile.outside")
                + ", outside the context " + context + "."), outsideContext.err());
    }

    @Test
    @Order(5)
    void inTheShellTheSameLinesStartAtTheShellsFolderNotTheCallers() throws Exception {
        // the caller's folder has its own sample-app and packages; the shell's lines ignore them
        Path caller = outside.resolve("shell-caller");
        DockerSupport.copyTree(work.resolve("sample-app"), caller.resolve("sample-app"));
        Files.writeString(caller.resolve("sample-app/app.py"), "# not the work folder's\n");
        Files.createDirectories(caller.resolve("packages"));

        Launcher.Result r = Launcher.start(Launcher.HOME.resolve("packlab"), caller, """
                pack buildpack package %s --config ./packages/empty/package.toml
                cd sample-app
                pack build %s --builder python:distroless
                """.formatted(SHELL_PACKAGE, SHELL_APP), Map.of(), "--workdir=" + work, "--engine", "builtin")
                .await(600);
        assertEquals(0, r.code(), r.all());
        assertTrue(engine.inspectImage(SHELL_PACKAGE).isPresent(), r.all());
        assertEquals(Files.readString(work.resolve("sample-app/app.py")), workspaceFile(SHELL_APP, "app.py"),
                "the shell built the work folder's sample-app");
        assertFalse(r.all().contains("WARNING"), r.all());
    }

    @Test
    @Order(6)
    void aCallersFolderThatWasRemovedIsNamedNotAJvmTrace() throws Exception {
        Path gone = Files.createDirectories(outside.resolve("gone"));
        Process p = new ProcessBuilder("bash", "-c", "cd \"$0\" && rmdir \"$0\" && exec \"$1\" --workdir=\"$2\" list",
                gone.toString(), Launcher.HOME.resolve("packlab").toString(), work.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), out + err);
        assertEquals("", out);
        assertTrue(err.contains("packlab: the current folder no longer exists"), err);
        assertFalse(err.contains("java.lang.Error"), err);
    }

    /** The content of a file under /workspace in an image (from a container that is never started). */
    private static String workspaceFile(String image, String name) throws Exception {
        String id = engine.createContainer(new ContainerSpec(image, null, null, Map.of(), Map.of(), null, null, null,
                Map.of(), Map.of()));
        try (InputStream tar = engine.copyFromContainer(id, "/workspace/" + name).orElseThrow()) {
            TarArchiveInputStream in = new TarArchiveInputStream(tar);
            in.getNextEntry();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            engine.removeContainer(id);
        }
    }
}
