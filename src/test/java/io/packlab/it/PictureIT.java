package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.ImageInfo;
import io.packlab.term.DisplayWidth;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three pictures drawn from the images the tutorial path makes with the built-in platform
 * (lessons stack, builder, build, rebase), in English and Japanese at 60 columns: the digests they
 * show are those of the real layers; reset leaves the engine as it was.
 */
class PictureIT {

    @TempDir
    static Path work;

    private static DockerEngine engine;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENV = Map.of("PACKLAB_BASES", "local", "COLUMNS", "60");

    @BeforeAll
    static void docker() {
        engine = DockerSupport.engine();
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static Launcher.Result packlab(String... args) throws Exception {
        return Launcher.run(ENV, Launcher.cat(new String[] {"--workdir=" + work, "--engine", "builtin"}, args));
    }

    private static Set<String> images() {
        Set<String> out = new TreeSet<>();
        engine.listImages(List.of()).forEach(i -> out.add(i.id() + " " + i.repoTags()));
        return out;
    }

    private static String hex(String digest, int n) {
        return digest.substring("sha256:".length(), "sha256:".length() + n);
    }

    private static void assertFits(String out) {
        out.lines().forEach(l -> assertTrue(DisplayWidth.of(l) <= 60, DisplayWidth.of(l) + " columns: " + l));
    }

    private static Launcher.Result picture(String lang, String... args) throws Exception {
        Launcher.Result r = packlab(Launcher.cat(new String[] {"--lang", lang, "picture"}, args));
        System.out.println("packlab --lang " + lang + " picture " + String.join(" ", args) + "\n" + r.all());
        assertEquals(0, r.code(), r.all());
        assertFits(r.out());
        return r;
    }

    @Test
    void theThreePicturesShowTheLearnersOwnLayers() throws Exception {
        // packlab's launcher image is made once per engine, like the bases: it stays
        io.packlab.cnb.platform.LifecycleImage.ensure(engine, io.packlab.cnb.platform.LifecycleImage.Base.auto(),
                io.packlab.cnb.platform.Reporter.quiet(), io.packlab.engine.Cancellation.none());
        Set<String> before = images();
        Set<String> volumes = new TreeSet<>(engine.listVolumes(List.of()));

        Launcher.Result absent = picture("en", "build", "packlab-it-no-such-app");
        assertTrue(absent.out().contains("│ <id>: <layer>"), absent.out());
        assertTrue(absent.out().replace("\n", " ").contains("pack build in lesson build makes the real one"),
                absent.out());

        StringBuilder made = new StringBuilder();
        for (String lesson : List.of("stack", "builder", "build")) {
            Launcher.Result r = packlab("run", lesson);
            assertEquals(0, r.code(), r.all());
            made.append(r.out());
        }
        assertTrue(made.toString().contains("$ picture builder") && made.toString().contains("$ picture build"),
                "the lessons' picture steps ran: " + made);

        ImageInfo builder = engine.inspectImage("python:distroless").orElseThrow();
        JsonNode bpLayers = JSON.readTree(builder.labels().get("io.buildpacks.buildpack.layers"));
        String bpLayer = bpLayers.path("example/python").fields().next().getValue().path("layerDiffID").asText();
        ImageInfo buildImage = engine.inspectImage("distroless-python:build").orElseThrow();
        for (String lang : List.of("en", "ja")) {
            Launcher.Result b = picture(lang, "builder");
            assertTrue(b.out().matches("(?s).*│ (buildpack|ビルドパック) example/python \\S+ +" + hex(bpLayer, 12)
                    + " │.*"), b.out());
            assertTrue(b.out().contains("─ " + (lang.equals("en") ? "build image" : "ビルドイメージ")
                    + " distroless-python:build ─"), b.out());
            assertTrue(b.out().contains(hex(buildImage.topLayer().orElseThrow(), 12) + " │"), b.out());
            assertTrue(b.out().contains("distroless-python:run"), b.out());
        }

        ImageInfo app = engine.inspectImage("webapp").orElseThrow();
        JsonNode meta = JSON.readTree(app.labels().get("io.buildpacks.lifecycle.metadata"));
        String deps = meta.path("buildpacks").path(0).path("layers").path("deps").path("sha").asText();
        String appLayer = meta.path("app").path(0).path("sha").asText();
        String top = meta.path("runImage").path("topLayer").asText();
        Launcher.Result en = picture("en", "build");
        assertTrue(en.out().contains("│ detect ├─▶│ restore ├─▶│ build ├─▶│ export │"), en.out());
        assertTrue(en.out().matches("(?s).*│ example/python: deps +" + hex(deps, 12) + " │.*"), en.out());
        assertTrue(en.out().matches("(?s).*│ app: /workspace +" + hex(appLayer, 12) + " │.*"), en.out());
        assertTrue(en.out().matches("(?s).*│ #\\d+ runImage.topLayer +" + hex(top, 12) + " │.*"), en.out());
        Launcher.Result ja = picture("ja", "build");
        assertTrue(ja.out().matches("(?s).*│ アプリ: /workspace +" + hex(appLayer, 12) + " │.*"), ja.out());

        // before the rebase lesson: no snapshot, webapp already on the run image
        Launcher.Result now = picture("en", "rebase");
        assertTrue(now.out().contains("webapp now, and after a rebase onto distroless-python:run"), now.out());
        assertTrue(now.out().replace("\n", " ").contains("webapp already sits on distroless-python:run"), now.out());

        Launcher.Result rebase = packlab("run", "rebase");
        assertEquals(0, rebase.code(), rebase.all());
        assertTrue(rebase.out().contains("$ picture rebase"), rebase.out());
        ImageInfo rebased = engine.inspectImage("webapp").orElseThrow();
        String newTop = JSON.readTree(rebased.labels().get("io.buildpacks.lifecycle.metadata")).path("runImage")
                .path("topLayer").asText();
        for (String lang : List.of("en", "ja")) {
            Launcher.Result r = picture(lang, "rebase");
            assertTrue(r.out().contains(lang.equals("en") ? "webapp: before the rebase (snapshot before-rebase) and after"
                    : "webapp: リベースの前（スナップショット before-rebase）と後"), r.out());
            assertTrue(r.out().matches("(?s).*│ \\+ │ #\\d+ +" + hex(newTop, 8) + " │.*"), "the patch layer added: "
                    + r.out());
            assertTrue(r.out().matches("(?s).*│ deps +" + hex(deps, 8) + " │ = │ deps +" + hex(deps, 8) + " │.*"),
                    r.out());
            assertTrue(r.out().contains(lang.equals("en") ? "the same, no buildpack ran" : "個とも同じ"), r.out());
            assertFalse(r.out().contains("a rebuild, not a rebase"), r.out());
        }

        Launcher.Result wrong = packlab("picture", "builder", "webapp");
        assertEquals(2, wrong.code(), wrong.all());
        assertTrue(wrong.err().contains("webapp is not a builder"), wrong.err());

        Launcher.Result reset = packlab("reset", "--yes");
        assertEquals(0, reset.code(), reset.all());
        assertEquals(before, images(), "docker images as before");
        assertEquals(volumes, new TreeSet<>(engine.listVolumes(List.of())), "docker volume ls as before");
    }
}
