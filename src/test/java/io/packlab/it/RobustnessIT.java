package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.BuildListener;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and hostile images through the real launcher: each gives one clear paragraph and the
 * exit code of the contract, and leaves no container, volume or dangling image behind.
 */
class RobustnessIT {

    private static final String HOSTILE = "packlab-it-hostile:latest";

    @TempDir
    static Path work;

    private static DockerEngine engine;

    @BeforeAll
    static void docker() throws Exception {
        engine = DockerSupport.engine();
        Path ctx = Files.createDirectories(work.resolve("hostile"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /\n"
                + "LABEL io.buildpacks.lifecycle.metadata=\"{not json\" io.buildpacks.stack.id=x\n");
        engine.build(new BuildRequest(ctx, Optional.empty(), List.of(HOSTILE), Map.of(),
                Map.of(Engine.LESSON_LABEL, "packlab-it-robust"), false, false), BuildListener.silent(),
                Cancellation.none());
    }

    @AfterAll
    static void cleanUp() {
        if (engine != null) {
            engine.listImages(Engine.labelFilter(Engine.LESSON_LABEL, "packlab-it-robust"))
                    .forEach(i -> engine.removeImage(i.id(), true));
            engine.close();
        }
    }

    private static Set<String> state() {
        return DockerSupport.leftovers(engine);
    }

    private static void assertOneParagraph(Launcher.Result r, int code, String contains) {
        assertEquals(code, r.code(), r.all());
        String err = r.err().strip();
        assertTrue(err.contains(contains), err);
        assertEquals(1, err.lines().filter(l -> l.startsWith("error: ")).count(), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void hostileLabelsInvalidNamesAndMissingThingsAreRefusedCleanly() throws Exception {
        Set<String> before = state();
        Path app = Files.createDirectories(work.resolve("app"));
        Files.writeString(app.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /\n");

        assertOneParagraph(Launcher.run(Map.of(), "--workdir=" + work, "docker", "build", "-t", "Not/A:Valid:Name",
                app.toString()), 1, "docker build of Not/A:Valid:Name failed");
        assertOneParagraph(Launcher.run(Map.of(), "--workdir=" + work, "--engine", "builtin", "pack", "rebase",
                HOSTILE), 1, "is not valid JSON");
        assertOneParagraph(Launcher.run(Map.of(), "--workdir=" + work, "--engine", "builtin", "pack", "build", "x",
                "--builder", "packlab-it-no-such-builder", "--path", app.toString()), 1,
                "the builder `packlab-it-no-such-builder` is not in the Docker engine");
        assertOneParagraph(Launcher.run(Map.of(), "--workdir=" + work, "--engine", "builtin", "pack", "builder",
                "create", "b", "--config", work.resolve("nope.toml").toString()), 2, "nope.toml");
        assertEquals(before, state(), "docker ps -a, docker volume ls and dangling images as before");
    }

    /** A tar of {@code entries}: name, then content ("->target" makes a symlink, "/" at the end a folder). */
    private static void tgz(Path file, Path buildpack, String... entries) throws Exception {
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(file)))) {
            out.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
            if (buildpack != null) {
                try (Stream<Path> walk = Files.walk(buildpack)) {
                    for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                        var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(
                                buildpack.relativize(p).toString());
                        e.setSize(Files.size(p));
                        e.setMode(Files.isExecutable(p) ? 0755 : 0644);
                        out.putArchiveEntry(e);
                        Files.copy(p, out);
                        out.closeArchiveEntry();
                    }
                }
            }
            for (int i = 0; i < entries.length; i += 2) {
                String name = entries[i];
                String content = entries[i + 1];
                org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
                if (content.startsWith("->")) {
                    e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name,
                            org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
                    e.setLinkName(content.substring(2));
                    out.putArchiveEntry(e);
                } else {
                    byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name, true);
                    e.setSize(bytes.length);
                    out.putArchiveEntry(e);
                    out.write(bytes);
                }
                out.closeArchiveEntry();
            }
        }
    }


    @Test
    void buildpackArchivesAreExtractedOnlyInsideTheirTemporaryFolder() throws Exception {
        Path dir = Files.createDirectories(work.resolve("archives"));
        Path lessons = Files.createDirectories(dir.resolve("lessons"));
        Files.writeString(lessons.resolve("01-robust.md"), "---\nid: packlab-it-robust\n---\n```check\n"
                + "image packlab-it-robust-bp exists\n```\n");
        String[] pl = {"--workdir=" + dir, "--lessons", lessons.toString(), "--engine", "builtin"};
        Path bp = Launcher.HOME.resolve("buildpacks/python");
        Path outside = Files.createDirectories(work.resolve("outside"));

        // a well-made archive packages like the folder it was made from
        tgz(dir.resolve("good.tgz"), bp);
        Files.writeString(dir.resolve("package.toml"), "[buildpack]\nuri = \"good.tgz\"\n");
        Launcher.Result good = Launcher.run(Map.of(), Launcher.cat(pl, "pack", "buildpack", "package",
                "packlab-it-robust-bp", "--config", dir.resolve("package.toml").toString()));
        assertEquals(0, good.code(), good.all());
        assertTrue(engine.inspectImage("packlab-it-robust-bp").orElseThrow().labels()
                .get("io.buildpacks.buildpack.layers").contains("example/python"));

        Set<String> before = state();
        List<String> temps = DockerSupport.packlabTemps();
        Map<String, String[]> hostile = new java.util.LinkedHashMap<>();
        hostile.put("dotdot", new String[] {"../../outside/dotdot.txt", "escaped"});
        hostile.put("absolute", new String[] {outside.resolve("absolute.txt").toString(), "escaped"});
        hostile.put("link-out", new String[] {"bin/out", "->" + outside, "bin/out/linked.txt", "escaped"});
        hostile.put("link-up", new String[] {"up", "->../../../..", "up" + outside + "/up.txt", "escaped"});
        for (var h : hostile.entrySet()) {
            Path archive = dir.resolve(h.getKey() + ".tgz");
            tgz(archive, bp, h.getValue());
            Files.writeString(dir.resolve("package.toml"), "[buildpack]\nuri = \"" + archive.getFileName() + "\"\n");
            Launcher.Result r = Launcher.run(Map.of(), Launcher.cat(pl, "pack", "buildpack", "package",
                    "packlab-it-robust-" + h.getKey(), "--config", dir.resolve("package.toml").toString()));
            assertOneParagraph(r, 2, dir.resolve("package.toml") + ":2:1: `buildpack.uri`: the buildpack archive "
                    + archive + " is refused: Refused to extract the tar entry `");
            assertTrue(engine.inspectImage("packlab-it-robust-" + h.getKey()).isEmpty(), "no image");
            try (Stream<Path> written = Files.list(outside)) {
                assertEquals(List.of(), written.toList(), h.getKey() + ": nothing written outside");
            }
        }
        assertEquals(before, state(), "docker ps -a, docker volume ls and dangling images as before");
        assertEquals(temps, DockerSupport.packlabTemps(), "no temporary folder left");
    }


    @Test
    void aSecondPacklabOnTheSameWorkFolderRefusesWhileTheFirstRunsAStep() throws Exception {
        Path dir = Files.createDirectories(work.resolve("two"));
        Map<String, String> env = Map.of("PACKLAB_BASES", "local");
        Launcher.Running first = Launcher.start(env, "--workdir=" + dir, "--engine", "builtin", "run", "stack");
        try {
            first.awaitOutput("step 1 of", 120);
            Launcher.Result second = Launcher.run(env, "--workdir=" + dir, "--engine", "builtin", "run", "stack");
            assertOneParagraph(second, 1, "another packlab (pid ");
            assertTrue(second.err().contains("is working in " + dir), second.err());
            Launcher.Result reader = Launcher.run(env, "--workdir=" + dir, "status", "--json");
            assertEquals(0, reader.code(), "reading needs no lock: " + reader.all());
            Launcher.Result done = first.await(600);
            assertEquals(0, done.code(), "the first one finishes undisturbed: " + done.all());
            String progress = Files.readString(dir.resolve(".packlab/progress.json"));
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(progress); // whole, valid JSON
            assertTrue(progress.contains("\"stack\""), progress);
        } finally {
            Launcher.run(Map.of(), "--workdir=" + dir, "reset", "stack", "--yes");
        }
    }

    @Test
    void aCorruptProgressFileIsKeptAsABackupAndPacklabStarts() throws Exception {
        Path folder = Files.createDirectories(work.resolve("corrupt/.packlab"));
        Files.writeString(folder.resolve("progress.json"), "{\"version\": 1, \"current\": \"sta");
        Launcher.Result r = Launcher.run(Map.of(), "--workdir=" + work.resolve("corrupt"), "list");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("could not be read"), r.err());
        try (Stream<Path> files = Files.list(folder)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("progress.json.bak-")),
                    "the unreadable file is kept");
        }
        Files.writeString(folder.resolve("progress.json"), "{\"version\": 42}");
        Launcher.Result newer = Launcher.run(Map.of(), "--workdir=" + work.resolve("corrupt"), "list");
        assertEquals(0, newer.code(), newer.all());
        assertTrue(newer.err().contains("written by a newer packlab (format 42)"), newer.err());
    }
}
