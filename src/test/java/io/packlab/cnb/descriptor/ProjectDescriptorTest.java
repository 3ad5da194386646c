package io.packlab.cnb.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectDescriptorTest {

    @TempDir
    Path dir;

    private Path write(String toml) throws Exception {
        return Files.writeString(dir.resolve("project.toml"), toml);
    }

    private Path buildpack(String name) throws Exception {
        Path bp = Files.createDirectories(dir.resolve(name));
        Files.writeString(bp.resolve("buildpack.toml"), "api = \"0.10\"\n[buildpack]\nid = \"me/" + name
                + "\"\nversion = \"1.0.0\"\n");
        return bp;
    }

    private DescriptorException refused(String toml) throws Exception {
        Path file = write(toml);
        DescriptorException e = assertThrows(DescriptorException.class, () -> ProjectDescriptor.read(file));
        assertEquals(PacklabException.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith(file + ":" + e.line() + ":"), e.getMessage());
        return e;
    }

    @Test
    void schema02() throws Exception {
        buildpack("local-bp");
        ProjectDescriptor p = ProjectDescriptor.read(write("""
                [_]
                schema-version = "0.2"
                id = "io.example.app"
                version = "1.2.3"
                source-url = "https://example.com/app"
                [_.metadata]
                anything = { goes = true }

                [io.buildpacks]
                exclude = ["secret/", "*.log"]

                [[io.buildpacks.group]]
                uri = "local-bp"

                [[io.buildpacks.group]]
                id = "example/python"
                version = "0.0.1"

                [[io.buildpacks.group]]
                id = "me/inline"
                  [io.buildpacks.group.script]
                  api = "0.10"
                  inline = "echo hi"

                [[io.buildpacks.build.env]]
                name = "GREETING"
                value = "from project"
                """));
        assertEquals("0.2", p.schemaVersion());
        assertEquals(Optional.of("1.2.3"), p.version());
        assertEquals(List.of("secret/", "*.log"), p.exclude());
        assertEquals(List.of(new ProjectDescriptor.EnvVar("GREETING", "from project")), p.env());
        assertEquals(3, p.group().size());
        assertEquals(Optional.of(new ModuleSource.Local(dir.resolve("local-bp"))), p.group().get(0).uri(),
                "relative to the folder of project.toml");
        assertEquals(12, p.group().get(0).line(), "where the entry starts");
        assertEquals("example/python", p.group().get(1).id());
        assertEquals("0.0.1", p.group().get(1).version());
        assertEquals(new ProjectDescriptor.Script("0.10", "/bin/sh", "echo hi"), p.group().get(2).script().orElseThrow());
        assertEquals(List.of(), p.notes());
        assertEquals(Map.of("source", Map.of("type", "project", "version", Map.of("declared", "1.2.3"), "metadata",
                Map.of("url", "https://example.com/app"))), p.projectMetadata());
    }

    @Test
    void schema01IsAssumedWithoutSchemaVersionAsPackDoes() throws Exception {
        buildpack("bash-script-buildpack");
        ProjectDescriptor p = ProjectDescriptor.read(write("""
                [project]
                id = "io.buildpacks.bash-script"
                version = "1.0.0"

                [build]
                exclude = ["README.md", "bash-script-buildpack"]

                [[build.buildpacks]]
                uri = "bash-script-buildpack/"

                [[build.env]]
                name = "MODE"
                value = "test"
                """));
        assertEquals("0.1", p.schemaVersion());
        assertEquals(List.of("No schema version declared in project.toml, defaulting to schema version 0.1"), p.notes());
        assertEquals(Optional.of("1.0.0"), p.version());
        assertEquals(List.of("README.md", "bash-script-buildpack"), p.exclude());
        assertEquals(dir.resolve("bash-script-buildpack"), p.group().get(0).uri().orElseThrow().localPath().orElseThrow());
        assertEquals(List.of(new ProjectDescriptor.EnvVar("MODE", "test")), p.env());
        assertEquals(Map.of("source", Map.of("type", "project", "version", Map.of("declared", "1.0.0"), "metadata",
                Map.of("url", ""))), p.projectMetadata());
    }

    @Test
    void noDeclaredVersionOrSourceMeansEmptyProjectMetadata() throws Exception {
        ProjectDescriptor p = ProjectDescriptor.read(write("[_]\nschema-version = \"0.2\"\nname = \"x\"\n"));
        assertEquals(Map.of(), p.projectMetadata());
        assertEquals(Optional.empty(), ProjectDescriptor.readIn(dir.resolve("nowhere")));
    }

    @Test
    void unknownKeysOfPacksTablesAreNotedLikePacksWarning() throws Exception {
        ProjectDescriptor p = ProjectDescriptor.read(write("""
                [_]
                schema-version = "0.2"
                colour = "blue"
                [io.buildpacks]
                exlcude = ["x"]
                [com.example]
                mine = 1
                """));
        assertEquals(2, p.notes().size(), p.notes().toString());
        assertTrue(p.notes().get(1).contains("io.buildpacks.exlcude"), p.notes().toString());
    }

    @Test
    void errorsNameTheLine() throws Exception {
        assertEquals(5, refused("""
                [_]
                schema-version = "0.2"
                [io.buildpacks]
                include = ["a"]
                exclude = ["b"]
                """).line());
        assertTrue(refused("[_]\nschema-version = \"0.9\"\n").getMessage().contains(
                "unknown project descriptor schema version 0.9"));
        assertEquals(3, refused("[_]\nschema-version = \"0.2\"\n[[io.buildpacks.group]]\nversion = \"1\"\n").line(),
                "an id or uri is needed");
        DescriptorException both = refused("[_]\nschema-version = \"0.2\"\n[[io.buildpacks.group]]\nuri = \"x\"\n"
                + "version = \"1\"\n");
        assertEquals(5, both.line());
        assertTrue(both.getMessage().contains("cannot have both uri and version"), both.getMessage());
        DescriptorException missing = refused("[[build.buildpacks]]\nuri = \"./nothing-here\"\n");
        assertEquals(2, missing.line());
        assertTrue(missing.getMessage().contains("neither a folder nor a file"), missing.getMessage());
        DescriptorException api = refused("[_]\nschema-version = \"0.2\"\n[[io.buildpacks.group]]\nid = \"me/x\"\n"
                + "[io.buildpacks.group.script]\ninline = \"echo\"\n");
        assertTrue(api.getMessage().contains("Missing API version for inline buildpack"), api.getMessage());
        DescriptorException old = refused("[_]\nschema-version = \"0.2\"\n[[io.buildpacks.group]]\nid = \"me/x\"\n"
                + "[io.buildpacks.group.script]\napi = \"0.4\"\ninline = \"echo\"\n");
        assertEquals(6, old.line());
        DescriptorException pre = refused("[_]\nschema-version = \"0.2\"\n[[io.buildpacks.pre.group]]\nid = \"a\"\n");
        assertTrue(pre.getMessage().contains("not run by the built-in platform"), pre.getMessage());
        DescriptorException env = refused("[[build.env]]\nname = \"1BAD\"\nvalue = \"x\"\n");
        assertEquals(2, env.line());
        DescriptorException license = refused("[project]\n[[project.licenses]]\nuri = \"\"\n");
        assertEquals(2, license.line());
        assertEquals(1, refused("[build\n").line(), "not TOML");
        assertTrue(refused("[_]\nschema-version = \"0.2\"\n[io.buildpacks]\nexclude = \"x\"\n").getMessage()
                .contains("must be an array of strings"));
    }
}
