package io.packlab.cnb.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildpackDescriptorTest {

    private static final Path FILE = Path.of("buildpacks/python/buildpack.toml");

    @TempDir
    Path tmp;

    private static DescriptorException fails(String... lines) {
        return assertThrows(DescriptorException.class, () -> BuildpackDescriptor.parse(FILE, String.join("\n", lines)));
    }

    private static BuildpackDescriptor parses(String... lines) {
        return BuildpackDescriptor.parse(FILE, String.join("\n", lines));
    }

    @Test
    void readsTheTutorialBuildpack() {
        Path toml = Fixtures.copy(tmp).resolve("buildpacks/python/buildpack.toml");
        BuildpackDescriptor bp = BuildpackDescriptor.read(toml);

        assertEquals(toml, bp.file());
        assertEquals(toml.getParent(), bp.dir());
        assertEquals(new BuildpackApi(0, 8), bp.api());
        assertEquals("example/python", bp.id());
        assertEquals("0.0.1", bp.version());
        assertEquals("example/python@0.0.1", bp.fullName());
        assertEquals(Optional.of("Python Buildpack"), bp.name());
        assertEquals(Optional.of("https://github.com/buildpacks/samples"), bp.homepage());
        assertEquals(Optional.of("Installs the app's requirements with pip and runs app.py"), bp.description());
        assertEquals(List.of("python", "pip"), bp.keywords());
        assertEquals(List.of(new License("Apache-2.0", "")), bp.licenses());
        assertFalse(bp.clearEnv());
        assertEquals(List.of(new Stack("com.example.stacks.distroless-python", List.of())), bp.stacks());
        assertEquals(List.of(), bp.targets());
        assertEquals(List.of(), bp.order());
        assertFalse(bp.isComposite());
        assertFalse(bp.isStackDeprecated());
        assertTrue(bp.hasBinBuild());
        assertEquals(List.of(Target.linux()), bp.effectiveTargets());
        assertEquals("example_python", bp.escapedId());
        assertTrue(bp.supportsStack("com.example.stacks.distroless-python"));
        assertFalse(bp.supportsStack("io.buildpacks.stacks.jammy"));
        assertEquals(Map.of("default-python", "3.12", "dependencies", List.of(Map.of("id", "pip", "version", "24.0"))),
                bp.metadata());
        assertThrows(UnsupportedOperationException.class, () -> bp.metadata().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> bp.keywords().add("x"));
    }

    @Test
    void parseNeedsNoFileSystemAndAssumesBinBuildForANormalBuildpack() {
        BuildpackDescriptor bp = parses("api = \"0.10\"", "[buildpack]", "id = \"example/hello\"", "version = \"1.0.0\"",
                "clear-env = true");
        assertTrue(bp.hasBinBuild());
        assertTrue(bp.clearEnv());
        assertEquals(Optional.empty(), bp.name());
        assertEquals(List.of(Target.linux()), bp.effectiveTargets());
        assertTrue(bp.supportsStack("any.stack"), "a buildpack without stacks is not bound to stacks");
    }

    @Test
    void targetsAreReadWithTheirDistros() {
        BuildpackDescriptor bp = parses("api = \"0.10\"", "[buildpack]", "id = \"example/python\"", "version = \"0.0.1\"",
                "[[targets]]", "os = \"linux\"", "arch = \"arm\"", "variant = \"v6\"",
                "[[targets.distros]]", "name = \"ubuntu\"", "version = \"14.04\"",
                "[[targets]]", "os = \"linux\"", "arch = \"amd64\"");
        List<Target> expected = List.of(new Target("linux", "arm", "v6", List.of(new Distro("ubuntu", "14.04"))),
                new Target("linux", "amd64", "", List.of()));
        assertEquals(expected, bp.targets());
        assertEquals(expected, bp.effectiveTargets());
        assertFalse(bp.isStackDeprecated());
        assertTrue(bp.supportsStack("io.buildpacks.stacks.jammy"), "targets-only buildpacks run on any stack");
    }

    @Test
    void stacksAreDeprecatedFromApi010ButStillAccepted() {
        BuildpackDescriptor bp = parses("api = \"0.10\"", "[buildpack]", "id = \"example/python\"", "version = \"0.0.1\"",
                "[[stacks]]", "id = \"io.buildpacks.stacks.jammy\"", "mixins = [\"build:git\"]");
        assertTrue(bp.isStackDeprecated());
        assertEquals(List.of(new Stack("io.buildpacks.stacks.jammy", List.of("build:git"))), bp.stacks());
        assertFalse(parses("api = \"0.9\"", "[buildpack]", "id = \"a\"", "version = \"1\"", "[[stacks]]", "id = \"x\"")
                .isStackDeprecated());
    }

    @Test
    void anyStackAndTheBionicTranslation() {
        BuildpackDescriptor any = parses("api = \"0.8\"", "[buildpack]", "id = \"example/empty\"", "version = \"0.0.1\"",
                "[[stacks]]", "id = \"*\"");
        assertTrue(any.stacks().get(0).isAny());
        assertTrue(any.supportsStack("com.example.stacks.distroless-python"));
        assertTrue(any.supportsStack("io.buildpacks.stacks.jammy"));

        BuildpackDescriptor bionic = parses("api = \"0.8\"", "[buildpack]", "id = \"example/old\"", "version = \"0.0.1\"",
                "[[stacks]]", "id = \"io.buildpacks.stacks.bionic\"");
        assertEquals(List.of(new Target("linux", "amd64", "", List.of(new Distro("ubuntu", "18.04")))),
                bionic.effectiveTargets());
    }

    @Test
    void readsACompositeBuildpack() throws IOException {
        Path toml = Fixtures.write(tmp.resolve("meta/buildpack.toml"),
                "api = \"0.8\"",
                "[buildpack]",
                "id = \"example/meta\"",
                "version = \"1.0.0\"",
                "",
                "[[order]]",
                "[[order.group]]",
                "id = \"example/python\"",
                "version = \"0.0.1\"",
                "[[order.group]]",
                "id = \"example/procfile\"",
                "version = \"1.0.0\"",
                "optional = true",
                "",
                "[[order]]",
                "[[order.group]]",
                "id = \"example/python\"",
                "version = \"0.0.1\"");
        BuildpackDescriptor bp = BuildpackDescriptor.read(toml);
        assertTrue(bp.isComposite());
        assertFalse(bp.hasBinBuild());
        assertEquals(List.of(
                new OrderGroup(List.of(new ModuleRef("example/python", "0.0.1", false),
                        new ModuleRef("example/procfile", "1.0.0", true))),
                new OrderGroup(List.of(new ModuleRef("example/python", "0.0.1", false)))), bp.order());
        assertEquals(List.of(), bp.effectiveTargets());
        assertTrue(bp.supportsStack("anything"));
        assertEquals("example/procfile@1.0.0", bp.order().get(0).group().get(1).fullName());

        Files.createDirectories(tmp.resolve("meta/bin"));
        DescriptorException e = assertThrows(DescriptorException.class, () -> BuildpackDescriptor.read(toml));
        assertEquals(toml + ":6:1: this buildpack has [[order]], so it is a composite buildpack and must not have a bin/"
                + " folder, but " + tmp.resolve("meta/bin") + " exists. Remove bin/ (its order's buildpacks do the work) or"
                + " remove [[order]] to make it a normal buildpack.", e.getMessage());
    }

    @Test
    void aCompositeDeclaresNoStacks() {
        DescriptorException e = fails("api = \"0.8\"", "[buildpack]", "id = \"example/meta\"", "version = \"1.0.0\"",
                "[[stacks]]", "id = \"*\"", "[[order]]", "[[order.group]]", "id = \"example/python\"", "version = \"0.0.1\"");
        assertEquals(FILE + ":5:1: a composite buildpack (one with [[order]]) must not declare [[stacks]]: the buildpacks of"
                + " its order declare their own. Remove the [[stacks]] entries (or, from api = \"0.10\", declare [[targets]]"
                + " instead).", e.getMessage());
    }

    @Test
    void orderGroupsNeedIdAndVersion() {
        DescriptorException noVersion = fails("api = \"0.8\"", "[buildpack]", "id = \"example/meta\"", "version = \"1.0.0\"",
                "[[order]]", "[[order.group]]", "id = \"example/python\"");
        assertEquals(FILE + ":6:1: `order.group.version` is missing. A buildpack in a group of buildpack.toml needs its"
                + " version too: add version = \"<version of example/python>\".", noVersion.getMessage());

        DescriptorException noId = fails("api = \"0.8\"", "[buildpack]", "id = \"example/meta\"", "version = \"1.0.0\"",
                "[[order]]", "", "  [[order.group]]", "  version = \"0.0.1\"");
        assertEquals(FILE + ":7:3: `order.group.id` is missing. Every [[order.group]] names a buildpack: add id ="
                + " \"<buildpack id>\".", noId.getMessage());

        DescriptorException noGroup = fails("api = \"0.8\"", "[buildpack]", "id = \"example/meta\"", "version = \"1.0.0\"",
                "[[order]]");
        assertEquals(FILE + ":5:1: this [[order]] has no [[order.group]]. Add the buildpacks it tries, each as"
                + " [[order.group]] with id = \"<buildpack id>\" and version = \"<version>\".", noGroup.getMessage());
    }

    @Test
    void tomlSyntaxErrorsPointAtTheirPlace() {
        DescriptorException e = fails("api = \"0.8\"", "[buildpack]", "id = example/python");
        assertTrue(e.getMessage().startsWith(FILE + ":3:6: this is not valid TOML: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" Fix the TOML syntax there (strings need double quotes, tables are written"
                + " [name], arrays of tables [[name]])."), e.getMessage());
        assertEquals(3, e.line());
        assertEquals(6, e.column());
        assertEquals(FILE, e.file());
        assertEquals(PacklabException.USAGE, e.exitCode());
    }

    @Test
    void apiMustBePresent() {
        DescriptorException e = fails("[buildpack]", "id = \"example/python\"", "version = \"0.0.1\"");
        assertEquals(FILE + ":1:1: `api` is missing: buildpack.toml must say which Buildpack API it is written for. Add"
                + " api = \"0.8\" (the lifecycle supports 0.7 to 0.12) as the first line.", e.getMessage());
    }

    @Test
    void apiMustBeAQuotedVersion() {
        DescriptorException number = fails("# python", "api = 0.8", "[buildpack]", "id = \"example/python\"",
                "version = \"0.0.1\"");
        assertEquals(FILE + ":2:1: `api` must be a string, but it is a float (a number with a dot; write versions in"
                + " quotes). Write it as api = \"0.8\" (in quotes).", number.getMessage());

        DescriptorException text = fails("api = \"latest\"", "[buildpack]", "id = \"example/python\"", "version = \"0.0.1\"");
        assertEquals(FILE + ":1:1: `api` is \"latest\", which is not a Buildpack API version. Write it as major.minor, like"
                + " api = \"0.8\".", text.getMessage());
    }

    @Test
    void apiPolicyAppliesWithThePositionOfApi() {
        for (String v : List.of("0.2", "0.3", "0.4", "0.5", "0.6", "0.13")) {
            DescriptorException e = fails("# the tutorial buildpack", "api = \"" + v + "\"", "[buildpack]",
                    "id = \"example/python\"", "version = \"0.0.1\"");
            assertEquals(FILE + ":2:1: " + BuildpackApi.parse(v).incompatibility().orElseThrow(), e.getMessage());
        }
        assertEquals(FILE + ":1:1: buildpack API version '0.5' is incompatible with the lifecycle (it supports Buildpack API"
                + " 0.7 to 0.12): API 0.2-0.6 were removed in lifecycle 0.18. Set `api = \"0.8\"` (or newer) in"
                + " buildpack.toml and move layer flags (launch, build, cache) under [types].",
                fails("api = \"0.5\"", "[buildpack]", "id = \"example/python\"", "version = \"0.0.1\"").getMessage());
        for (String v : List.of("0.7", "0.8", "0.9", "0.10", "0.11", "0.12")) {
            assertEquals(BuildpackApi.parse(v), parses("api = \"" + v + "\"", "[buildpack]", "id = \"example/python\"",
                    "version = \"0.0.1\"").api());
        }
    }

    @Test
    void theBuildpackTableIsRequired() {
        assertEquals(FILE + ":1:1: there is no [buildpack] table. Add one with the buildpack's id and version: [buildpack]"
                + " id = \"example/python\" version = \"0.0.1\" (each on its own line).", fails("api = \"0.8\"").getMessage());
        assertEquals(FILE + ":2:1: `buildpack` must be a table, but it is a string. Write it as a table: [buildpack] with"
                + " its keys on the lines below.", fails("api = \"0.8\"", "buildpack = \"example/python\"").getMessage());
    }

    @Test
    void idIsRequiredAndRestricted() {
        assertEquals(FILE + ":3:1: `buildpack.id` is missing. Add id = \"<your/buildpack>\" under [buildpack], for example"
                + " id = \"example/python\" (letters, digits, '.', '/' and '-').",
                fails("api = \"0.8\"", "", "[buildpack]", "version = \"0.0.1\"").getMessage());
        assertEquals(FILE + ":3:1: `buildpack.id` is empty. Add id = \"<your/buildpack>\" under [buildpack], for example"
                + " id = \"example/python\" (letters, digits, '.', '/' and '-').",
                fails("api = \"0.8\"", "[buildpack]", "id = \"\"", "version = \"0.0.1\"").getMessage());
        assertEquals(FILE + ":3:3: `buildpack.id` \"example/my_python\" may only contain letters, digits, '.', '/' and '-',"
                + " but it contains '_'. Choose an id like \"example/python\".",
                fails("api = \"0.8\"", "[buildpack]", "  id = \"example/my_python\"", "  version = \"0.0.1\"").getMessage());
        assertEquals(FILE + ":3:1: `buildpack.id` \"my python\" may only contain letters, digits, '.', '/' and '-', but it"
                + " contains ' '. Choose an id like \"example/python\".",
                fails("api = \"0.8\"", "[buildpack]", "id = \"my python\"", "version = \"0.0.1\"").getMessage());
        for (String reserved : List.of("app", "config", "generated", "sbom")) {
            assertEquals(FILE + ":3:1: `buildpack.id` \"" + reserved + "\" is reserved: app, config, generated and sbom are"
                    + " names the lifecycle uses for its own folders. Choose another id, like \"example/" + reserved + "\".",
                    fails("api = \"0.8\"", "[buildpack]", "id = \"" + reserved + "\"", "version = \"0.0.1\"").getMessage());
        }
        assertEquals("io.buildpacks.stacks-2.x", parses("api = \"0.8\"", "[buildpack]", "id = \"io.buildpacks.stacks-2.x\"",
                "version = \"1\"").id());
    }

    @Test
    void versionIsRequired() {
        assertEquals(FILE + ":2:1: `buildpack.version` is missing. Add version = \"0.0.1\" under [buildpack] (the spec wants"
                + " X.Y.Z).", fails("api = \"0.8\"", "[buildpack]", "id = \"example/python\"").getMessage());
        assertEquals(FILE + ":4:1: `buildpack.version` must be a string, but it is a float (a number with a dot; write"
                + " versions in quotes). Write it as version = \"0.0.1\".",
                fails("api = \"0.8\"", "[buildpack]", "id = \"example/python\"", "version = 0.1").getMessage());
    }

    @Test
    void fieldTypesAreChecked() {
        assertEquals(FILE + ":5:23: `buildpack.keywords` must be an array of strings, but item 2 is an integer. Write it as"
                + " keywords = [\"python\"].", fails("api = \"0.8\"", "[buildpack]", "id = \"example/python\"",
                        "version = \"0.0.1\"", "keywords = [\"python\", 3]").getMessage());
        assertEquals(FILE + ":5:1: `buildpack.clear-env` must be a boolean, but it is a string. Write it as clear-env = true"
                + " (no quotes).", fails("api = \"0.8\"", "[buildpack]", "id = \"example/python\"", "version = \"0.0.1\"",
                        "clear-env = \"true\"").getMessage());
    }

    @Test
    void stacksAreAnArrayOfTablesWithIds() {
        assertEquals(FILE + ":5:1: `stacks` must be an array of tables, but it is a single table. Write it with double"
                + " brackets: [[stacks]].", fails("api = \"0.8\"", "[buildpack]", "id = \"example/python\"",
                        "version = \"0.0.1\"", "[stacks]", "id = \"com.example.stacks.distroless-python\"").getMessage());
        assertEquals(FILE + ":5:1: `stacks.id` is missing. Every [[stacks]] names a stack: add id = \"<stack id>\", or"
                + " id = \"*\" for any stack.", fails("api = \"0.8\"", "[buildpack]", "id = \"example/python\"",
                        "version = \"0.0.1\"", "[[stacks]]", "mixins = []").getMessage());
        assertEquals(FILE + ":7:1: a [[stacks]] entry with id = \"*\" (any stack) must not list mixins: no stack could"
                + " promise them. Remove mixins, or name the stack that provides them.",
                fails("api = \"0.8\"", "[buildpack]", "id = \"example/python\"", "version = \"0.0.1\"", "[[stacks]]",
                        "id = \"*\"", "mixins = [\"git\"]").getMessage());
    }

    @Test
    void aNormalBuildpackNeedsExecutableBinDetectAndBuild() throws IOException {
        Path dir = tmp.resolve("python");
        Path toml = Fixtures.buildpack(dir, "api = \"0.8\"", "", "[buildpack]", "id = \"example/python\"",
                "version = \"0.0.1\"");
        assertTrue(BuildpackDescriptor.read(toml).hasBinBuild());

        Files.setPosixFilePermissions(dir.resolve("bin/build"), PosixFilePermissions.fromString("rw-r--r--"));
        DescriptorException notExecutable = assertThrows(DescriptorException.class, () -> BuildpackDescriptor.read(toml));
        assertEquals(toml + ":3:1: bin/build is not executable (in " + dir.resolve("bin") + "). A buildpack without [[order]]"
                + " needs both bin/detect and bin/build as executable files, which the lifecycle runs; run `chmod +x"
                + " bin/build` in " + dir + ".", notExecutable.getMessage());

        Files.delete(dir.resolve("bin/detect"));
        DescriptorException both = assertThrows(DescriptorException.class, () -> BuildpackDescriptor.read(toml));
        assertEquals(toml + ":3:1: bin/detect is missing and bin/build is not executable (in " + dir.resolve("bin") + "). A"
                + " buildpack without [[order]] needs both bin/detect and bin/build as executable files, which the lifecycle"
                + " runs; write the missing scripts (pack buildpack new scaffolds both) and then run `chmod +x bin/detect"
                + " bin/build` in " + dir + ".", both.getMessage());

        Files.delete(dir.resolve("bin/build"));
        Files.createDirectories(dir.resolve("bin/detect"));
        DescriptorException folder = assertThrows(DescriptorException.class, () -> BuildpackDescriptor.read(toml));
        assertTrue(folder.getMessage().startsWith(toml + ":3:1: bin/detect is not a file and bin/build is missing (in "),
                folder.getMessage());

        // parse() does not look at the file system
        assertEquals("example/python", BuildpackDescriptor.parse(toml, Files.readString(toml)).id());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = tmp.resolve("nowhere/buildpack.toml");
        DescriptorException e = assertThrows(DescriptorException.class, () -> BuildpackDescriptor.read(missing));
        assertEquals(missing + ":1:1: there is no such file. Check the path (relative paths start at the current folder).",
                e.getMessage());
    }

    @Test
    void runsOnTheTargetsTheSpecInfers() {
        Target debianAmd64 = new Target("linux", "amd64", "", List.of(new Distro("debian", "12")));
        Target windows = new Target("windows", "amd64", "", List.of());
        BuildpackDescriptor noTargets = parses("api = \"0.10\"", "[buildpack]", "id = \"a/b\"", "version = \"1.0.0\"");
        assertTrue(noTargets.runsOn(debianAmd64), "no targets and bin/build: any linux");
        assertFalse(noTargets.runsOn(windows));
        BuildpackDescriptor composite = parses("api = \"0.10\"", "[buildpack]", "id = \"a/c\"", "version = \"1.0.0\"",
                "[[order]]", "[[order.group]]", "id = \"a/b\"", "version = \"1.0.0\"");
        assertTrue(composite.runsOn(debianAmd64), "a composite has no targets of its own: its members are matched");
        assertTrue(composite.runsOn(windows));
        BuildpackDescriptor arm = parses("api = \"0.10\"", "[buildpack]", "id = \"a/b\"", "version = \"1.0.0\"",
                "[[targets]]", "os = \"linux\"", "arch = \"arm64\"");
        assertFalse(arm.runsOn(debianAmd64));
        BuildpackDescriptor ubuntu = parses("api = \"0.10\"", "[buildpack]", "id = \"a/b\"", "version = \"1.0.0\"",
                "[[targets]]", "os = \"linux\"", "[[targets.distros]]", "name = \"ubuntu\"");
        assertFalse(ubuntu.runsOn(debianAmd64));
        assertTrue(ubuntu.runsOn(new Target("linux", "amd64", "", List.of())));
        BuildpackDescriptor anyStack = parses("api = \"0.9\"", "[buildpack]", "id = \"a/b\"", "version = \"1.0.0\"",
                "[[stacks]]", "id = \"*\"");
        assertTrue(anyStack.runsOn(windows), "[[stacks]] id = \"*\" matches any target");
        BuildpackDescriptor stackOnly = parses("api = \"0.9\"", "[buildpack]", "id = \"a/b\"", "version = \"1.0.0\"",
                "[[stacks]]", "id = \"com.example.stack\"");
        assertTrue(stackOnly.runsOn(debianAmd64), "a stacks-only buildpack is matched by its stacks");
    }
}
