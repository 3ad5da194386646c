package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.ContainerSummary;
import io.packlab.engine.Engine;
import io.packlab.engine.EngineUnavailableException;
import io.packlab.engine.Owner;
import io.packlab.support.FakeEngine;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineKeeperTest {

    private static final String LEFT = "0123456789ab";

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final AtomicInteger made = new AtomicInteger();

    private EngineKeeper keeper(FakeEngine engine) {
        return new EngineKeeper(() -> {
            made.incrementAndGet();
            return engine;
        }, new Leftovers(tmp.resolve("leftovers"), WorkshopParts.console(out)), WorkshopParts.console(out));
    }

    private static ContainerSummary container(String id, Owner owner) {
        return new ContainerSummary(id, "name-" + id, "x", "running",
                Map.of(Engine.LESSON_LABEL, "build", Owner.LABEL, owner.label()));
    }

    private static Owner dead() throws Exception {
        Process p = new ProcessBuilder("sleep", "0.1").start();
        long start = p.info().startInstant().orElseThrow().toEpochMilli();
        p.waitFor();
        return new Owner(Owner.current().machine(), p.pid(), start);
    }

    private static List<String> ids(Engine engine) {
        return engine.listContainers(List.of()).stream().map(ContainerSummary::id).toList();
    }

    @Test
    void theEngineIsMadeOnFirstUseAndOnce() {
        FakeEngine engine = new FakeEngine();
        EngineKeeper keeper = keeper(engine);
        keeper.run(() -> { });
        assertEquals(0, made.get(), "a line that needs no engine does not wait for one");
        assertSame(engine, keeper.engine());
        assertSame(engine, keeper.engine());
        assertSame(engine, keeper.engineAsFound());
        assertEquals(1, made.get());
    }

    @Test
    void whatAStepLeftInAStoppedEngineIsRemovedAtTheNextStep() throws Exception {
        FakeEngine engine = new FakeEngine().withContainer(container(LEFT, Owner.current()));
        EngineKeeper keeper = keeper(engine);
        keeper.engine();
        EngineUnavailableException stopped = EngineUnavailableException.stopped("unix:///x", "build", "refused",
                List.of(LEFT));
        EngineUnavailableException e = assertThrows(EngineUnavailableException.class, () -> keeper.run(() -> {
            throw stopped;
        }));
        assertSame(stopped, e, "the failure itself goes on to the learner");
        assertEquals(List.of(LEFT), Files.readAllLines(tmp.resolve("leftovers")));
        assertEquals(List.of(LEFT), ids(engine));
        keeper.run(() -> { });
        assertEquals(List.of(), ids(engine));
        assertTrue(out.toString().contains("removed the container that an interrupted step left when the Docker"
                + " engine stopped"), out.toString());
    }

    @Test
    void theOrphansOfAKilledPacklabGoWhenTheEngineIsFirstReachedButDoctorOnlySeesThem() throws Exception {
        Owner dead = dead();
        FakeEngine found = new FakeEngine().withContainer(container("aaa", dead)).withContainer(
                container("bbb", Owner.current()));
        EngineKeeper looking = keeper(found);
        assertEquals(List.of("aaa"), looking.orphans().containers().stream().map(ContainerSummary::id).toList());
        looking.engine();
        assertEquals(List.of("aaa", "bbb"), ids(found), "doctor's engine was found as it was: nothing swept");

        FakeEngine swept = new FakeEngine().withContainer(container("aaa", dead)).withContainer(
                container("bbb", Owner.current()));
        keeper(swept).engine();
        assertEquals(List.of("bbb"), ids(swept), "only the dead one's");
        assertTrue(out.toString().contains("! removed what a packlab that was killed had left: 1 container (name-aaa) of"
                + " packlab pid " + dead.pid() + " (no longer running)"), out.toString());
    }
}
