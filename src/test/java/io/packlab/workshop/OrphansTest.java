package io.packlab.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.ContainerSummary;
import io.packlab.engine.Engine;
import io.packlab.engine.Owner;
import io.packlab.support.FakeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphansTest {

    @TempDir
    Path tmp;

    private static Owner dead() throws Exception {
        Process p = new ProcessBuilder("sleep", "0.2").start();
        long start = p.info().startInstant().orElseThrow().toEpochMilli();
        p.waitFor();
        return new Owner(Owner.current().machine(), p.pid(), start);
    }

    private static ContainerSummary container(String id, Owner owner) {
        return new ContainerSummary(id, "name-" + id, "python:distroless", "running",
                Map.of(Engine.LESSON_LABEL, "build", Owner.LABEL, owner.label()));
    }

    @Test
    void onlyThingsOfDeadPacklabsOfThisMachineAreOrphans() throws Exception {
        Owner dead = dead();
        Owner me = Owner.current();
        Owner elsewhere = new Owner(me.machine().equals("0badf00d") ? "0badf00e" : "0badf00d", dead.pid(), dead.start());
        FakeEngine engine = new FakeEngine()
                .withContainer(container("aaa", dead))
                .withContainer(container("bbb", me))
                .withContainer(container("ccc", elsewhere))
                .withContainer(new ContainerSummary("ddd", "learners", "x", "running", Map.of("io.packlab.owner", "mine")))
                .withContainer(new ContainerSummary("eee", "unlabelled", "x", "running", Map.of()));
        Path deadDir = Files.createDirectory(tmp.resolve(dead.tempPrefix("12345")));
        Files.writeString(deadDir.resolve("layer.tar"), "x");
        Path deadFile = Files.writeString(tmp.resolve(dead.tempPrefix("plan678.tar")), "x");
        Path mine = Files.createDirectory(tmp.resolve(me.tempPrefix("999")));
        Path theirs = Files.createDirectory(tmp.resolve(elsewhere.tempPrefix("999")));
        Path other = Files.createDirectory(tmp.resolve("packlab-cds.XYZ"));

        Orphans.Found found = Orphans.find(engine, tmp);
        assertEquals(List.of("aaa"), found.containers().stream().map(ContainerSummary::id).toList());
        assertEquals(List.of(deadDir, deadFile).stream().sorted().toList(), found.temps());
        assertEquals(List.of(dead.pid()), found.pids());
        assertEquals("1 container (name-aaa) and 2 temporary files and folders (" + found.temps().get(0) + ", "
                + found.temps().get(1) + ") of packlab pid " + dead.pid(), found.describe());
        assertTrue(found.commands().startsWith("docker rm -f aaa; rm -rf "), found.commands());

        Orphans.Found removed = Orphans.remove(engine, found);
        assertEquals(found, removed);
        assertEquals(List.of("bbb", "ccc", "ddd"), engine.listContainers(Engine.labelFilter(Owner.LABEL, null)).stream()
                .map(ContainerSummary::id).toList(), "a live packlab's, another machine's and a learner's stay");
        assertFalse(Files.exists(deadDir));
        assertFalse(Files.exists(deadFile));
        assertTrue(Files.isDirectory(mine) && Files.isDirectory(theirs) && Files.isDirectory(other));
        assertTrue(Orphans.find(engine, tmp).isEmpty());
    }

    @Test
    void afterAStopThisProcessRemovesOnlyItsOwnThings() throws Exception {
        Owner dead = dead();
        FakeEngine engine = new FakeEngine()
                .withContainer(container("mine", Owner.current()))
                .withContainer(container("orphan", dead));
        Path mine = Files.createDirectory(tmp.resolve(Owner.current().tempPrefix("1")));
        Path orphan = Files.createDirectory(tmp.resolve(dead.tempPrefix("1")));
        assertTrue(Orphans.removeOwn(engine, tmp).isEmpty(), "nothing is left");
        assertEquals(List.of("orphan"), engine.listContainers(List.of()).stream().map(ContainerSummary::id).toList());
        assertFalse(Files.exists(mine));
        assertTrue(Files.exists(orphan), "the sweep, not the stop, takes the orphans");
        assertTrue(Orphans.removeOwn(null, tmp).isEmpty(), "without an engine: the temp folder only");
    }
}
