package io.packlab.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.platform.LifecycleImage;
import io.packlab.config.BaseImages;
import io.packlab.config.PacklabConfig;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.Engine;
import io.packlab.error.PacklabException;
import io.packlab.support.FakeEngine;
import io.packlab.term.Console;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline kit without Docker: manifest reading, bad archives (exit 2), missing images (exit 1), no half-written file. */
class KitTest {

    private static final String DEBIAN = "packlab-base/debian:bookworm-slim";
    private static final String PYTHON = "packlab-base/distroless-python3:debian12";
    private static final String MANIFEST = """
            [{"Config":"1111.json","RepoTags":["packlab-base/debian:bookworm-slim"],"Layers":["aa/layer.tar"]},
             {"Config":"2222.json","RepoTags":["a:1","b:2"],"Layers":["aa/layer.tar","bb/layer.tar"]}]""";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    private Kit kit(Supplier<Engine> engine) {
        PacklabConfig config = new PacklabConfig(new BaseImages(BaseImages.Mode.AUTO, List.of(
                new BaseImages.LocalBase("stacks/distroless-python/build", "BASE_IMAGE", DEBIAN),
                new BaseImages.LocalBase("stacks/distroless-python/run", "BASE_IMAGE", PYTHON))));
        Console console = new Console(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 80);
        return new Kit(engine, config, console);
    }

    private static Supplier<Engine> noEngine() {
        return () -> {
            throw new AssertionError("the engine must not be reached");
        };
    }

    private static byte[] tar(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                byte[] content = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] archive() throws IOException {
        return tar(new java.util.LinkedHashMap<>(Map.of("aa/layer.tar", "layer", "1111.json", "{}",
                "manifest.json", MANIFEST)));
    }

    @Test
    void readsTheManifestOfAGzipAndOfAPlainArchive() throws IOException {
        Path gz = Files.write(dir.resolve("kit.tar.gz"), gzip(archive()));
        Path plain = Files.write(dir.resolve("kit.tar"), archive());
        for (Path file : List.of(gz, plain)) {
            List<Kit.ManifestEntry> manifest = Kit.readManifest(file);
            assertEquals(List.of(new Kit.ManifestEntry("sha256:1111", List.of(DEBIAN)),
                    new Kit.ManifestEntry("sha256:2222", List.of("a:1", "b:2"))), manifest, file.toString());
        }
    }

    @Test
    void ociLayoutConfigNamesGiveTheImageId() throws IOException {
        Path file = Files.write(dir.resolve("oci.tar"), tar(Map.of("manifest.json",
                "[{\"Config\":\"blobs/sha256/abcd\",\"RepoTags\":[\"x:1\"],\"Layers\":[]}]")));
        assertEquals(List.of(new Kit.ManifestEntry("sha256:abcd", List.of("x:1"))), Kit.readManifest(file));
    }

    @Test
    void aTruncatedOrCorruptOrMissingFileIsBadInputAndNeverReachesTheEngine() throws IOException {
        byte[] whole = gzip(archive());
        Path truncated = Files.write(dir.resolve("truncated.tar.gz"), java.util.Arrays.copyOf(whole, whole.length - 12));
        Path garbage = Files.writeString(dir.resolve("garbage.tar.gz"), "this is not an archive at all\n".repeat(40));
        Path empty = Files.write(dir.resolve("empty.tar"), new byte[0]);
        Path noManifest = Files.write(dir.resolve("nomanifest.tar"), tar(Map.of("aa/layer.tar", "layer")));
        Path badManifest = Files.write(dir.resolve("badmanifest.tar"), tar(Map.of("manifest.json", "{\"not\":\"a list\"}")));
        for (Path file : List.of(truncated, garbage, empty, noManifest, badManifest)) {
            PacklabException e = assertThrows(PacklabException.class, () -> kit(noEngine()).load(file, Cancellation.none()));
            assertEquals(PacklabException.USAGE, e.exitCode(), file + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith(file + " is not a packlab kit"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one paragraph");
        }
        PacklabException missing = assertThrows(PacklabException.class,
                () -> kit(noEngine()).load(dir.resolve("nope.tar.gz"), Cancellation.none()));
        assertEquals(PacklabException.USAGE, missing.exitCode());
        assertTrue(missing.getMessage().contains("there is no kit"), missing.getMessage());
    }

    @Test
    void missingImagesFailNamingThemAndHowToMakeThemWithNoFileLeft() {
        FakeEngine engine = new FakeEngine().with(PYTHON, FakeEngine.image("sha256:p", Map.of(), List.of(), ""));
        Kit kit = kit(() -> engine);
        Path file = dir.resolve("kit.tar.gz");
        PacklabException e = assertThrows(PacklabException.class,
                () -> kit.save(kit.images(false), file, Cancellation.none()));
        assertEquals(PacklabException.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("does not have: " + DEBIAN + "."), e.getMessage());
        assertFalse(e.getMessage().contains(PYTHON), e.getMessage());
        assertTrue(e.getMessage().contains("sudo scripts/make-bases.sh"), e.getMessage());
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("kit.tar.gz.tmp")));
    }

    @Test
    void theLauncherImageIsBuiltOnTheLocalDebianBaseWhenOnlyItIsMissing() {
        FakeEngine engine = new FakeEngine()
                .with(DEBIAN, FakeEngine.image("sha256:d", Map.of(), List.of(), ""))
                .with(PYTHON, FakeEngine.image("sha256:p", Map.of(), List.of(), ""));
        List<BuildRequest> builds = new ArrayList<>();
        engine.onBuild = request -> {
            builds.add(request);
            assertTrue(Files.isRegularFile(request.context().resolve("launcher.c")), "the C source is in the context");
            assertTrue(Files.isRegularFile(request.context().resolve("Dockerfile")));
            engine.with(LifecycleImage.reference(), FakeEngine.image("sha256:l", Map.of(), List.of(), ""));
            return "sha256:l";
        };
        Kit kit = kit(() -> engine);
        Path file = dir.resolve("kit.tar.gz");
        // the fake engine cannot save: what matters is that the launcher image was made first, on the local base
        assertThrows(UnsupportedOperationException.class, () -> kit.save(kit.images(false), file, Cancellation.none()));
        assertEquals(1, builds.size());
        assertEquals(List.of(LifecycleImage.reference()), builds.get(0).tags());
        assertEquals(Map.of(LifecycleImage.BASE_ARG, DEBIAN), builds.get(0).buildArgs());
        assertEquals(LifecycleImage.sourceHash(), builds.get(0).labels().get(LifecycleImage.LABEL_SOURCE));
        assertTrue(out.toString().contains("Building packlab's launcher image " + LifecycleImage.reference()), out.toString());
        assertFalse(Files.exists(builds.get(0).context()), "its build context is removed");
    }

    @Test
    void aFailingSaveLeavesNoTempFile() {
        FakeEngine engine = new FakeEngine()
                .with(DEBIAN, FakeEngine.image("sha256:d", Map.of(), List.of(), ""))
                .with(PYTHON, FakeEngine.image("sha256:p", Map.of(), List.of(), ""));
        Path file = dir.resolve("kit.tar.gz");
        assertThrows(UnsupportedOperationException.class,
                () -> kit(() -> engine).save(List.of(DEBIAN, PYTHON), file, Cancellation.none()));
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("kit.tar.gz.tmp")));
        assertTrue(out.toString().contains(DEBIAN), "a line per image before saving: " + out);
    }

    @Test
    void withStackAddsTheStackAndBuilderImagesTheEngineHas() {
        FakeEngine engine = new FakeEngine().with("python:distroless", FakeEngine.image("sha256:b", Map.of(), List.of(), ""));
        String launcher = LifecycleImage.reference();
        assertEquals(List.of(DEBIAN, PYTHON, launcher), kit(() -> engine).images(false));
        assertEquals(List.of(DEBIAN, PYTHON, launcher, "python:distroless"), kit(() -> engine).images(true));
        assertTrue(out.toString().contains("distroless-python:build, distroless-python:run"), out.toString());
    }

    @Test
    void aFolderOrAMissingFolderIsBadInput() {
        Kit kit = kit(noEngine());
        assertEquals(PacklabException.USAGE, assertThrows(PacklabException.class,
                () -> kit.save(List.of(DEBIAN), dir, Cancellation.none())).exitCode());
        assertEquals(PacklabException.USAGE, assertThrows(PacklabException.class,
                () -> kit.save(List.of(DEBIAN), dir.resolve("no/such/kit.tar.gz"), Cancellation.none())).exitCode());
    }

    @Test
    void sizesInDecimalUnits() {
        assertEquals("999 B", Kit.size(999));
        assertEquals("74.0 MB", Kit.size(74_000_000));
        assertEquals("1.5 GB", Kit.size(1_500_000_000L));
    }

    @Test
    void aLoadCreatesTheImagesTheEngineDidNotHaveAndTheTagsThatNamedSomethingElse() {
        String fresh = "sha256:" + "1".repeat(64);
        String had = "sha256:" + "2".repeat(64);
        String same = "sha256:" + "3".repeat(64);
        List<Kit.ManifestEntry> manifest = List.of(new Kit.ManifestEntry(fresh, List.of("distroless-python:run")),
                new Kit.ManifestEntry(had, List.of("python:distroless", "mine:1")),
                new Kit.ManifestEntry(same, List.of(DEBIAN)));
        Map<String, java.util.Optional<String>> before = Map.of(
                fresh, java.util.Optional.empty(), "distroless-python:run", java.util.Optional.of(had),
                had, java.util.Optional.of(had), "python:distroless", java.util.Optional.empty(),
                "mine:1", java.util.Optional.of(had),
                same, java.util.Optional.of(same), DEBIAN, java.util.Optional.of(same));
        assertEquals(List.of(io.packlab.engine.Created.image(fresh, List.of("distroless-python:run")),
                io.packlab.engine.Created.tag(had, "python:distroless")), Kit.created(manifest, before),
                "an image the engine had is not packlab's because a kit tagged it; one it had as it is, untouched");
    }
}
