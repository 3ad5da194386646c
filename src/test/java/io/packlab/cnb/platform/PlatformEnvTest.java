package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformEnvTest {

    private static final Map<String, String> BASE = Map.of("PATH", "/layers/bp/tool/bin:/usr/bin:/bin", "HOME",
            "/home/cnb", "MODE", "dev", "LD_LIBRARY_PATH", "");

    @Test
    void userProvidedVariablesAreSetAndPathVariablesPrepended() {
        PlatformEnv env = new PlatformEnv(Map.of("PATH", "/opt/user/bin", "MODE", "ci", "GREETING", "hi",
                "LD_LIBRARY_PATH", "/opt/lib"), Map.of());
        Map<String, String> out = env.apply(BASE, false);
        assertEquals("/opt/user/bin:/layers/bp/tool/bin:/usr/bin:/bin", out.get("PATH"),
                "the user's value before what buildpacks and the image set");
        assertEquals("ci", out.get("MODE"), "other variables are set over the buildpack's value");
        assertEquals("hi", out.get("GREETING"));
        assertEquals("/opt/lib", out.get("LD_LIBRARY_PATH"), "an empty path variable gets no dangling colon");
        assertEquals("/home/cnb", out.get("HOME"));
    }

    @Test
    void clearEnvKeepsTheUsersVariablesOut() {
        PlatformEnv env = new PlatformEnv(Map.of("PATH", "/opt/user/bin", "GREETING", "hi"), Map.of());
        Map<String, String> out = env.apply(BASE, true);
        assertEquals(BASE.get("PATH"), out.get("PATH"));
        assertFalse(out.containsKey("GREETING"));
    }

    @Test
    void operatorDefinedVariablesFollowTheModificationRulesWithDefaultAsTheUnsuffixedAction() {
        PlatformEnv env = new PlatformEnv(Map.of("MODE", "ci"), Map.of("MODE", "operator", "HOME.override", "/root",
                "JAVA_OPTS.append", "-Xmx1g", "JAVA_OPTS.delim", " ", "NEW", "set", "PATH.prepend", "/cnb/tools",
                "PATH.delim", ":", "ODD.suffix", "ignored"));
        Map<String, String> out = env.apply(Map.of("PATH", "/usr/bin", "HOME", "/home/cnb", "JAVA_OPTS", "-ea"), false);
        assertEquals("ci", out.get("MODE"), "an operator default does not replace the user's value");
        assertEquals("/root", out.get("HOME"));
        assertEquals("-ea -Xmx1g", out.get("JAVA_OPTS"));
        assertEquals("set", out.get("NEW"));
        assertEquals("/cnb/tools:/usr/bin", out.get("PATH"));
        assertFalse(out.containsKey("ODD") || out.containsKey("ODD.suffix") || out.containsKey("PATH.delim"));
        assertEquals("operator", env.apply(Map.of(), true).get("MODE"), "clear-env does not clear the operator's");
    }

    @Test
    void readsTheFilesOfBothFolders(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("user/sub"));
        Files.writeString(dir.resolve("user/GREETING"), "hello\nworld");
        Files.writeString(dir.resolve("user/sub/NOT_A_VARIABLE"), "x");
        PlatformEnv env = PlatformEnv.read(dir.resolve("user"), dir.resolve("absent"));
        assertEquals(Map.of("GREETING", "hello\nworld"), env.user(), "contents as they are, folders left out");
    }
}
