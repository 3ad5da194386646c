package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cli.InProcessCli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad package.toml and builder.toml through the pack command line, with no engine reachable: each is
 * refused as bad input in one paragraph, at file:line:column where tomlj gives one, before packlab
 * needs the engine (so the exit code is that of the input, not 3), and the file is left as it was.
 */
class BadTomlTest {

    private static final Map<String, String> NO_ENGINE = Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock",
            "PATH", "/nonexistent");
    private static final Path PYTHON = Path.of("buildpacks/python").toAbsolutePath();

    @TempDir
    Path work;

    private Run pack(String file, String toml, String... args) throws Exception {
        Path f = work.resolve(file);
        Files.writeString(f, toml);
        String[] all = new String[args.length + 4];
        all[0] = "--engine";
        all[1] = "builtin";
        all[2] = "pack";
        System.arraycopy(args, 0, all, 3, args.length);
        all[all.length - 1] = f.toString();
        Run r = InProcessCli.run(work, NO_ENGINE, all);
        assertEquals(toml, Files.readString(f), "the learner's file is untouched");
        assertEquals(1, r.err().strip().lines().count(), "one paragraph: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        return r;
    }

    private Run packageToml(String toml) throws Exception {
        return pack("package.toml", toml, "buildpack", "package", "x", "--config");
    }

    private Run builderToml(String toml) throws Exception {
        return pack("builder.toml", toml, "builder", "create", "b", "--config");
    }

    @Test
    void packageTomlSyntaxErrorIsAtLineAndColumn() throws Exception {
        Run r = packageToml("[buildpack]\nuri = \"../x\n");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(work.resolve("package.toml") + ":2:12: this is not valid TOML"), r.err());
    }

    @Test
    void packageTomlWrongTypeNamesTheKeyAndTheFix() throws Exception {
        Run r = packageToml("[buildpack]\nuri = 42\n");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(work.resolve("package.toml") + ":2:1: `buildpack.uri` must be a string, but it is"
                + " an integer"), r.err());
    }

    @Test
    void builderTomlSyntaxErrorIsAtLineAndColumn() throws Exception {
        Run r = builderToml("[[buildpacks]]\nuri = \"" + PYTHON + "\"\n[stack\nid = 1\n");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(work.resolve("builder.toml") + ":3:7: this is not valid TOML"), r.err());
    }

    @Test
    void builderTomlWrongTypeNamesTheKey() throws Exception {
        Run r = builderToml("[[buildpacks]]\nuri = \"" + PYTHON + "\"\n[[order]]\n[[order.group]]\nid = \"example/python\"\n"
                + "[stack]\nid = 5\nbuild-image = \"b\"\nrun-image = \"r\"\n");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(work.resolve("builder.toml") + ":7:1: `stack.id` must be a string, but it is an"
                + " integer"), r.err());
    }

    @Test
    void aBuilderWhoseOrderNamesAMissingBuildpackIsRefusedBeforeTheEngineIsNeeded() throws Exception {
        Run r = builderToml("[[buildpacks]]\nuri = \"" + PYTHON + "\"\n[[order]]\n[[order.group]]\nid = \"example/nope\"\n"
                + "[stack]\nid = \"com.example.stacks.distroless-python\"\nbuild-image = \"b\"\nrun-image = \"r\"\n");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(work.resolve("builder.toml") + ":5:1: the [[order]] names buildpack example/nope, which"
                + " is not among its [[buildpacks]]"
                + " (they are example/python@0.0.1)"), r.err());
    }

    @Test
    void aBuilderBuildpackFolderThatDoesNotExistIsNamedWithItsPlace() throws Exception {
        Run r = builderToml("[[buildpacks]]\nuri = \"../nope\"\n[[order]]\n[[order.group]]\nid = \"a/b\"\n"
                + "[stack]\nid = \"s\"\nbuild-image = \"b\"\nrun-image = \"r\"\n");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(work.resolve("builder.toml") + ":2:1: `buildpacks.uri` is \"../nope\""), r.err());
    }

    @Test
    void aBuildpackWithAnUnknownApiOrAnIllegalIdIsRefusedWhenPackaged() throws Exception {
        Path bp = Files.createDirectories(work.resolve("bp/bin"));
        Files.writeString(bp.resolve("detect"), "#!/bin/sh\n");
        Files.writeString(bp.resolve("build"), "#!/bin/sh\n");
        bp.resolve("detect").toFile().setExecutable(true);
        bp.resolve("build").toFile().setExecutable(true);
        Files.writeString(work.resolve("bp/buildpack.toml"),
                "api = \"0.99\"\n[buildpack]\nid = \"example/x\"\nversion = \"1\"\n[[stacks]]\nid = \"*\"\n");
        Run api = packageToml("[buildpack]\nuri = \"bp\"\n");
        assertEquals(2, api.code(), api.err());
        assertTrue(api.err().contains(work.resolve("bp/buildpack.toml") + ":1:"), api.err());
        assertTrue(api.err().contains("0.99"), api.err());

        Files.writeString(work.resolve("bp/buildpack.toml"),
                "api = \"0.9\"\n[buildpack]\nid = \"Example/X!\"\nversion = \"1\"\n[[stacks]]\nid = \"*\"\n");
        Run id = packageToml("[buildpack]\nuri = \"bp\"\n");
        assertEquals(2, id.code(), id.err());
        assertTrue(id.err().contains(work.resolve("bp/buildpack.toml") + ":3:"), id.err());
        assertTrue(id.err().contains("Example/X!"), id.err());
    }

    @Test
    void aPackageUriThatIsATextFileIsRefusedAtItsLineSayingWhatItIsAndWhatIsExpected() throws Exception {
        Files.writeString(work.resolve("notes.txt"), "my notes\n".repeat(200));
        Run r = packageToml("[buildpack]\nuri = \"notes.txt\"\n");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(work.resolve("package.toml") + ":2:1: `buildpack.uri` is \"notes.txt\", which points"
                + " to " + work.resolve("notes.txt") + ": a file that is not a tar archive (it is text, starting `my"
                + " notes`)."), r.err());
        assertTrue(r.err().contains("Give the folder that holds the buildpack's buildpack.toml, or a .tgz or .tar archive"
                + " of it"), r.err());
        assertFalse(r.err().contains("Corrupted TAR"), r.err());
        assertEquals("my notes\n".repeat(200), Files.readString(work.resolve("notes.txt")));
    }

    @Test
    void aRelativeUriToAFolderWithoutBuildpackTomlIsReportedAtPackageTomlWithTheRealRule() throws Exception {
        Run r = packageToml("[buildpack]\nuri = \"" + "../".repeat(work.getNameCount()) + "etc\"\n");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: " + work.resolve("package.toml") + ":2:1: `buildpack.uri` is \"../"),
                r.err());
        assertTrue(r.err().contains("which points to /etc: a folder without buildpack.toml. A relative uri resolves from"
                + " the folder of package.toml (" + work + "), not from the current folder."), r.err());
        assertFalse(r.err().contains("/etc/buildpack.toml:1:1"), r.err());
    }

    @Test
    void archivesThatAreNoBuildpackAreRefusedAtTheUriLine() throws Exception {
        Path gz = work.resolve("notes.tgz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("not a tar at all\n".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Run r = packageToml("# a gzip of text\n[buildpack]\nuri = \"notes.tgz\"\n");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(work.resolve("package.toml") + ":3:1: `buildpack.uri`: the buildpack archive " + gz
                + " cannot be read"), r.err());

        Path tar = work.resolve("readme.tar");
        new io.packlab.cnb.image.LayerBuilder().file("README", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                0, 0, 0644).write(tar);
        Run noToml = packageToml("[buildpack]\nuri = \"readme.tar\"\n");
        assertEquals(2, noToml.code(), noToml.err());
        assertTrue(noToml.err().contains(work.resolve("package.toml") + ":2:1: `buildpack.uri`: the buildpack archive "
                + tar + " has no buildpack.toml at its top"), noToml.err());

        Run builder = builderToml("[[buildpacks]]\nuri = \"" + PYTHON + "\"\n[[buildpacks]]\nuri = \"readme.tar\"\n"
                + "[[order]]\n[[order.group]]\nid = \"example/python\"\n"
                + "[stack]\nid = \"s\"\nbuild-image = \"b\"\nrun-image = \"r\"\n");
        assertEquals(2, builder.code(), builder.err());
        assertTrue(builder.err().contains(work.resolve("builder.toml") + ":4:1: `buildpacks.uri`: the buildpack archive "
                + tar + " has no buildpack.toml at its top"), builder.err());
    }

    @Test
    void aBuilderEntryWhoseIdDiffersFromItsBuildpackIsRefusedAtTheIdLine() throws Exception {
        Run r = builderToml("[[buildpacks]]\nid = \"example/other\"\nuri = \"" + PYTHON + "\"\n[[order]]\n"
                + "[[order.group]]\nid = \"example/python\"\n"
                + "[stack]\nid = \"s\"\nbuild-image = \"b\"\nrun-image = \"r\"\n");
        assertEquals(2, r.code(), "refused before the engine is needed: " + r.err());
        assertTrue(r.err().contains(work.resolve("builder.toml") + ":2:1: buildpack entry id example/other does not"
                + " match the id example/python"), r.err());

        Run version = builderToml("[[buildpacks]]\nuri = \"" + PYTHON + "\"\nversion = \"9.9.9\"\n[[order]]\n"
                + "[[order.group]]\nid = \"example/python\"\n"
                + "[stack]\nid = \"s\"\nbuild-image = \"b\"\nrun-image = \"r\"\n");
        assertEquals(2, version.code(), version.err());
        assertTrue(version.err().contains(work.resolve("builder.toml") + ":3:1: buildpack example/python is version"
                + " 0.0.1 in "), version.err());
    }
}
