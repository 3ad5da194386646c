package io.packlab.cnb.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuilderConfigTest {

    @TempDir
    Path tmp;

    private Path root;

    @BeforeEach
    void fixtures() {
        root = Fixtures.copy(tmp);
    }

    private Path toml() {
        return root.resolve("builders/test/builder.toml");
    }

    private BuilderConfig reads(String... lines) {
        return BuilderConfig.read(Fixtures.write(toml(), lines));
    }

    private String fails(String... lines) {
        Path file = Fixtures.write(toml(), lines);
        return assertThrows(DescriptorException.class, () -> BuilderConfig.read(file)).getMessage();
    }

    private static final String[] BUILDPACKS_AND_ORDER = {
        "[[buildpacks]]", "id = \"example/python\"", "version = \"0.0.1\"", "uri = \"../../buildpacks/python\"",
        "[[order]]", "[[order.group]]", "id = \"example/python\"", "version = \"0.0.1\""};

    private static String[] with(String... more) {
        String[] all = new String[BUILDPACKS_AND_ORDER.length + more.length];
        System.arraycopy(BUILDPACKS_AND_ORDER, 0, all, 0, BUILDPACKS_AND_ORDER.length);
        System.arraycopy(more, 0, all, BUILDPACKS_AND_ORDER.length, more.length);
        return all;
    }

    @Test
    void readsTheStackFormOfTheTutorial() {
        Path file = root.resolve("builders/distroless-python/builder.toml");
        BuilderConfig config = BuilderConfig.read(file);
        assertEquals(file, config.file());
        assertEquals("Python apps on a distroless run image", config.description());
        assertEquals(List.of(new BuilderConfig.BuildpackEntry("example/python", "0.0.1",
                new ModuleSource.Local(root.resolve("buildpacks/python").toAbsolutePath().normalize()))), config.buildpacks());
        assertEquals(List.of(new OrderGroup(List.of(new ModuleRef("example/python", "0.0.1", false)))), config.order());
        assertEquals(Optional.of("com.example.stacks.distroless-python"), config.stackId());
        assertEquals(Optional.of(root.resolve("buildpacks/python").toAbsolutePath().normalize()),
                config.buildpacks().get(0).path());
        assertEquals("example/python@0.0.1", config.buildpacks().get(0).displayName());
        assertEquals("distroless-python:build", config.buildImage());
        assertEquals("distroless-python:run", config.runImage());
        assertEquals(List.of(), config.runImageMirrors());
        assertEquals(List.of(new BuilderConfig.RunImage("distroless-python:run", List.of())), config.runImages());
        assertEquals(List.of(), config.buildEnv());
        assertEquals(List.of(), config.targets());
        assertEquals(List.of("[stack] is deprecated (Platform API 0.12): write [build] image and [[run.images]] image"
                + " instead; pack still reads it."), config.notes());
    }

    @Test
    void readsTheBuildAndRunImagesForm() {
        BuilderConfig config = BuilderConfig.read(root.resolve("builders/distroless-python-run-images/builder.toml"));
        assertEquals(List.of(new BuilderConfig.BuildpackEntry("", "",
                new ModuleSource.Image("registry.example.com/example/python-package:0.0.1"))), config.buildpacks());
        assertEquals(List.of(new OrderGroup(List.of(new ModuleRef("example/python", "", false),
                new ModuleRef("example/procfile", "1.0.0", true)))), config.order());
        assertEquals(Optional.empty(), config.stackId());
        assertEquals("distroless-python:build", config.buildImage());
        assertEquals("distroless-python:run", config.runImage());
        assertEquals(List.of("registry.example.com/distroless-python:run"), config.runImageMirrors());
        assertEquals(2, config.runImages().size());
        assertEquals(List.of(new BuilderConfig.BuildEnv("BP_PYTHON_VERSION", "3.12", "", ""),
                new BuilderConfig.BuildEnv("PYTHONPATH", "/workspace/lib", "append", ":")), config.buildEnv());
        assertEquals("PYTHONPATH.append", config.buildEnv().get(1).fileName());
        assertEquals(Map.of("BP_PYTHON_VERSION", "3.12", "PYTHONPATH.append", "/workspace/lib", "PYTHONPATH.delim", ":"),
                config.platformEnv());
        assertEquals(Optional.empty(), config.buildpacks().get(0).path());
        assertEquals("registry.example.com/example/python-package:0.0.1", config.buildpacks().get(0).displayName());
        assertEquals(List.of(new Target("linux", "amd64", "", List.of())), config.targets());
        assertEquals(List.of("[lifecycle] version = \"0.20.0\" is accepted and ignored by packlab's built-in pack."),
                config.notes());
    }

    @Test
    void stackAndBuildRunFillEachOther() {
        BuilderConfig stackOnly = reads(with("[stack]", "id = \"io.buildpacks.stacks.jammy\"",
                "build-image = \"jammy:build\"", "run-image = \"jammy:run\"",
                "run-image-mirrors = [\"mirror.example.com/jammy:run\"]"));
        assertEquals("jammy:build", stackOnly.buildImage());
        assertEquals(List.of(new BuilderConfig.RunImage("jammy:run", List.of("mirror.example.com/jammy:run"))),
                stackOnly.runImages());
        assertEquals(List.of("mirror.example.com/jammy:run"), stackOnly.runImageMirrors());

        BuilderConfig mixed = reads(with("[stack]", "id = \"io.buildpacks.stacks.jammy\"", "[build]",
                "image = \"jammy:build\"", "[[run.images]]", "image = \"jammy:run\""));
        assertEquals(Optional.of("io.buildpacks.stacks.jammy"), mixed.stackId());
        assertEquals("jammy:build", mixed.buildImage());
        assertEquals("jammy:run", mixed.runImage());

        BuilderConfig same = reads(with("[stack]", "id = \"s\"", "build-image = \"b\"", "run-image = \"r\"", "[build]",
                "image = \"b\"", "[[run.images]]", "image = \"r\"", "mirrors = [\"m/r\"]"));
        assertEquals("b", same.buildImage());
        assertEquals(List.of("m/r"), same.runImageMirrors());
    }

    @Test
    void buildImageIsRequired() {
        assertEquals(toml() + ":1:1: build.image is required: the builder is made from a build image. Add [build] image ="
                + " \"<build image>\" (or build-image in the deprecated [stack]).",
                fails("[[run.images]]", "image = \"jammy:run\""));
        assertEquals(toml() + ":9:1: build.image is required: the builder is made from a build image. Add [build] image ="
                + " \"<build image>\" (or build-image in the deprecated [stack]).",
                fails(with("[stack]", "id = \"s\"", "run-image = \"r\"")));
    }

    @Test
    void runImagesAreRequired() {
        assertEquals(toml() + ":1:1: run.images are required: the app images are made from a run image. Add [[run.images]]"
                + " image = \"<run image>\" (or run-image in the deprecated [stack]).",
                fails(with("[build]", "image = \"b\"")));
        assertEquals(toml() + ":9:1: run.images are required: the app images are made from a run image. Add [[run.images]]"
                + " image = \"<run image>\" (or run-image in the deprecated [stack]).",
                fails(with("[stack]", "id = \"s\"", "build-image = \"b\"")));
        assertEquals(toml() + ":11:1: run.images.image is required: every [[run.images]] names an image. Add image ="
                + " \"<run image>\".", fails(with("[build]", "image = \"b\"", "[[run.images]]", "mirrors = [\"m\"]")));
    }

    /** pack's ReadConfig merges [stack] into [build]/[[run.images]] before validating, so mismatches never stop it. */
    @Test
    void theNewerFormWinsWhereTheTwoDiffer() {
        BuilderConfig config = reads(with("[stack]", "id = \"s\"", "build-image = \"noble:build\"",
                "run-image = \"noble:run\"", "run-image-mirrors = [\"mirror.example.com/noble:run\"]", "[build]",
                "image = \"jammy:build\"", "[[run.images]]", "image = \"jammy:run\"", "[[run.images]]",
                "image = \"noble:run\""));
        assertEquals("jammy:build", config.buildImage());
        assertEquals("jammy:run", config.runImage());
        assertEquals(List.of(), config.runImageMirrors(), "[stack]'s mirrors go with [stack]'s run image");
        assertEquals(List.of(new BuilderConfig.RunImage("jammy:run", List.of()),
                new BuilderConfig.RunImage("noble:run", List.of())), config.runImages());
        assertEquals(Optional.of("s"), config.stackId(), "[stack] id still names the stack");
        assertEquals(List.of("[stack] is deprecated (Platform API 0.12): write [build] image and [[run.images]] image"
                + " instead; pack still reads it.",
                "[stack] build-image \"noble:build\" is not used: [build] image \"jammy:build\" wins, as in pack, which"
                + " overrides it without a word. Remove build-image from [stack] or make them the same.",
                "[stack] run-image \"noble:run\" is not used: the first [[run.images]] image \"jammy:run\" wins, as in"
                + " pack, which overrides it without a word. Remove run-image from [stack] or make them the same."),
                config.notes());
    }

    @Test
    void aStackRunImageNeedsNoStackId() {
        BuilderConfig config = reads(with("[stack]", "build-image = \"b\"", "run-image = \"r\""));
        assertEquals("b", config.buildImage());
        assertEquals(List.of(new BuilderConfig.RunImage("r", List.of())), config.runImages());
        assertEquals(Optional.empty(), config.stackId());
    }

    @Test
    void unknownKeysAreNamedWithFileAndPlace() {
        assertEquals(toml() + ":10:1: unknown configuration element 'stack.build_image' in builder.toml; pack refuses keys it"
                + " does not know. Check the spelling: [stack] takes id, build-image, run-image and run-image-mirrors.",
                fails(with("[stack]", "build_image = \"b\"")));
        assertEquals(toml() + ":1:1: unknown configuration element 'name' in builder.toml; pack refuses keys it does not"
                + " know. Check the spelling: builder.toml takes description, [[buildpacks]], [[order]], [build],"
                + " [[run.images]], [stack], [lifecycle] and [[targets]].", fails("name = \"x\""));
        assertEquals(toml() + ":3:1: unknown configuration element 'buildpacks.path' in builder.toml; pack refuses keys it"
                + " does not know. Check the spelling: [[buildpacks]] takes id, version and uri or image.",
                fails("[[buildpacks]]", "id = \"example/python\"", "path = \"../../buildpacks/python\""));
        assertEquals(toml() + ":13:1: unknown configuration element 'run.images.mirror' in builder.toml; pack refuses keys it"
                + " does not know. Check the spelling: [[run.images]] takes image and mirrors.",
                fails(with("[build]", "image = \"b\"", "[[run.images]]", "image = \"r\"", "mirror = \"m\"")));
        assertEquals(toml() + ":7:1: unknown configuration element 'order.group.optinal' in builder.toml; pack refuses keys"
                + " it does not know. Check the spelling: [[order.group]] takes id, version and optional.",
                fails("[build]", "image = \"b\"", "[[run.images]]", "image = \"r\"", "[[order]]", "[[order.group]]",
                        "optinal = true", "id = \"x\""));
    }

    @Test
    void tablesInTheWrongShapeAreExplained() {
        assertEquals(toml() + ":1:1: `run.images` must be an array of tables, but it is a single table. Write it with double"
                + " brackets: [[run.images]].", fails("[run.images]", "image = \"r\"", "[build]", "image = \"b\""));
        assertEquals(toml() + ":1:1: `stack` must be a table, but it is an array. Write it with single brackets: [stack].",
                fails("[[stack]]", "id = \"s\""));
    }

    @Test
    void buildpacksNeedUriOrImage() {
        assertEquals(toml() + ":1:1: the buildpack example/python has neither 'uri' nor 'image', so pack cannot find it. Add"
                + " uri = \"<folder, .tgz or .cnb, relative to builder.toml>\" or image = \"<buildpackage image>\".",
                fails("[[buildpacks]]", "id = \"example/python\""));
        assertEquals(toml() + ":1:1: this [[buildpacks]] entry is configured with both 'uri' and 'image': give one of them.",
                fails("[[buildpacks]]", "uri = \"../../buildpacks/python\"", "image = \"x\""));
        assertEquals(toml() + ":3:1: `buildpacks.uri` is \"../buildpacks/python\", which points to "
                + root.resolve("builders/buildpacks/python") + ", and that does not exist. A relative uri starts at the"
                + " folder of builder.toml (" + toml().getParent() + "); fix the path, or use docker://<image> for a"
                + " buildpackage image.", fails("[[buildpacks]]", "id = \"example/python\"", "uri = \"../buildpacks/python\""));
    }

    @Test
    void buildEnvIsChecked() {
        assertEquals(toml() + ":13:1: env name should not be empty: every [[build.env]] needs name = \"<VARIABLE>\".",
                fails(with("[build]", "image = \"b\"", "[[run.images]]", "image = \"r\"", "[[build.env]]",
                        "value = \"x\"")));
        assertEquals(toml() + ":15:1: unknown action type 'after' in `build.env.suffix`: use default, override, append or"
                + " prepend (or leave it out).", fails(with("[build]", "image = \"b\"", "[[run.images]]", "image = \"r\"",
                        "[[build.env]]", "name = \"X\"", "suffix = \"after\"")));
        assertEquals(toml() + ":15:1: env with name/key 'PATH' with suffix 'prepend' must have a 'delim' value: add delim ="
                + " \":\" (what goes between the values).", fails(with("[build]", "image = \"b\"", "[[run.images]]",
                        "image = \"r\"", "[[build.env]]", "name = \"PATH\"", "suffix = \"prepend\"")));
    }

    @Test
    void lifecycleIsAcceptedAndIgnoredButNotBoth() {
        BuilderConfig uri = reads(with("[build]", "image = \"b\"", "[[run.images]]", "image = \"r\"", "[lifecycle]",
                "uri = \"https://example.com/lifecycle.tgz\""));
        assertEquals(List.of("[lifecycle] uri = \"https://example.com/lifecycle.tgz\" is accepted and ignored by packlab's"
                + " built-in pack."), uri.notes());
        assertEquals(toml() + ":13:1: 'lifecycle' can only declare 'version' or 'uri', not both. Keep one of them.",
                fails(with("[build]", "image = \"b\"", "[[run.images]]", "image = \"r\"", "[lifecycle]",
                        "version = \"0.20.0\"", "uri = \"https://example.com/lifecycle.tgz\"")));
    }

    @Test
    void anEmptyOrderIsAWarningAsInPack() {
        BuilderConfig config = reads("[[buildpacks]]", "uri = \"../../buildpacks/python\"", "[build]", "image = \"b\"",
                "[[run.images]]", "image = \"r\"");
        assertEquals(List.of(), config.order());
        assertTrue(config.notes().get(0).startsWith("empty 'order' definition"), config.notes().toString());
    }

    @Test
    void extensionsAreNotSupported() {
        assertEquals(toml() + ":1:1: packlab's built-in pack does not support `extensions` (image extensions and system"
                + " buildpacks). Remove it from builder.toml, or use the real pack CLI for this builder.",
                fails("[[extensions]]", "id = \"x\""));
    }
}
