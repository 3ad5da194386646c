package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.platform.BuiltinPlatform;
import io.packlab.cnb.platform.Requests;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build cache in its volume, which is the build's /layers, on a real engine: only cache layers come back, with
 * their content; a build whose container is removed while a buildpack is changing a restored cache layer gives the
 * next build nothing half-made; a volume of an earlier packlab's layout is taken over. Uses its own names
 * (packlab-it-cache-*).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheVolumeIT {

    private static final String LABEL = "packlab-it-cache";
    private static final String BUILD = "packlab-it-cache-stack:build";
    private static final String RUN = "packlab-it-cache-stack:run";
    private static final String BUILDER = "packlab-it-cache-builder:latest";
    private static final String APP = "packlab-it-cache-app:latest";
    private static final String OLD_APP = "packlab-it-cache-old:latest";
    private static final String RESTORED = "Restoring cached layer 'packlab-test/cachey:c'";

    @TempDir
    static Path work;

    private static DockerEngine engine;
    private static final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private static BuiltinPlatform platform;
    private static Path app;

    /**
     * A buildpack with a cache layer {@code c} (a counter, kept from build to build), a launch layer {@code l} and a
     * build layer {@code b}; it prints what it found, and with HANG set it changes {@code c} in place and waits.
     */
    private static final String BUILD_SCRIPT = """
            #!/bin/sh
            set -e
            L="$1"
            echo "probe start: $(cd "$L" && ls -A | tr '\\n' ' ')"
            n=$(cat "$L/c/n" 2>/dev/null || echo 0)
            echo "probe c restored: $n"
            mkdir -p "$L/c" "$L/l" "$L/b"
            if [ -f /platform/env/HANG ]; then
              echo "half written" > "$L/c/n"
              echo "probe hanging"
              sleep 300
            fi
            echo $((n + 1)) > "$L/c/n"
            printf '[types]\\ncache = true\\n[metadata]\\nn = %s\\n' $((n + 1)) > "$L/c.toml"
            echo launch > "$L/l/f"
            printf '[types]\\nlaunch = true\\n' > "$L/l.toml"
            if [ -f /platform/env/KEEP ]; then
              if [ ! -f "$L/k/data" ]; then mkdir -p "$L/k" && echo AAAA > "$L/k/data"; fi
              if [ -f /platform/env/TWEAK ]; then
                # the same size, the same modification time, the same inode: only the change time tells
                touch -r "$L/k/data" /tmp/ref && printf BBBB | dd of="$L/k/data" conv=notrunc 2>/dev/null
                touch -r /tmp/ref "$L/k/data"
              fi
              printf '[types]\nlaunch = true\ncache = true\n' > "$L/k.toml"
            fi
            echo build > "$L/b/f"
            printf '[types]\\nbuild = true\\n' > "$L/b.toml"
            printf '[[processes]]\\ntype = "web"\\ncommand = ["true"]\\ndefault = true\\n' > "$L/launch.toml"
            """;

    @BeforeAll
    static void stackAndBuilder() throws Exception {
        engine = DockerSupport.engine();
        platform = DockerSupport.recordingPlatform(engine, lines, LABEL);
        Path bp = Files.createDirectories(work.resolve("cachey/bin"));
        Files.writeString(work.resolve("cachey/buildpack.toml"), """
                api = "0.10"
                [buildpack]
                id = "packlab-test/cachey"
                version = "0.0.1"
                [[targets]]
                os = "linux"
                """);
        Files.writeString(bp.resolve("detect"), "#!/bin/sh\nexit 0\n");
        Files.writeString(bp.resolve("build"), BUILD_SCRIPT);
        for (String f : List.of("detect", "build")) {
            Files.setPosixFilePermissions(bp.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path home = Launcher.HOME;
        DockerSupport.buildLabelled(engine, home.resolve("stacks/distroless-python/build"), BUILD,
                "packlab-base/debian:bookworm-slim", LABEL);
        DockerSupport.buildLabelled(engine, home.resolve("stacks/distroless-python/run"), RUN,
                "packlab-base/distroless-python3:debian12", LABEL);
        Files.writeString(work.resolve("builder.toml"), DockerSupport.builderToml(work.resolve("cachey"), BUILD, RUN)
                .replace("example/python", "packlab-test/cachey"));
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

    private static Requests.Build build(String image, Map<String, String> env) {
        return new Requests.Build(image, BUILDER, List.of(), env, app, Optional.empty(), false, Optional.empty());
    }

    private static String line(String prefix) {
        List<String> found = lines.stream().filter(l -> l.startsWith(prefix)).toList();
        assertEquals(1, found.size(), "one line " + prefix + " in " + lines);
        return found.get(0);
    }

    private static String volume(String image) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
        return "pack-cache-" + HexFormat.of().formatHex(hash).substring(0, 12) + ".build";
    }

    @Test
    @Order(1)
    void onlyTheCacheLayerComesBackWithItsContent() throws Exception {
        run(build(APP, Map.of()));
        assertEquals("probe c restored: 0", line("probe c restored:"));
        assertEquals("probe start: ", line("probe start:").stripTrailing() + " ", "an empty /layers/<bp> at first");

        run(build(APP, Map.of()));
        assertTrue(lines.contains(RESTORED), lines.toString());
        assertEquals("probe c restored: 1", line("probe c restored:"));
        assertEquals("probe start: c c.toml l.toml", line("probe start:").strip(),
                "the cache layer with its content, the launch layer's TOML from the image, no build layer");
    }

    @Test
    @Order(2)
    void aBuildWhoseContainerIsRemovedWhileItChangesACachedLayerLeavesNothingHalfMadeToTheNext() throws Exception {
        lines.clear();
        CompletableFuture<Throwable> killed = CompletableFuture.supplyAsync(() -> {
            try {
                platform.run(build(APP, Map.of("HANG", "1")), Cancellation.none());
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!lines.contains("probe hanging")) {
            assertTrue(System.nanoTime() < deadline, "the buildpack did not get to its change: " + lines);
            assertFalse(killed.isDone(), "the build ended early: " + lines);
            Thread.sleep(100);
        }
        assertTrue(lines.contains(RESTORED), lines.toString());
        // as a kill -9 of packlab would leave it, then the engine's removal of the container: the volume as it was
        engine.listContainers(Engine.labelFilter(Engine.LESSON_LABEL, LABEL)).forEach(c -> engine.removeContainer(
                c.id()));
        assertTrue(killed.get(120, TimeUnit.SECONDS) != null, "the build failed");

        run(build(APP, Map.of()));
        assertFalse(lines.contains(RESTORED), "the half-written layer is not cache: " + lines);
        assertEquals("probe c restored: 0", line("probe c restored:"), "built again from nothing");
        assertEquals("probe start: l.toml", line("probe start:").strip(), "nothing of the killed build is left");

        run(build(APP, Map.of()));
        assertTrue(lines.contains(RESTORED), lines.toString());
        assertEquals("probe c restored: 1", line("probe c restored:"));
    }

    @Test
    @Order(3)
    void theCacheVolumeOfAnEarlierPacklabIsTakenOver() throws Exception {
        String volume = volume(OLD_APP);
        engine.createVolume(volume, Map.of(Engine.LESSON_LABEL, LABEL));
        String c = engine.createContainer(new ContainerSpec(BUILD, null, "0:0", Map.of(), Map.of(Engine.LESSON_LABEL,
                LABEL), List.of("sh"), List.of("-c", "mkdir -p /cache/layers/packlab-test_cachey/c && echo 41 >"
                + " /cache/layers/packlab-test_cachey/c/n && printf '[metadata]\\nn = 41\\n' >"
                + " /cache/layers/packlab-test_cachey/c.toml && chown -R 1000:1000 /cache/layers/packlab-test_cachey"),
                null, Map.of(volume, "/cache"), Map.of()));
        try {
            engine.startContainer(c);
            assertEquals(0, engine.waitContainer(c), engine.logs(c));
        } finally {
            engine.removeContainer(c);
        }
        run(build(OLD_APP, Map.of()));
        assertTrue(lines.contains("Moving the build cache of an earlier packlab (/cache/layers of the volume) to"
                + " /layers/.packlab+cache"), lines.toString());
        assertTrue(lines.contains(RESTORED), lines.toString());
        assertEquals("probe c restored: 41", line("probe c restored:"));
        run(build(OLD_APP, Map.of()));
        assertEquals("probe c restored: 42", line("probe c restored:"));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("Moving the build cache")), "once: " + lines);
    }

    @Test
    @Order(4)
    void anEarlierPacklabsCacheCutShortIsDroppedSayingSo() throws Exception {
        String image = "packlab-it-cache-cut:latest";
        String volume = volume(image);
        engine.createVolume(volume, Map.of(Engine.LESSON_LABEL, LABEL));
        String c = engine.createContainer(new ContainerSpec(BUILD, null, "0:0", Map.of(), Map.of(Engine.LESSON_LABEL,
                LABEL), List.of("sh"), List.of("-c", "mkdir -p /cache/layers/packlab-test_cachey/c"
                + " /cache/layers.new/packlab-test_cachey && echo 41 > /cache/layers/packlab-test_cachey/c/n && printf"
                + " '[metadata]\\n' > /cache/layers/packlab-test_cachey/c.toml"), null, Map.of(volume, "/cache"),
                Map.of()));
        try {
            engine.startContainer(c);
            assertEquals(0, engine.waitContainer(c), engine.logs(c));
        } finally {
            engine.removeContainer(c);
        }
        run(build(image, Map.of()));
        assertTrue(lines.contains("Dropping the build cache of an earlier packlab: its last save was cut short"
                + " (/cache/layers.new of the volume)"), lines.toString());
        assertEquals("probe c restored: 0", line("probe c restored:"));
        assertFalse(lines.contains(RESTORED), lines.toString());
    }

    @Test
    @Order(5)
    void anUnchangedCachedLaunchLayerIsNotReadAgainAndOneChangedInPlaceIsEvenWithItsTimesSetBack() throws Exception {
        String image = "packlab-it-cache-keep:latest";
        String unchanged = "Layer 'packlab-test/cachey:k' is as it was restored: its diff ID is the cache's, and it is"
                + " not read again";
        String first = run(build(image, Map.of("KEEP", "1")));
        assertFalse(lines.contains(unchanged), lines.toString());
        assertEquals("AAAA\n", fileInImage(image, "/layers/packlab-test_cachey/k/data"));

        String again = run(build(image, Map.of("KEEP", "1")));
        assertTrue(lines.contains(unchanged), lines.toString());
        assertEquals(first, again, "the same image for the same inputs");

        String tweaked = run(build(image, Map.of("KEEP", "1", "TWEAK", "1")));
        assertFalse(lines.contains(unchanged), "changed in place, its times set back: " + lines);
        assertFalse(first.equals(tweaked), "a new image");
        assertEquals("BBBB\n", fileInImage(image, "/layers/packlab-test_cachey/k/data"));
    }

    /** A file of an image, read from a container made of it (not started). */
    private static String fileInImage(String image, String path) throws Exception {
        String c = engine.createContainer(new ContainerSpec(image, null, null, Map.of(), Map.of(Engine.LESSON_LABEL,
                LABEL), null, List.of(), null, Map.of(), Map.of()));
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                engine.copyFromContainer(c, path).orElseThrow())) {
            tar.getNextEntry();
            return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            engine.removeContainer(c);
        }
    }

    @Test
    @Order(6)
    void clearCacheStartsFromNothing() throws Exception {
        run(new Requests.Build(APP, BUILDER, List.of(), Map.of(), app, Optional.empty(), true, Optional.empty()));
        assertTrue(lines.contains("Clearing the cache (--clear-cache)"), lines.toString());
        assertEquals("probe c restored: 0", line("probe c restored:"));
    }
}
