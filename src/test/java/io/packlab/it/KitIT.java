package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cli.Environment;
import io.packlab.cli.Main;
import io.packlab.config.PacklabConfig;
import io.packlab.engine.BuildListener;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import io.packlab.engine.ImageSummary;
import io.packlab.term.Console;
import io.packlab.kit.Kit;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline kit on a real engine: two small images of our own are saved to one archive, removed,
 * loaded back (gzip and plain tar) with the same IDs; a corrupt kit is bad input (exit 2) on the CLI.
 */
class KitIT {

    private static final String LABEL = "packlab-it-kit";
    private static final String A = "packlab-it-kit-a:1";
    private static final String B = "packlab-it-kit-b:1";

    private static DockerEngine engine;
    private static final Map<String, String> ids = new HashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void images() throws Exception {
        engine = DockerSupport.engine();
        removeOurImages();
        for (String tag : List.of(A, B)) {
            Path context = Files.createDirectories(dir.resolve("context-" + tag.charAt(15)));
            Files.writeString(context.resolve("hello.txt"), "hello from " + tag + "\n");
            Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\n");
            engine.build(new BuildRequest(context, Optional.empty(), List.of(tag), Map.of(),
                    Map.of(Engine.LESSON_LABEL, LABEL), false, false), BuildListener.silent(), Cancellation.none());
            ids.put(tag, engine.inspectImage(tag).orElseThrow().id());
        }
        assertNotEquals(ids.get(A), ids.get(B));
    }

    @AfterAll
    static void cleanUp() {
        if (engine != null) {
            removeOurImages();
            engine.close();
        }
    }

    private static void removeOurImages() {
        for (String tag : List.of(A, B)) {
            engine.removeImage(tag, true);
        }
        for (ImageSummary image : engine.listImages(Engine.labelFilter(Engine.LESSON_LABEL, LABEL))) {
            engine.removeImage(image.id(), true);
        }
    }

    private static Kit kit(StringWriter out) {
        Console console = new Console(new PrintWriter(out), new PrintWriter(new StringWriter()), false, 80);
        return new Kit(() -> engine, PacklabConfig.defaults(), console);
    }

    private static void removeAndCheckGone() {
        for (String tag : List.of(A, B)) {
            assertTrue(engine.removeImage(tag, true), tag);
            assertTrue(engine.inspectImage(tag).isEmpty(), tag + " removed");
        }
    }

    private static void assertBack() {
        for (String tag : List.of(A, B)) {
            Optional<ImageInfo> info = engine.inspectImage(tag);
            assertTrue(info.isPresent(), tag + " is back");
            assertEquals(ids.get(tag), info.get().id(), tag + " has the same ID");
            assertEquals(LABEL, info.get().labels().get(Engine.LESSON_LABEL));
        }
    }

    @Test
    void saveRemoveLoadBringsTheImagesBackWithTheSameIds() throws Exception {
        Path file = dir.resolve("kit.tar.gz");
        StringWriter out = new StringWriter();
        Kit.Saved saved = kit(out).save(List.of(A, B), file, Cancellation.none());
        assertTrue(Files.size(file) > 0);
        assertEquals(Files.size(file), saved.fileBytes());
        assertFalse(Files.exists(dir.resolve("kit.tar.gz.tmp")), "no temp file left");
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(0x1f, in.read(), "gzip-compressed");
            assertEquals(0x8b, in.read(), "gzip-compressed");
        }
        assertTrue(out.toString().contains(A) && out.toString().contains(B), "a line per image: " + out);
        assertTrue(out.toString().contains("Wrote " + file), out.toString());
        assertFalse(out.toString().contains("\r"), "no status line when not a terminal");

        removeAndCheckGone();
        StringWriter loadOut = new StringWriter();
        Kit.Loaded loaded = kit(loadOut).load(file, Cancellation.none());
        assertEquals(List.of(A, B), loaded.images().stream().sorted().toList(), loadOut.toString());
        assertBack();

        Path plain = dir.resolve("kit.tar");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file)); OutputStream o = Files.newOutputStream(plain)) {
            in.transferTo(o);
        }
        removeAndCheckGone();
        kit(new StringWriter()).load(plain, Cancellation.none());
        assertBack();
    }

    @Test
    void aCorruptKitIsBadInputOnTheCommandLine() throws Exception {
        Path corrupt = Files.write(dir.resolve("corrupt.tar.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5});
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path work = Files.createDirectories(dir.resolve("work"));
        Environment env = new Environment(Path.of("").toAbsolutePath(), new PrintWriter(out), new PrintWriter(err),
                Map.of("COLUMNS", "80"), false);
        int code = Main.execute(env, "--workdir=" + work, "--no-color", "kit", "load", corrupt.toString());
        assertEquals(2, code, out + "\n" + err);
        String message = err.toString().strip();
        assertTrue(message.startsWith("error: " + corrupt + " is not a packlab kit"), message);
        assertFalse(message.contains("\n"), "one paragraph: " + message);
    }
}
