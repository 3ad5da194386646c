package io.packlab.cnb.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageConfigTest {

    @TempDir
    Path tmp;

    private DescriptorException fails(String... lines) {
        Path toml = Fixtures.write(Fixtures.copy(tmp).resolve("packages/python/package.toml"), lines);
        return assertThrows(DescriptorException.class, () -> PackageConfig.read(toml));
    }

    private Path toml() {
        return tmp.resolve("packages/python/package.toml");
    }

    @Test
    void readsTheTutorialPackage() {
        Path root = Fixtures.copy(tmp);
        PackageConfig config = PackageConfig.read(root.resolve("packages/python/package.toml"));
        assertEquals(new ModuleSource.Local(root.resolve("buildpacks/python").toAbsolutePath().normalize()), config.buildpack());
        assertEquals(List.of(), config.dependencies());
        assertEquals("linux", config.os());
        assertEquals(List.of(), config.targets());
        assertEquals(Optional.of(root.resolve("buildpacks/python").toAbsolutePath().normalize()), config.buildpackPath());
    }

    @Test
    void dependenciesPlatformDefaultAndTargets() {
        Path root = Fixtures.copy(tmp);
        Path toml = Fixtures.write(root.resolve("packages/meta/package.toml"),
                "[buildpack]",
                "uri = \"../../buildpacks/python\"",
                "",
                "[[dependencies]]",
                "uri = \"docker://registry.example.com/example/procfile:1.0.0\"",
                "",
                "[[dependencies]]",
                "image = \"example/node-package:2.0.0\"",
                "",
                "[[dependencies]]",
                "uri = \"../../buildpacks/python\"",
                "",
                "[[targets]]",
                "os = \"linux\"",
                "arch = \"arm64\"");
        PackageConfig config = PackageConfig.read(toml);
        assertEquals(List.of(new ModuleSource.Image("registry.example.com/example/procfile:1.0.0"),
                new ModuleSource.Image("example/node-package:2.0.0"),
                new ModuleSource.Local(root.resolve("buildpacks/python").toAbsolutePath().normalize())), config.dependencies());
        assertEquals("linux", config.os());
        assertEquals(List.of(new Target("linux", "arm64", "", List.of())), config.targets());
    }

    @Test
    void theBuildpackUriIsRequired() {
        assertEquals(toml() + ":1:1: missing 'buildpack.uri' configuration: package.toml must say which buildpack to package."
                + " Add [buildpack] uri = \"<folder of buildpack.toml>\" (relative to " + toml().getParent() + ").",
                fails("[platform]", "os = \"linux\"").getMessage());
        assertEquals(toml() + ":2:1: missing 'buildpack.uri' configuration: package.toml must say which buildpack to package."
                + " Add [buildpack] uri = \"<folder of buildpack.toml>\" (relative to " + toml().getParent() + ").",
                fails("# empty", "[buildpack]").getMessage());
    }

    @Test
    void aLocalUriMustExistRelativeToTheToml() {
        assertEquals(toml() + ":2:1: `buildpack.uri` is \"../buildpacks/python\", which points to "
                + tmp.resolve("packages/buildpacks/python") + ", and that does not exist. A relative uri starts at the folder"
                + " of package.toml (" + toml().getParent() + "); fix the path, or use docker://<image> for a buildpackage"
                + " image.", fails("[buildpack]", "uri = \"../buildpacks/python\"").getMessage());
    }

    @Test
    void unknownKeysAreNamed() {
        assertEquals(toml() + ":4:1: unknown configuration element 'buildpacks' in package.toml; pack refuses keys it does"
                + " not know. Check the spelling: package.toml takes [buildpack] uri, [[dependencies]] uri or image,"
                + " [platform] os and [[targets]].",
                fails("[buildpack]", "uri = \"../../buildpacks/python\"", "", "[buildpacks]", "uri = \"x\"").getMessage());
        assertEquals(toml() + ":1:1: unknown configuration elements 'description', 'name' in package.toml; pack refuses"
                + " keys it does not know. Check the spelling: package.toml takes [buildpack] uri, [[dependencies]] uri or"
                + " image, [platform] os and [[targets]].",
                fails("name = \"x\"", "description = \"y\"", "[buildpack]", "uri = \"../../buildpacks/python\"")
                        .getMessage());
        assertEquals(toml() + ":3:1: unknown configuration element 'buildpack.url' in package.toml; pack refuses keys it does"
                + " not know. Check the spelling: [buildpack] takes only uri.",
                fails("[buildpack]", "uri = \"../../buildpacks/python\"", "url = \"x\"").getMessage());
    }

    @Test
    void dependenciesTakeUriOrImage() {
        assertEquals(toml() + ":3:1: dependency configured with both 'uri' and 'image': give one of them.",
                fails("[buildpack]", "uri = \"../../buildpacks/python\"", "[[dependencies]]",
                        "uri = \"../../buildpacks/python\"", "image = \"example/x\"").getMessage());
        assertEquals(toml() + ":3:1: this [[dependencies]] has neither 'uri' nor 'image'. Add uri = \"<folder, .tgz or"
                + " .cnb>\" or image = \"<buildpackage image>\".",
                fails("[buildpack]", "uri = \"../../buildpacks/python\"", "[[dependencies]]").getMessage());
    }

    @Test
    void platformOsIsLinuxOrWindows() {
        assertEquals(toml() + ":4:1: invalid 'platform.os' configuration: only ['linux', 'windows'] is permitted, found"
                + " 'darwin'. Write os = \"linux\".",
                fails("[buildpack]", "uri = \"../../buildpacks/python\"", "[platform]", "os = \"darwin\"").getMessage());
    }

    @Test
    void extensionsAreNotSupported() {
        assertEquals(toml() + ":1:1: [extension] packages an image extension, which packlab's built-in pack does not support."
                + " Package a buildpack with [buildpack] uri instead.",
                fails("[extension]", "uri = \"../../extensions/curl\"").getMessage());
    }

    @Test
    void withoutAPackageTomlPackUsesTheFolder() {
        PackageConfig config = PackageConfig.ofBuildpack(tmp);
        assertEquals(new ModuleSource.Local(tmp.toAbsolutePath().normalize()), config.buildpack());
        assertEquals("linux", config.os());
    }
}
