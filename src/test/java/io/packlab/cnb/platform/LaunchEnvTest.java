package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchEnvTest {

    @TempDir
    Path layer;

    @Test
    void theSpecsModificationRules() throws Exception {
        Files.createDirectories(layer.resolve("bin"));
        Files.createDirectories(layer.resolve("env"));
        Files.createDirectories(layer.resolve("env.launch"));
        Files.createDirectories(layer.resolve("env.build"));
        Files.writeString(layer.resolve("env/PYTHONPATH.prepend"), "/layers/bp/deps/site");
        Files.writeString(layer.resolve("env/PYTHONPATH.delim"), ":");
        Files.writeString(layer.resolve("env.launch/GREETING.default"), "hello");
        Files.writeString(layer.resolve("env.launch/LANG.default"), "C");
        Files.writeString(layer.resolve("env.launch/MODE.override"), "production");
        Files.writeString(layer.resolve("env.launch/FLAGS.append"), "-v");
        Files.writeString(layer.resolve("env.launch/FLAGS.delim"), " ");
        Files.writeString(layer.resolve("env.launch/PLAIN"), "no suffix overrides");
        Files.writeString(layer.resolve("env.build/BUILD_ONLY"), "x");
        LaunchEnv env = new LaunchEnv(List.of("PATH=/usr/bin:/bin", "LANG=C.UTF-8", "MODE=dev", "FLAGS=-q",
                "PYTHONPATH=/old", "PLAIN=old"));
        env.apply(layer, "/layers/bp/deps", "launch");
        assertEquals("/layers/bp/deps/bin:/usr/bin:/bin", env.get("PATH"));
        assertEquals("/layers/bp/deps/site:/old", env.get("PYTHONPATH"));
        assertEquals("hello", env.get("GREETING"));
        assertEquals("C.UTF-8", env.get("LANG"), "default does not replace a value");
        assertEquals("production", env.get("MODE"));
        assertEquals("-q -v", env.get("FLAGS"));
        assertEquals("no suffix overrides", env.get("PLAIN"));
        assertEquals(null, env.get("BUILD_ONLY"), "env.build is not the launch env");
        assertEquals(null, env.get("LD_LIBRARY_PATH"), "no lib folder, no LD_LIBRARY_PATH");
    }
}
