package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.ContainerSummary;
import io.packlab.engine.Engine;
import io.packlab.engine.EngineUnavailableException;
import io.packlab.support.FakeEngine;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoversTest {

    private static final String A = "aaaaaaaaaaaa";
    private static final String B = "bbbbbbbbbbbbbbbb";

    @TempDir
    Path tmp;

    private static EngineUnavailableException stopped(List<String> ids) {
        return EngineUnavailableException.stopped("unix:///var/run/docker.sock", "run a container", "refused", ids);
    }

    private static FakeEngine engineWith(String... ids) {
        FakeEngine engine = new FakeEngine();
        for (String id : ids) {
            engine.withContainer(new ContainerSummary(id, "n-" + id, "x", "running", Map.of()));
        }
        return engine;
    }

    /** An engine whose only answer is {@code removeContainer}, handed to {@code action}. */
    private static Engine removing(java.util.function.Consumer<String> action) {
        return (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("removeContainer")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    action.accept((String) args[0]);
                    return null;
                });
    }

    @Test
    void notedContainersAreRemovedWhenTheEngineAnswersAgain() throws Exception {
        StringWriter out = new StringWriter();
        Path file = tmp.resolve(".packlab/leftovers");
        Leftovers leftovers = new Leftovers(file, WorkshopParts.console(out));
        leftovers.remember(stopped(List.of(B)));
        leftovers.remember(stopped(List.of(A, B)));
        assertEquals(List.of(A, B), Files.readAllLines(file), "noted once each, whole");
        FakeEngine engine = engineWith(A, B, "cccccccccccc");
        leftovers.removeFrom(engine);
        assertEquals(List.of("cccccccccccc"), engine.listContainers(List.of()).stream().map(ContainerSummary::id)
                .toList());
        assertFalse(Files.exists(file));
        assertEquals("! removed the 2 containers that an interrupted step left when the Docker engine stopped\n",
                out.toString());
        leftovers.removeFrom(engine);
        assertEquals(1, out.toString().lines().count(), "said once");
    }

    @Test
    void nothingIsNotedWhenTheFailureLeftNothing() {
        Path file = tmp.resolve(".packlab/leftovers");
        new Leftovers(file, WorkshopParts.console(new StringWriter())).remember(stopped(List.of()));
        assertFalse(Files.exists(file));
    }

    @Test
    void onlyContainerIdsAreRemovedAndAnEngineStillAwayKeepsTheNote() throws Exception {
        Path file = Files.createDirectories(tmp.resolve(".packlab")).resolve("leftovers");
        Files.write(file, List.of(A, "webapp", "  " + B + "  "));
        StringWriter out = new StringWriter();
        Leftovers leftovers = new Leftovers(file, WorkshopParts.console(out));
        leftovers.removeFrom(removing(id -> {
            throw stopped(List.of());
        }));
        assertTrue(Files.exists(file), "kept for the next time");
        assertEquals("", out.toString());
        List<String> removed = new java.util.ArrayList<>();
        leftovers.removeFrom(removing(removed::add));
        assertEquals(List.of(A, B), removed, "`webapp` is not a container ID: never removed by name");
    }
}
