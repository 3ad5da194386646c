package io.packlab.cnb.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildpackScaffoldTest {

    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void writesWhatPackWritesForTheTutorial() throws IOException {
        Path dir = tmp.resolve("buildpacks/python");
        List<Path> written = BuildpackScaffold.create(dir, BuildpackScaffold.Options.of("example/python")
                .withVersion("0.0.1").withStacks(List.of("com.example.stacks.distroless-python")));

        assertEquals(List.of(dir.resolve("buildpack.toml"), dir.resolve("bin/build"), dir.resolve("bin/detect")), written);
        assertEquals("""
                api = "0.8"
                WithWindowsBuild = false
                WithLinuxBuild = false

                [buildpack]
                  id = "example/python"
                  version = "0.0.1"

                [[stacks]]
                  id = "com.example.stacks.distroless-python"
                """, Files.readString(dir.resolve("buildpack.toml")));
        assertEquals("#!/usr/bin/env bash\n\nset -euo pipefail\n\nlayers_dir=\"$1\"\nenv_dir=\"$2/env\"\nplan_path=\"$3\"\n"
                + "\nexit 0\n", Files.readString(dir.resolve("bin/build")));
        assertEquals("#!/usr/bin/env bash\n\nexit 0\n", Files.readString(dir.resolve("bin/detect")));
        assertEquals("rw-r--r--", mode(dir.resolve("buildpack.toml")));
        assertEquals("rwxr-xr-x", mode(dir.resolve("bin")));
        assertEquals("rwxr-xr-x", mode(dir.resolve("bin/build")));
        assertEquals("rwxr-xr-x", mode(dir.resolve("bin/detect")));

        // and packlab reads it back
        BuildpackDescriptor bp = BuildpackDescriptor.read(dir.resolve("buildpack.toml"));
        assertEquals("example/python", bp.id());
        assertEquals("0.0.1", bp.version());
        assertEquals(new BuildpackApi(0, 8), bp.api());
        assertEquals(List.of(new Stack("com.example.stacks.distroless-python", List.of())), bp.stacks());
        assertEquals(List.of(), bp.targets());
    }

    @Test
    void withoutStacksOrTargetsPackWritesThisMachinesTarget() throws IOException {
        Path dir = tmp.resolve("hello");
        BuildpackScaffold.create(dir, BuildpackScaffold.Options.of("example/hello"));
        Target host = Target.host();
        assertEquals("""
                api = "0.8"
                WithWindowsBuild = false
                WithLinuxBuild = false

                [buildpack]
                  id = "example/hello"
                  version = "1.0.0"

                [[targets]]
                  os = "%s"
                  arch = "%s"
                """.formatted(host.os(), host.arch()), Files.readString(dir.resolve("buildpack.toml")));
        assertEquals(List.of(new Target(host.os(), host.arch(), "", List.of())),
                BuildpackDescriptor.read(dir.resolve("buildpack.toml")).targets());
    }

    @Test
    void targetsWithVariantsAndDistrosAsPacksEncoderWritesThem() {
        String toml = BuildpackScaffold.buildpackToml(BuildpackScaffold.Options.of("example/targets").withApi("0.10")
                .withTargets(List.of(Target.parse("linux/arm/v6:ubuntu@14.04;debian@12"), Target.parse("linux/amd64"))));
        assertEquals("""
                api = "0.10"
                WithWindowsBuild = false
                WithLinuxBuild = false

                [buildpack]
                  id = "example/targets"
                  version = "1.0.0"

                [[targets]]
                  os = "linux"
                  arch = "arm"
                  variant = "v6"

                  [[targets.distros]]
                    name = "ubuntu"
                    version = "14.04"

                  [[targets.distros]]
                    name = "debian"
                    version = "12"

                [[targets]]
                  os = "linux"
                  arch = "amd64"
                """, toml);
        BuildpackDescriptor bp = BuildpackDescriptor.parse(Path.of("buildpack.toml"), toml);
        assertEquals(Target.parse("linux/arm/v6:ubuntu@14.04;debian@12"), bp.targets().get(0));
    }

    @Test
    void stacksAndTargetsTogetherAreBothWrittenAsPackDoes() {
        String toml = BuildpackScaffold.buildpackToml(BuildpackScaffold.Options.of("example/both").withApi("0.10")
                .withStacks(List.of("io.buildpacks.stacks.jammy")).withTargets(List.of(Target.parse("linux/amd64"))));
        assertEquals("""
                api = "0.10"
                WithWindowsBuild = false
                WithLinuxBuild = false

                [buildpack]
                  id = "example/both"
                  version = "1.0.0"

                [[stacks]]
                  id = "io.buildpacks.stacks.jammy"

                [[targets]]
                  os = "linux"
                  arch = "amd64"
                """, toml);
    }

    @Test
    void refusesToOverwriteAndWritesNothing() throws IOException {
        Path dir = tmp.resolve("python");
        Fixtures.write(dir.resolve("bin/detect"), "#!/bin/sh", "exit 0");
        DescriptorException e = assertThrows(DescriptorException.class,
                () -> BuildpackScaffold.create(dir, BuildpackScaffold.Options.of("example/python")));
        assertEquals(dir.resolve("bin/detect") + ":1:1: bin/detect already exists in " + dir + ", and pack buildpack new"
                + " writes nothing when any of buildpack.toml, bin/build and bin/detect exists. Move it away, or scaffold into"
                + " another folder with --path.", e.getMessage());
        assertFalse(Files.exists(dir.resolve("buildpack.toml")));
        assertFalse(Files.exists(dir.resolve("bin/build")));
        assertEquals("#!/bin/sh\nexit 0\n", Files.readString(dir.resolve("bin/detect")));

        Fixtures.write(dir.resolve("buildpack.toml"), "api = \"0.8\"");
        DescriptorException two = assertThrows(DescriptorException.class,
                () -> BuildpackScaffold.create(dir, BuildpackScaffold.Options.of("example/python")));
        assertEquals(dir.resolve("buildpack.toml") + ":1:1: buildpack.toml and bin/detect already exist in " + dir + ", and"
                + " pack buildpack new writes nothing when any of buildpack.toml, bin/build and bin/detect exists. Move them"
                + " away, or scaffold into another folder with --path.", two.getMessage());
        assertFalse(Files.exists(dir.resolve("bin/build")));
    }

    @Test
    void aFileWhereTheFolderShouldBeIsRefused() {
        Path file = Fixtures.write(tmp.resolve("python"), "not a folder");
        DescriptorException e = assertThrows(DescriptorException.class,
                () -> BuildpackScaffold.create(file, BuildpackScaffold.Options.of("example/python")));
        assertEquals(file + ":1:1: this is a file, but pack buildpack new needs a folder here to write the buildpack into."
                + " Move the file away, or choose another --path.", e.getMessage());
    }

    @Test
    void optionsAreChecked() {
        assertEquals("'example/my_cnb' is not a valid buildpack id: use letters, digits, '.', '/' and '-' (and not app,"
                + " config, generated or sbom), for example example/python.",
                assertThrows(PacklabException.class, () -> BuildpackScaffold.Options.of("example/my_cnb")).getMessage());
        assertEquals("could not parse 'latest' as version: --api takes a Buildpack API version major.minor, for example"
                + " --api 0.8.", assertThrows(PacklabException.class,
                        () -> BuildpackScaffold.Options.of("example/x").withApi("latest")).getMessage());
        assertEquals(PacklabException.USAGE, assertThrows(PacklabException.class,
                () -> BuildpackScaffold.Options.of("example/x").withVersion(" ")).exitCode());
        // like pack, an old API is written as asked; the lifecycle refuses it later
        assertEquals("api = \"0.5\"", BuildpackScaffold.buildpackToml(BuildpackScaffold.Options.of("example/x")
                .withApi("0.5")).lines().findFirst().orElseThrow());
    }

    @Test
    void stringsAreEscapedAsTomlBasicStrings() {
        String toml = BuildpackScaffold.buildpackToml(BuildpackScaffold.Options.of("example/x").withVersion("1.0 \"beta\"\\"));
        assertEquals("  version = \"1.0 \\\"beta\\\"\\\\\"", toml.lines().filter(l -> l.contains("version")).findFirst()
                .orElseThrow());
        assertEquals("1.0 \"beta\"\\", BuildpackDescriptor.parse(Path.of("buildpack.toml"), toml).version());
    }
}
