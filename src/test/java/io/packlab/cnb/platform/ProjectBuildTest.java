package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.descriptor.ProjectDescriptor;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.error.PacklabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectBuildTest {

    @TempDir
    Path app;
    @TempDir
    Path temp;

    private final List<String> said = new ArrayList<>();
    private final Reporter out = new Reporter() {
        @Override
        public void info(String line) {
            said.add(line);
        }

        @Override
        public void output(String line) {
        }
    };

    private Requests.Build request(List<String> buildpacks, Map<String, String> env) {
        return new Requests.Build("app", "builder", buildpacks, env, app, Optional.empty(), false, Optional.empty());
    }

    private ProjectDescriptor project(String toml) throws Exception {
        Files.writeString(app.resolve("project.toml"), toml);
        return ProjectDescriptor.readIn(app).orElseThrow();
    }

    @Test
    void theGroupReplacesTheOrderAndTheCommandLineEnvWins() throws Exception {
        Path bp = Files.createDirectories(app.resolve("bps/local"));
        Files.writeString(bp.resolve("buildpack.toml"), "api = \"0.10\"\n[buildpack]\nid = \"me/local\"\nversion = \"1\"\n");
        ProjectDescriptor p = project("""
                [_]
                schema-version = "0.2"
                [[io.buildpacks.group]]
                uri = "bps/local"
                [[io.buildpacks.group]]
                id = "example/python"
                version = "0.0.1"
                [[io.buildpacks.group]]
                id = "me/inline"
                  [io.buildpacks.group.script]
                  api = "0.9"
                  shell = "/bin/bash"
                  inline = "echo built > $CNB_LAYERS_DIR/../out"
                [[io.buildpacks.build.env]]
                name = "A"
                value = "project"
                [[io.buildpacks.build.env]]
                name = "B"
                value = "project"
                """);
        Requests.Build r = ProjectBuild.apply(request(List.of(), Map.of("B", "cli")), p, temp, out);
        assertEquals(3, r.buildpacks().size());
        assertEquals(bp.toString(), r.buildpacks().get(0));
        assertEquals("example/python@0.0.1", r.buildpacks().get(1));
        Path inline = Path.of(r.buildpacks().get(2));
        assertTrue(inline.startsWith(temp), "made in the build's temp folder");
        BuildpackDescriptor d = BuildpackDescriptor.read(inline.resolve("buildpack.toml"));
        assertEquals("me/inline", d.id());
        assertEquals("0.0.0", d.version(), "pack's version of an inline buildpack without one");
        assertEquals("0.9", d.api().toString());
        assertEquals("#!/bin/bash\n\necho built > $CNB_LAYERS_DIR/../out\n", Files.readString(inline.resolve("bin/build")));
        assertTrue(Files.isExecutable(inline.resolve("bin/detect")));
        assertEquals(Map.of("A", "project", "B", "cli"), r.env());
        assertTrue(said.contains("Using the buildpacks of project.toml instead of the builder's order"), said.toString());

        Requests.Build given = ProjectBuild.apply(request(List.of("other/bp"), Map.of()), p, temp, out);
        assertEquals(List.of("other/bp"), given.buildpacks(), "--buildpack wins over the project's group");
    }

    @Test
    void aBuildpackFromAnImageOrTheBuilderIsPassedOnAndOneFromAUrlIsRefusedAtItsLine() throws Exception {
        ProjectDescriptor images = project("[[build.buildpacks]]\nuri = \"docker://example/bp:1\"\n[[build.buildpacks]]\n"
                + "uri = \"urn:cnb:builder:examples/web@1.0.0\"\n");
        assertEquals(List.of("docker://example/bp:1", "urn:cnb:builder:examples/web@1.0.0"),
                ProjectBuild.apply(request(List.of(), Map.of()), images, temp, out).buildpacks());

        ProjectDescriptor p = project("[[build.buildpacks]]\nuri = \"https://example.com/bp.tgz\"\n");
        PacklabException e = assertThrows(PacklabException.class, () -> ProjectBuild.apply(request(List.of(), Map.of()),
                p, temp, out));
        assertEquals(PacklabException.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith(app.resolve("project.toml") + ":1:1: the buildpack at uri"
                + " https://example.com/bp.tgz is not on this machine"), e.getMessage());
        assertTrue(said.stream().anyMatch(l -> l.contains("defaulting to schema version 0.1")), "pack's warning: " + said);
    }

    @Test
    void excludeAndIncludeDecideWhichAppFilesAreTaken() throws Exception {
        Files.createDirectories(app.resolve("secret"));
        Files.createDirectories(app.resolve("src/deep"));
        Files.writeString(app.resolve("secret/key"), "k");
        Files.writeString(app.resolve("src/deep/main.py"), "m");
        Files.writeString(app.resolve("debug.log"), "l");
        Files.writeString(app.resolve("app.py"), "a");
        ProjectDescriptor ex = project("[build]\nexclude = [\"secret/\", \"*.log\"]\n");
        assertEquals(List.of("workspace/", "workspace/app.py", "workspace/project.toml", "workspace/src/",
                "workspace/src/deep/", "workspace/src/deep/main.py"), names(ex));
        ProjectDescriptor in = project("[build]\ninclude = [\"*.py\"]\n");
        assertEquals(List.of("workspace/", "workspace/app.py", "workspace/src/", "workspace/src/deep/",
                "workspace/src/deep/main.py"), names(in), "folders of included files come along");
        assertEquals("{\"source\":{\"type\":\"project\",\"version\":{\"declared\":\"2\"},\"metadata\":{\"url\":\"\"}}}",
                ProjectBuild.label(Optional.of(project("[project]\nversion = \"2\"\n"))));
        assertEquals("{}", ProjectBuild.label(Optional.empty()));
    }

    private List<String> names(ProjectDescriptor p) throws Exception {
        return new LayerBuilder().tree(app, "workspace", 1000, 1000, ProjectBuild.filter(Optional.of(p))).names();
    }
}
