package io.packlab.workshop;

import io.packlab.error.IoReasons;
import io.packlab.error.PacklabException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The work folder's lock ({@code .packlab/lock}, holding "pid N"): taken before the first change of
 * progress, so that two packlabs never interleave their steps and writes in one folder; the second one
 * refuses, naming the first. The lock goes with the process (or {@link #release()}).
 */
final class WorkdirLock {

    private final Settings settings;
    private FileLock lock;

    WorkdirLock(Settings settings) {
        this.settings = settings;
    }

    /** Takes the lock unless this one holds it already; refuses (exit 1) when another packlab holds it. */
    synchronized void take() {
        if (lock != null) {
            return;
        }
        Path file = settings.progressFile().resolveSibling("lock");
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock taken;
            try {
                taken = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                taken = null;
            }
            if (taken == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                channel.close();
                throw PacklabException.failed("another packlab" + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + " is working in " + settings.workdir() + ". Wait until it has finished, or quit that shell,"
                        + " then try again; two at once would mix their steps and progress. (Use --workdir for a"
                        + " second, separate work folder.)");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            lock = taken;
        } catch (IOException e) {
            throw PacklabException.usage("cannot record progress in the work folder " + settings.workdir() + ": "
                    + IoReasons.reason(e) + " (" + relativeToWorkdir(IoReasons.path(e).orElse(file)) + "). Use --workdir"
                    + " with a folder you can write (a new folder receives the tutorial material), or make this one"
                    + " writable (its owner and permissions, or a read-write mount).");
        }
    }

    /** Lets the lock go (it goes with the process anyway). */
    synchronized void release() {
        if (lock != null) {
            try {
                lock.channel().close();
            } catch (IOException e) {
                // the lock goes with the process anyway
            }
            lock = null;
        }
    }

    private String relativeToWorkdir(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path work = settings.workdir().toAbsolutePath().normalize();
        return abs.startsWith(work) ? work.relativize(abs).toString() : abs.toString();
    }
}
