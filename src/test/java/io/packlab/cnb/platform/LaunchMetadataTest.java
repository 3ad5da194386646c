package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/** The metadata.toml the exporter writes for the launcher: valid TOML, in the documented shape. */
class LaunchMetadataTest {

    @Test
    void buildpacksInOrderAndProcessesWithTheirFields() {
        String text = LaunchMetadata.toml(List.of(
                new BuildpackOutput.Process("web", List.of("python3", "app.py"), List.of("--port", "8080"), true, true,
                        null, "examples/python"),
                new BuildpackOutput.Process("say \"hi\"", List.of("echo \"$GREETING\" \\ é"), List.of(), false, false,
                        "/workspace/sub", "examples/old")),
                "web", List.of(new LaunchMetadata.Buildpack("examples/old", "0.1.0", "0.8"),
                        new LaunchMetadata.Buildpack("examples/python", "0.0.1", "0.10")));
        TomlParseResult toml = Toml.parse(text);
        assertFalse(toml.hasErrors(), toml.errors() + "\n" + text);
        assertEquals("web", toml.getString("buildpack-default-process-type"));
        assertEquals("examples/old", toml.getArray("buildpacks").getTable(0).getString("id"));
        assertEquals("0.10", toml.getArray("buildpacks").getTable(1).getString("api"));
        TomlTable web = toml.getArray("processes").getTable(0);
        assertEquals(List.of("python3", "app.py"), web.getArray("command").toList());
        assertEquals(List.of("--port", "8080"), web.getArray("args").toList());
        assertTrue(web.getBoolean("direct") && web.getBoolean("default"));
        assertNull(web.getString("working-dir"));
        TomlTable say = toml.getArray("processes").getTable(1);
        assertEquals("say \"hi\"", say.getString("type"));
        assertEquals(List.of("echo \"$GREETING\" \\ é"), say.getArray("command").toList(), "escaped as TOML wants");
        assertEquals("/workspace/sub", say.getString("working-dir"));
        assertEquals("examples/old", say.getString("buildpack-id"));
        assertFalse(say.getBoolean("default"));
    }

    @Test
    void noDefaultProcessNoDefaultKey() {
        assertFalse(LaunchMetadata.toml(List.of(), null, List.of()).contains("buildpack-default-process-type"));
    }
}
