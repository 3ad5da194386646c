package io.packlab.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.platform.Requests;
import io.packlab.error.PacklabException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code pack rebase} with and without {@code --publish}, as the built-in platform is asked. */
class PackRebaseArgsTest {

    private static Requests parse(String... args) {
        return PackArgs.parse(List.of(args), Path.of("/work"));
    }

    @Test
    void publishAsksForARegistryRebase() {
        assertEquals(new Requests.Rebase("127.0.0.1:5000/app", Optional.of("127.0.0.1:5000/run:new"), true, List.of()),
                parse("rebase", "127.0.0.1:5000/app", "--publish", "--run-image", "127.0.0.1:5000/run:new"));
        assertEquals(new Requests.Rebase("reg.lan:5000/app", Optional.empty(), true, List.of("reg.lan:5000")),
                parse("rebase", "reg.lan:5000/app", "--publish", "--insecure-registry", "reg.lan:5000"));
        assertEquals(new Requests.Rebase("webapp", Optional.empty()), parse("rebase", "webapp"));
    }

    @Test
    void forceIsTakenOnBothPaths() {
        assertEquals(new Requests.Rebase("webapp", Optional.of("run:new"), false, List.of(), true),
                parse("rebase", "webapp", "--run-image", "run:new", "--force"));
        assertEquals(new Requests.Rebase("127.0.0.1:5000/app", Optional.empty(), true, List.of(), true),
                parse("rebase", "--force", "127.0.0.1:5000/app", "--publish"));
        assertEquals(false, ((Requests.Rebase) parse("rebase", "webapp")).force());
    }

    @Test
    void anInsecureRegistryWithoutPublishIsAUsageError() {
        PacklabException e = assertThrows(PacklabException.class, () -> parse("rebase", "webapp",
                "--insecure-registry", "reg.lan:5000"));
        assertEquals(PacklabException.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("--publish"), e.getMessage());
    }
}
