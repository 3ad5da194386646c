package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.image.ImageArchive;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.image.Layer;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.cnb.image.TarExtractor;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.EngineException;
import io.packlab.engine.ExecResult;
import io.packlab.engine.ImageDetails;
import io.packlab.engine.ImageInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * Writing images without {@code docker build}: a reproducible layer on a local base, loaded from an
 * archive that carries only the new layer; and the container calls the built-in platform needs
 * (create, start, wait, logs, exec with cancellation, copy in and out, ports, volumes).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageWritingIT {

    private static final String BASE = "packlab-base/distroless-python3:debian12";
    private static final String DEBIAN = "packlab-base/debian:bookworm-slim";
    private static final String WRITTEN = "packlab-it-written:latest";
    private static final String OWNER = "packlab-it";
    private static final Map<String, String> LABELS = Map.of(Engine.LESSON_LABEL, OWNER);

    @TempDir
    static Path temp;

    private static DockerEngine engine;
    private static Set<String> containersBefore;
    private static Set<String> volumesBefore;
    private static final List<String> containers = new CopyOnWriteArrayList<>();
    private static final List<String> volumes = new CopyOnWriteArrayList<>();
    private static final List<String> images = new CopyOnWriteArrayList<>();
    private static String toolbox;

    @BeforeAll
    static void docker() {
        engine = DockerSupport.engine();
        containersBefore = containerIds();
        volumesBefore = new TreeSet<>(engine.listVolumes(List.of()));
        requireBase(BASE);
        requireBase(DEBIAN);
    }

    private static void requireBase(String image) {
        if (engine.inspectImage(image).isEmpty()) {
            String why = "the base image " + image + " is missing: make it with sudo scripts/make-bases.sh";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true, but " + why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
    }

    private static Set<String> containerIds() {
        Set<String> ids = new TreeSet<>();
        engine.listContainers(List.of()).forEach(c -> ids.add(c.id()));
        return ids;
    }

    @AfterAll
    static void removeEverythingThisTestMade() {
        if (engine == null) {
            return;
        }
        try {
            containers.forEach(engine::removeContainer);
            volumes.forEach(engine::removeVolume);
            images.forEach(image -> engine.removeImage(image, true));
            if (containersBefore != null) {
                assertEquals(containersBefore, containerIds(), "docker ps -a is as it was");
                assertEquals(volumesBefore, new TreeSet<>(engine.listVolumes(List.of())), "docker volume ls is as it was");
                assertTrue(engine.inspectImage(WRITTEN).isEmpty(), "the written image is gone");
            }
        } finally {
            engine.close();
        }
    }

    private static String container(ContainerSpec spec) {
        String id = engine.createContainer(spec);
        containers.add(id);
        return id;
    }

    /** A Debian container that idles, for exec and copies; with a volume at /data and port 8080 published. */
    private static String toolbox() {
        if (toolbox == null) {
            String volume = "packlab-it-data-" + Long.toHexString(System.nanoTime());
            engine.createVolume(volume, LABELS);
            volumes.add(volume);
            toolbox = container(new ContainerSpec(DEBIAN, null, null, Map.of("FROM_SPEC", "yes"), LABELS,
                    List.of("sleep"), List.of("infinity"), null, Map.of(volume, "/data"), Map.of(8080, 0)));
            engine.startContainer(toolbox);
        }
        return toolbox;
    }

    @Test
    @Order(1)
    void anImageIsWrittenOnTheBaseFromAnArchiveThatCarriesOnlyTheNewLayer() throws Exception {
        ImageDetails base = engine.imageDetails(BASE).orElseThrow();
        List<String> baseLayers = ImageConfig.of(base).diffIds();
        assertFalse(baseLayers.isEmpty());
        assertEquals(engine.inspectImage(BASE).orElseThrow().layers(), baseLayers);
        assertEquals("linux", base.config().get("os").asText());
        assertEquals("/usr/bin/python3", base.config().at("/config/Entrypoint/0").asText());

        Layer layer = new LayerBuilder().directory("app", 65532, 65532)
                .file("app/hello.py", "print(\"hello from a layer\")\n".getBytes(StandardCharsets.UTF_8), 65532, 65532, 0644)
                .write(temp.resolve("hello.tar"));
        ImageConfig config = ImageConfig.derive(base).withLayer(layer.diffId(), "packlab-it: /app/hello.py")
                .withEntrypoint(List.of("/usr/bin/python3", "/app/hello.py"))
                .withLabels(Map.of(Engine.LESSON_LABEL, OWNER, "io.packlab.it", "written"));
        ImageArchive archive = ImageArchive.of(config, List.of(WRITTEN));
        baseLayers.forEach(archive::existingLayer);
        archive.newLayer(layer);

        long bytes = countBytes(archive);
        images.add(WRITTEN);
        long start = System.nanoTime();
        String id = ImageArchive.load(engine, archive);
        long millis = (System.nanoTime() - start) / 1_000_000;
        images.add(id);
        System.out.printf("ImageWritingIT: load archive %d bytes (base image %d bytes), loaded in %d ms%n", bytes,
                engine.inspectImage(BASE).orElseThrow().size(), millis);
        assertTrue(bytes < 64 * 1024, "only the new layer travels: " + bytes + " bytes");

        ImageInfo written = engine.inspectImage(WRITTEN).orElseThrow();
        assertEquals(id, written.id());
        List<String> expected = new ArrayList<>(baseLayers);
        expected.add(layer.diffId());
        assertEquals(expected, written.layers(), "the base diff IDs, then the new layer's");
        assertEquals("written", written.labels().get("io.packlab.it"));
        assertEquals(OWNER, written.labels().get(Engine.LESSON_LABEL));
        assertEquals(List.of("/usr/bin/python3", "/app/hello.py"), written.entrypoint());

        JsonNode details = engine.imageDetails(WRITTEN).orElseThrow().config();
        assertEquals(ImageConfig.CREATED, details.get("created").asText());
        long nonEmpty = 0;
        for (JsonNode h : details.path("history")) {
            nonEmpty += h.path("empty_layer").asBoolean(false) ? 0 : 1;
        }
        assertEquals(expected.size(), nonEmpty, "the history is in step with the layers: " + details.path("history"));

        engine.tagImage(id, "packlab-it-written:again");
        images.add("packlab-it-written:again");
        assertEquals(id, engine.inspectImage("packlab-it-written:again").orElseThrow().id());
    }

    @Test
    @Order(2)
    void aContainerOfTheWrittenImageRunsThePythonFromTheLayer() throws Exception {
        String id = container(new ContainerSpec(WRITTEN, null, null, Map.of(), LABELS, null, null, null, Map.of(),
                Map.of()));
        engine.startContainer(id);
        assertEquals(0, engine.waitContainer(id));
        assertEquals("hello from a layer\n", engine.logs(id));

        try (InputStream tar = engine.copyFromContainer(id, "/app/hello.py").orElseThrow()) {
            TarArchiveEntry entry = new TarArchiveInputStream(tar).getNextEntry();
            assertEquals("hello.py", entry.getName());
            assertEquals(65532, entry.getLongUserId());
            assertEquals(0644, entry.getMode() & 07777);
        }
        assertEquals(Optional.empty(), engine.copyFromContainer(id, "/app/missing.py"));
    }

    @Test
    @Order(3)
    void execStreamsStdoutAndStderrLinesAndReturnsTheExitCode() throws Exception {
        String box = toolbox();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ExecResult r = engine.exec(box, List.of("sh", "-c", "echo out; echo err >&2; exit 3"), null, Map.of(), null,
                lines::add, Cancellation.none());
        assertEquals(3, r.exitCode());
        assertEquals(Set.of("out", "err"), Set.copyOf(lines));
        assertEquals(2, lines.size());

        List<String> env = new ArrayList<>();
        ExecResult as = engine.exec(box, List.of("sh", "-c", "printf '%s %s %s %s' \"$FOO\" \"$FROM_SPEC\" $(id -u) $(pwd)"),
                "1000:1000", Map.of("FOO", "bar"), "/tmp", env::add, Cancellation.none());
        assertEquals(0, as.exitCode());
        assertEquals(List.of("bar yes 1000 /tmp"), env, "user, env and working dir; a last line without newline too");

        assertTrue(engine.hostPort(box, 8080).orElseThrow() > 0, "port 8080 is published on a port the engine chose");
        assertEquals(Optional.empty(), engine.hostPort(box, 9999));
    }

    @Test
    @Order(4)
    void cancellingAnExecKillsItsProcessesAndLeavesTheContainerRunning() throws Exception {
        String box = toolbox();
        Cancellation cancel = new Cancellation();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong cancelledAt = new java.util.concurrent.atomic.AtomicLong();
        Thread canceller = new Thread(() -> {
            long deadline = System.currentTimeMillis() + 30_000;
            while (!lines.contains("started") && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            cancelledAt.set(System.nanoTime());
            cancel.cancel();
        });
        canceller.start();
        assertThrows(InterruptedException.class, () -> engine.exec(box,
                List.of("sh", "-c", "echo started; sleep 600 & sleep 601; echo never"), null, Map.of(), null, lines::add,
                cancel));
        long returned = System.nanoTime();
        canceller.join();
        assertTrue(lines.contains("started"), "the exec ran: " + lines);
        // from the cancel, not from the exec's start, which a loaded engine may take seconds to reach: the point is
        // that the exec does not run on to its end (sleep 601)
        assertTrue((returned - cancelledAt.get()) / 1_000_000 < 30_000, "the cancel ended the exec");
        assertFalse(lines.contains("never"));

        List<String> processes = new ArrayList<>();
        String listing = "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done";
        long deadline = System.currentTimeMillis() + 5_000;
        do {
            processes.clear();
            engine.exec(box, List.of("sh", "-c", listing), null, Map.of(), null, processes::add, Cancellation.none());
        } while (processes.stream().anyMatch(p -> p.startsWith("sleep 60")) && System.currentTimeMillis() < deadline);
        assertTrue(processes.stream().noneMatch(p -> p.startsWith("sleep 60")), "the exec'd processes are gone: " + processes);
        assertTrue(processes.stream().anyMatch(p -> p.startsWith("sleep infinity")), "the container still runs");
    }

    @Test
    @Order(5)
    void filesCopiedInComeBackOutWithTheirModeAndOwner() throws Exception {
        String box = toolbox();
        Layer content = new LayerBuilder().directory("tmp", 0, 0, 01777)
                .file("tmp/packlab-it/run.sh", "#!/bin/sh\necho copied\n".getBytes(StandardCharsets.UTF_8), 1234, 1234, 0755)
                .write(temp.resolve("copy.tar"));
        try (InputStream in = Files.newInputStream(content.path())) {
            engine.copyToContainer(box, in, "/");
        }
        List<String> out = new ArrayList<>();
        assertEquals(0, engine.exec(box, List.of("/tmp/packlab-it/run.sh"), null, Map.of(), null, out::add,
                Cancellation.none()).exitCode());
        assertEquals(List.of("copied"), out);

        Path dest = temp.resolve("out");
        try (InputStream tar = engine.copyFromContainer(box, "/tmp/packlab-it").orElseThrow()) {
            TarExtractor.extract(tar, dest);
        }
        assertEquals("#!/bin/sh\necho copied\n", Files.readString(dest.resolve("packlab-it/run.sh")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve("packlab-it/run.sh"))));
        try (InputStream tar = engine.copyFromContainer(box, "/tmp/packlab-it/run.sh").orElseThrow()) {
            TarArchiveEntry entry = new TarArchiveInputStream(tar).getNextEntry();
            assertEquals(1234, entry.getLongUserId(), "the tar's owner is kept (copyUIDGID off)");
        }
    }

    @Test
    @Order(6)
    void volumesAreCreatedListedByLabelMountedAndRemoved() throws Exception {
        String box = toolbox();
        String volume = volumes.get(0);
        engine.createVolume(volume, LABELS); // again: nothing happens
        assertTrue(engine.listVolumes(Engine.labelFilter(Engine.LESSON_LABEL, OWNER)).contains(volume));
        assertFalse(engine.listVolumes(Engine.labelFilter(Engine.LESSON_LABEL, "no-such-lesson")).contains(volume));
        assertEquals(0, engine.exec(box, List.of("sh", "-c", "echo kept > /data/file"), null, Map.of(), null, l -> { },
                Cancellation.none()).exitCode());

        engine.stopContainer(box, 1);
        engine.stopContainer(box, 1); // stopped already: nothing happens
        engine.removeContainer(box);
        engine.removeVolume(volume);
        engine.removeVolume(volume); // gone already: nothing happens
        assertFalse(engine.listVolumes(Engine.labelFilter(Engine.LESSON_LABEL, OWNER)).contains(volume));
    }

    @Test
    @Order(7)
    void refusalsNameTheCallAndTheDaemonsReason() {
        assertTrue(engine.imageDetails("packlab-it-no-such-image:latest").isEmpty());
        EngineException tag = assertThrows(EngineException.class,
                () -> engine.tagImage("packlab-it-no-such-image:latest", "packlab-it-x:y"));
        assertTrue(tag.getMessage().startsWith("The Docker engine refused to tag image packlab-it-no-such-image:latest"),
                tag.getMessage());
        EngineException load = assertThrows(EngineException.class,
                () -> engine.loadImage(new ByteArrayInputStream("not a tar".getBytes(StandardCharsets.UTF_8))));
        assertTrue(load.getMessage().startsWith("The Docker engine refused to load an image: "), load.getMessage());
        assertEquals(1, load.getMessage().lines().count(), load.getMessage());
        EngineException exec = assertThrows(EngineException.class, () -> engine.exec("packlab-it-no-such-container",
                List.of("true"), null, Map.of(), null, l -> { }, Cancellation.none()));
        assertTrue(exec.getMessage().contains("No such container"), exec.getMessage());
    }

    private static long countBytes(ImageArchive archive) throws IOException {
        long[] count = {0};
        archive.writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        });
        return count[0];
    }
}
