package io.packlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OwnerTest {

    /** A process that has ended: its pid and start time as it ran. */
    static Owner deadOwner() throws Exception {
        Process p = new ProcessBuilder("sleep", "0.2").start();
        long start = p.info().startInstant().orElseThrow().toEpochMilli();
        p.waitFor();
        return new Owner(Owner.current().machine(), p.pid(), start);
    }

    @Test
    void thisProcessIsRunningAndNeverGone() {
        Owner me = Owner.current();
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertTrue(me.start() > 0, "the start time is known on Linux");
        assertTrue(me.running());
        assertFalse(me.gone());
    }

    @Test
    void labelAndTempNamesNameTheOwner() throws Exception {
        Owner me = Owner.current();
        assertEquals(Optional.of(me), Owner.fromLabel(me.label()));
        Path dir = Owner.tempDirectory("x");
        try {
            assertTrue(dir.getFileName().toString().startsWith("packlab-" + me.pid() + "-" + me.start() + "-"), dir.toString());
            assertEquals(Optional.of(me), Owner.fromTempName(dir.getFileName().toString()));
        } finally {
            Files.delete(dir);
        }
        assertEquals(Optional.empty(), Owner.fromLabel("check"));
        assertEquals(Optional.empty(), Owner.fromLabel(null));
        assertEquals(Optional.empty(), Owner.fromTempName("packlab-out123.txt"), "the tests' own files");
        assertEquals(Optional.empty(), Owner.fromTempName("packlab-cds.Ab12Cd"), "the launcher's training folder");
    }

    @Test
    void aProcessThatEndedIsGoneButOnlyOnItsOwnMachine() throws Exception {
        Owner dead = deadOwner();
        assertFalse(dead.running());
        assertTrue(dead.gone());
        Owner elsewhere = new Owner("0badf00d".equals(dead.machine()) ? "0badf00e" : "0badf00d", dead.pid(), dead.start());
        assertFalse(elsewhere.gone(), "another machine's pid says nothing about this machine's processes");
    }

    @Test
    void aReusedPidIsNotTheOwner() {
        Owner me = Owner.current();
        Owner earlier = new Owner(me.machine(), me.pid(), me.start() - 60_000);
        assertFalse(earlier.running(), "same pid, another start: another process");
        assertTrue(earlier.gone());
    }
}
