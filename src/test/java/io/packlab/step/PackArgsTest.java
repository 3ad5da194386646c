package io.packlab.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.platform.Requests;
import io.packlab.error.PacklabException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PackArgsTest {

    private static final Path CWD = Path.of("/work/tutorial/sample-app");

    private static Object parse(String line) {
        return PackArgs.parse(List.of(line.split(" ")), CWD);
    }

    @Test
    void buildWithBuilderBuildpackEnvAndPath() {
        Requests.Build b = (Requests.Build) parse("build webapp --builder python:distroless --buildpack"
                + " ../buildpacks/python --env GREETING=hi -e A=b=c --pull-policy if-not-present");
        assertEquals("webapp", b.image());
        assertEquals("python:distroless", b.builder());
        assertEquals(List.of("/work/tutorial/buildpacks/python"), b.buildpacks());
        assertEquals(Map.of("GREETING", "hi", "A", "b=c"), b.env());
        assertEquals(CWD, b.appDir());
        assertEquals(Optional.empty(), b.runImage());
        Requests.Build p = (Requests.Build) parse("build webapp -B b --path ../sample-app --buildpack example/python@0.0.1");
        assertEquals(Path.of("/work/tutorial/sample-app"), p.appDir());
        assertEquals(List.of("example/python@0.0.1"), p.buildpacks(), "an id@version stays an id");
    }

    @Test
    void packageBuilderRebaseAndNew() {
        Requests.PackageBuildpack pkg = (Requests.PackageBuildpack) parse(
                "buildpack package example/my-cnb --config ../packages/empty/package.toml");
        assertEquals("example/my-cnb", pkg.name());
        assertEquals(Path.of("/work/tutorial/packages/empty/package.toml"), pkg.config());
        Requests.CreateBuilder builder = (Requests.CreateBuilder) parse(
                "builder create python:distroless --config ./builder.toml");
        assertEquals(CWD.resolve("builder.toml"), builder.config());
        assertEquals(Optional.of("run:2"), ((Requests.Rebase) parse("rebase webapp --run-image run:2")).runImage());
        Requests.NewBuildpack n = (Requests.NewBuildpack) parse("buildpack new example/my-cnb --api 0.8 --path my-cnb"
                + " --version 0.0.1 --stacks com.example.stacks.distroless-python");
        assertEquals("0.8", n.api());
        assertEquals(CWD.resolve("my-cnb"), n.path());
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
}
