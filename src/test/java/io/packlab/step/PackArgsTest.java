package io.packlab.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.platform.Requests;
import io.packlab.error.PacklabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackArgsTest {

    @TempDir
    static Path root;

    private static Path tutorial;
    private static Path cwd;

    /** The tutorial's folders that the lines below name (paths must exist to be accepted). */
    @BeforeAll
    static void tutorial() throws Exception {
        tutorial = root.resolve("tutorial");
        cwd = Files.createDirectories(tutorial.resolve("sample-app"));
        Files.createDirectories(tutorial.resolve("buildpacks/python"));
        Files.createDirectories(tutorial.resolve("packages/empty"));
        Files.writeString(tutorial.resolve("packages/empty/package.toml"), "");
        Files.writeString(cwd.resolve("builder.toml"), "");
        Files.writeString(cwd.resolve("x.toml"), "");
        Files.writeString(cwd.resolve("app.py"), "");
    }

    private static Requests parse(String line) {
        return PackArgs.parse(List.of(line.split(" ")), cwd);
    }

    @Test
    void buildWithBuilderBuildpackEnvAndPath() {
        Requests.Build b = (Requests.Build) parse("build webapp --builder python:distroless --buildpack"
                + " ../buildpacks/python --env GREETING=hi -e A=b=c --pull-policy if-not-present");
        assertEquals("webapp", b.image());
        assertEquals("python:distroless", b.builder());
        assertEquals(List.of(tutorial.resolve("buildpacks/python").toString()), b.buildpacks());
        assertEquals(Map.of("GREETING", "hi", "A", "b=c"), b.env());
        assertEquals(cwd, b.appDir());
        assertEquals(Optional.empty(), b.runImage());
        Requests.Build p = (Requests.Build) parse("build webapp -B b --path ../sample-app --buildpack example/python@0.0.1");
        assertEquals(cwd, p.appDir());
        assertEquals(List.of("example/python@0.0.1"), p.buildpacks(), "an id@version stays an id");
    }

    @Test
    void imagesBuilderFormsAndUrisStayAsGivenForThePlatformToTellApart() throws Exception {
        Files.createDirectories(cwd.resolve("from=builder"));
        Requests.Build b = (Requests.Build) parse("build webapp -B b --buildpack docker://example/my-cnb --buildpack"
                + " from=builder --buildpack urn:cnb:builder:example/python@0.0.1 --buildpack example/my-cnb:latest"
                + " --buildpack https://example.com/bp.tgz");
        assertEquals(List.of("docker://example/my-cnb", "from=builder", "urn:cnb:builder:example/python@0.0.1",
                "example/my-cnb:latest", "https://example.com/bp.tgz"), b.buildpacks(),
                "from=builder is the builder's order even beside a folder of that name, as pack reads it first");
    }

    @Test
    void packageBuilderRebaseAndNew() {
        Requests.PackageBuildpack pkg = (Requests.PackageBuildpack) parse(
                "buildpack package example/my-cnb --config ../packages/empty/package.toml");
        assertEquals("example/my-cnb", pkg.name());
        assertEquals(tutorial.resolve("packages/empty/package.toml"), pkg.config());
        Requests.CreateBuilder builder = (Requests.CreateBuilder) parse(
                "builder create python:distroless --config ./builder.toml");
        assertEquals(cwd.resolve("builder.toml"), builder.config());
        assertEquals(Optional.of("run:2"), ((Requests.Rebase) parse("rebase webapp --run-image run:2")).runImage());
        Requests.NewBuildpack n = (Requests.NewBuildpack) parse("buildpack new example/my-cnb --api 0.8 --path my-cnb"
                + " --version 0.0.1 --stacks com.example.stacks.distroless-python");
        assertEquals("0.8", n.api());
        assertEquals(cwd.resolve("my-cnb"), n.path());
        assertEquals(List.of("com.example.stacks.distroless-python"), n.stacks());
    }

    @Test
    void olderCommandNamesStillWork() {
        assertTrue(parse("create-builder b --config x.toml") instanceof Requests.CreateBuilder);
        assertTrue(parse("package-buildpack p --config x.toml") instanceof Requests.PackageBuildpack);
    }

    @Test
    void unsupportedFlagsAndCommandsAreRefusedByName() {
        PacklabException flag = assertThrows(PacklabException.class, () -> parse("build webapp --builder b --network host"));
        assertTrue(flag.getMessage().contains("'--network'"), flag.getMessage());
        assertEquals(2, flag.exitCode());
        PacklabException cmd = assertThrows(PacklabException.class, () -> parse("inspect webapp"));
        assertTrue(cmd.getMessage().contains("inspect"), cmd.getMessage());
        PacklabException group = assertThrows(PacklabException.class, () -> parse("builder"));
        assertTrue(group.getMessage().contains("names no operation"), group.getMessage());
        PacklabException noBuilder = assertThrows(PacklabException.class, () -> parse("build webapp"));
        assertTrue(noBuilder.getMessage().startsWith("pack build needs --builder"), noBuilder.getMessage());
        PacklabException publish = assertThrows(PacklabException.class, () -> parse("build webapp -B b --publish"));
        assertTrue(publish.getMessage().contains("--publish"), publish.getMessage());
        PacklabException policy = assertThrows(PacklabException.class,
                () -> parse("build webapp -B b --pull-policy sometimes"));
        assertTrue(policy.getMessage().contains("--pull-policy"), policy.getMessage());
    }

    @Test
    void pathsStartAtTheGivenFolderAndMissingOnesAreNamedAsGivenAndResolved() throws Exception {
        Path packages = tutorial.resolve("packages");
        Requests.PackageBuildpack pkg = (Requests.PackageBuildpack) PackArgs.parse(List.of("buildpack", "package", "x",
                "--config", "./empty/package.toml"), packages);
        assertEquals(packages.resolve("empty/package.toml"), pkg.config(), "from the folder given, not another");
        assertEquals(tutorial.resolve("sample-app"), ((Requests.Build) PackArgs.parse(List.of("build", "app", "-B", "b"),
                tutorial.resolve("sample-app"))).appDir(), "the default app folder is the current folder");

        PacklabException config = assertThrows(PacklabException.class, () -> PackArgs.parse(List.of("buildpack",
                "package", "x", "--config", "./nope/package.toml"), packages));
        assertEquals(2, config.exitCode());
        assertEquals("--config ./nope/package.toml names " + packages.resolve("nope/package.toml") + ", which does not"
                + " exist (relative paths start at the current folder, " + packages + "). Give the package.toml that"
                + " names the buildpack to package.", config.getMessage());
        PacklabException folder = assertThrows(PacklabException.class, () -> parse("builder create b --config ."));
        assertTrue(folder.getMessage().startsWith("--config . names " + cwd + ", which is a folder, not a file"),
                folder.getMessage());

        PacklabException path = assertThrows(PacklabException.class, () -> parse("build app -B b --path ../nope"));
        assertEquals(2, path.exitCode());
        assertTrue(path.getMessage().startsWith("--path ../nope names " + tutorial.resolve("nope") + ", which does not"
                + " exist (relative paths start at the current folder, " + cwd + ")."), path.getMessage());
        PacklabException file = assertThrows(PacklabException.class, () -> parse("build app -B b --path app.py"));
        assertTrue(file.getMessage().contains("which is a file, not a folder"), file.getMessage());
        PacklabException bp = assertThrows(PacklabException.class, () -> parse("build app -B b --buildpack ./nope.tgz"));
        assertEquals(2, bp.exitCode());
        assertTrue(bp.getMessage().startsWith("--buildpack ./nope.tgz names " + cwd.resolve("nope.tgz")), bp.getMessage());
        PacklabException absolute = assertThrows(PacklabException.class,
                () -> parse("build app -B b --buildpack /nonexistent/bp"));
        assertTrue(absolute.getMessage().startsWith("--buildpack /nonexistent/bp names /nonexistent/bp, which does not"
                + " exist. Give"), "an absolute path needs no word on where relative paths start: " + absolute.getMessage());
    }
}
