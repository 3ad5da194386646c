package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.image.LayerBuilder;
import io.packlab.engine.Cancellation;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContainerTest {

    @TempDir
    Path dir;

    private BuildContainer container(MemoryContainer memory, RecordingReporter out, Cancellation cancel) {
        return new BuildContainer(memory, new CnbUser(1000, 1001), out, cancel);
    }

    @Test
    void rootRunsAsRootAndAFailureNamesTheExitCodeAndTheLines() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir);
        memory.onExec = (exec, lines) -> {
            lines.accept("cp: cannot stat");
            lines.accept("second");
            return 1;
        };
        List<String> seen = new ArrayList<>();
        PlatformException e = assertThrows(PlatformException.class, () -> container(memory, new RecordingReporter(),
                Cancellation.none()).root("cp -a /x /y", seen::add));
        assertEquals("a step of the build in the builder container failed (exit code 1): cp: cannot stat / second",
                e.getMessage());
        assertEquals(1, e.exitCode());
        assertEquals(List.of("cp: cannot stat", "second"), seen);
        assertEquals("0:0", memory.execs.get(0).user());
        assertEquals(List.of("sh", "-c", "cp -a /x /y"), memory.execs.get(0).command());
    }

    @Test
    void asUserRunsAsTheCnbUserAndShowsItsOutputAsABuildpacks() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir);
        memory.onExec = (exec, lines) -> {
            lines.accept("hello");
            return exec.script().startsWith("false") ? 3 : 0;
        };
        RecordingReporter out = new RecordingReporter();
        BuildContainer c = container(memory, out, Cancellation.none());
        c.asUser("touch /tmp/x");
        assertEquals("1000:1001", memory.execs.get(0).user());
        assertEquals(List.of("hello"), out.output);
        PlatformException e = assertThrows(PlatformException.class, () -> c.asUser("false now"));
        assertEquals("`false now` failed in the builder container (exit code 3).", e.getMessage());
    }

    @Test
    void runExecsABuildpackExecutableInTheAppFolderAsTheCnbUser() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir);
        container(memory, new RecordingReporter(), Cancellation.none()).run(List.of("/cnb/buildpacks/x/1/bin/detect"),
                Map.of("A", "b"), line -> {
                });
        MemoryContainer.Exec exec = memory.execs.get(0);
        assertEquals("1000:1001", exec.user());
        assertEquals(Cnb.APP_DIR, exec.workingDir());
        assertEquals(Map.of("A", "b"), exec.env());
    }

    @Test
    void filesGoInAndComeOutAndAMissingFileReadsAsEmpty() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir.resolve("root"));
        BuildContainer c = container(memory, new RecordingReporter(), Cancellation.none());
        Path tar = dir.resolve("in.tar");
        c.copyIn(new LayerBuilder().file("tmp/packlab/plan.toml", "[[entries]]\n".getBytes(StandardCharsets.UTF_8),
                0, 0, 0644), tar);
        assertFalse(Files.exists(tar), "the tar file is deleted once copied in");
        assertEquals("[[entries]]\n", c.readText("/tmp/packlab/plan.toml"));
        assertEquals("", c.readText("/tmp/packlab/none.toml"));
        c.extract("/tmp/packlab", dir.resolve("out"));
        assertTrue(Files.isRegularFile(dir.resolve("out/packlab/plan.toml")));
    }

    @Test
    void aCancelRemovesTheContainerAndCloseRemovesItOnce() throws Exception {
        MemoryContainer memory = new MemoryContainer(dir);
        Cancellation cancel = Cancellation.none();
        BuildContainer c = container(memory, new RecordingReporter(), cancel);
        c.checkCancelled();
        cancel.cancel();
        assertTrue(memory.removed, "the cancel removed the container");
        assertThrows(InterruptedIOException.class, c::checkCancelled);

        MemoryContainer other = new MemoryContainer(dir);
        Cancellation later = Cancellation.none();
        BuildContainer closed = container(other, new RecordingReporter(), later);
        closed.close();
        assertTrue(other.removed);
        other.removed = false;
        later.cancel();
        assertFalse(other.removed, "after close, a cancel no longer reaches the container");
    }

    @Test
    void aRemovalInTheBackgroundIsWaitedForOnCloseAndItsFailureThrownThere() throws Exception {
        java.util.concurrent.CountDownLatch going = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger removals = new java.util.concurrent.atomic.AtomicInteger();
        MemoryContainer files = new MemoryContainer(dir);
        BuildContainer.Access memory = new BuildContainer.Access() {
            @Override
            public io.packlab.engine.ExecResult exec(List<String> command, String user, Map<String, String> env,
                    String workingDir, java.util.function.Consumer<String> lines) {
                return files.exec(command, user, env, workingDir, lines);
            }

            @Override
            public void copyIn(java.io.InputStream tar) throws java.io.IOException {
                files.copyIn(tar);
            }

            @Override
            public java.util.Optional<java.io.InputStream> copyOut(String path) throws java.io.IOException {
                return files.copyOut(path);
            }

            @Override
            public void remove() {
                try {
                    going.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                removals.incrementAndGet();
                throw new IllegalStateException("the engine refused");
            }
        };
        Cancellation cancel = Cancellation.none();
        BuildContainer c = new BuildContainer(memory, new CnbUser(1000, 1001), new RecordingReporter(), cancel);
        c.closeInBackground();
        c.closeInBackground();
        cancel.cancel(); // the removal is under way: a cancel does not remove it again
        assertEquals(0, removals.get(), "the removal waits, on its own thread");
        going.countDown();
        IllegalStateException e = assertThrows(IllegalStateException.class, c::close);
        assertEquals("the engine refused", e.getMessage());
        assertEquals(1, removals.get(), "removed once, and close waited for it");
    }
}
