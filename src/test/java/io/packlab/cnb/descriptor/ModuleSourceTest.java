package io.packlab.cnb.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleSourceTest {

    @TempDir
    Path tmp;

    @Test
    void classifiesLikePacksLocators() throws Exception {
        Path base = tmp.resolve("packages/python");
        Files.createDirectories(base);
        Files.createDirectories(tmp.resolve("buildpacks/python"));
        Files.createDirectories(base.resolve("example/python"));

        assertEquals(new ModuleSource.Local(tmp.resolve("buildpacks/python")), ModuleSource.of("../../buildpacks/python", base));
        assertEquals(new ModuleSource.Local(base.resolve("example/python")), ModuleSource.of("example/python", base),
                "an existing folder wins over a registry id");
        assertEquals(new ModuleSource.Local(tmp.resolve("x.cnb")), ModuleSource.of("../../x.cnb", base));
        assertEquals(new ModuleSource.Local(tmp.resolve("abs")), ModuleSource.of(tmp.resolve("abs").toString(), base));
        assertEquals(new ModuleSource.Local(tmp.resolve("bp.tgz")), ModuleSource.of(tmp.resolve("bp.tgz").toUri().toString(), base));
        assertEquals(new ModuleSource.Image("registry.example.com/example/python:0.0.1"),
                ModuleSource.of("docker://registry.example.com/example/python:0.0.1", base));
        assertEquals(new ModuleSource.Image("example/python-package"), ModuleSource.of("docker:/example/python-package", base));
        assertEquals(new ModuleSource.Remote("urn:cnb:registry:example/python@0.0.1"),
                ModuleSource.of("urn:cnb:registry:example/python@0.0.1", base));
        assertEquals(new ModuleSource.Remote("https://example.com/python.tgz"),
                ModuleSource.of("https://example.com/python.tgz", base));
        assertEquals(new ModuleSource.Remote("example/ruby@1.2.3"), ModuleSource.of("example/ruby@1.2.3", base));
        assertEquals(new ModuleSource.Image("localhost:5000/example/python:1"),
                ModuleSource.of("localhost:5000/example/python:1", base));
        assertEquals(new ModuleSource.Image("python-package:latest"), ModuleSource.of("python-package:latest", base));
    }
}
