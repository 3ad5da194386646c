package io.packlab.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packlab process that made a container or a temporary folder: this machine, the pid and the
 * process's start time (so that a reused pid is not taken for the owner). Containers carry it as
 * the label {@value #LABEL}; temporary folders carry pid, start time and machine in their name. A
 * thing whose owner is on this machine and no longer running is an orphan (of a {@code kill -9} or
 * a power cut) that the next packlab may remove; things of a live packlab, or of another machine on a
 * shared engine, are never touched.
 *
 * @param machine a short digest of this machine's host name and machine id (never a pid namespace of another)
 * @param pid     the process id
 * @param start   the process's start time (epoch milliseconds), 0 when the system does not say
 */
public record Owner(String machine, long pid, long start) {

    /** The label on every container packlab creates. */
    public static final String LABEL = "io.packlab.owner";

    /** What every temporary file and folder of packlab is named after: {@code packlab-PID-START-MACHINE-...}. */
    private static final Pattern TEMP = Pattern.compile("packlab-(\\d+)-(\\d+)-([0-9a-f]{8})-.*");
    private static final Pattern VALUE = Pattern.compile("([0-9a-f]{8})/(\\d+)/(\\d+)");

    private static final Owner CURRENT = of(ProcessHandle.current());

    /** This process. */
    public static Owner current() {
        return CURRENT;
    }

    private static Owner of(ProcessHandle process) {
        return new Owner(thisMachine(), process.pid(), startOf(process));
    }

    private static long startOf(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /** The label value: {@code MACHINE/PID/START}. */
    public String label() {
        return machine + "/" + pid + "/" + start;
    }

    /** The owner named by a label value, if it is one. */
    public static Optional<Owner> fromLabel(String value) {
        Matcher m = VALUE.matcher(value == null ? "" : value.strip());
        return m.matches() ? Optional.of(new Owner(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))))
                : Optional.empty();
    }

    /** The owner of a temporary file or folder, by its name, if packlab made it. */
    public static Optional<Owner> fromTempName(String name) {
        Matcher m = TEMP.matcher(name);
        return m.matches() ? Optional.of(new Owner(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))))
                : Optional.empty();
    }

    /** The start of a temporary file's or folder's name, for {@link Files#createTempDirectory(String, java.nio.file.attribute.FileAttribute[])}. */
    public String tempPrefix(String what) {
        return "packlab-" + pid + "-" + start + "-" + machine + "-" + what;
    }

    /** A new temporary folder in the system's temp folder, named after this process (see {@link #fromTempName}). */
    public static Path tempDirectory(String what) throws IOException {
        return Files.createTempDirectory(CURRENT.tempPrefix(what));
    }

    /** A new temporary file in the system's temp folder, named after this process. */
    public static Path tempFile(String what, String suffix) throws IOException {
        return Files.createTempFile(CURRENT.tempPrefix(what), suffix);
    }

    /** True when this owner is this machine (the same host name and machine id). */
    public boolean onThisMachine() {
        return machine.equals(CURRENT.machine);
    }

    /** True when the owner is still running: its pid is alive, with the same start time where both are known. */
    public boolean running() {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        long now = startOf(process.get());
        return start == 0 || now == 0 || now == start;
    }

    /** An orphan's owner: on this machine and no longer running. Things of other machines are never orphans here. */
    public boolean gone() {
        return onThisMachine() && !running();
    }

    /**
     * This machine: the host name (two containers sharing an engine differ in it) and the machine id
     * (two machines of the same name differ in it), as a short digest so that it fits a file name.
     */
    private static String thisMachine() {
        StringBuilder id = new StringBuilder(read("/proc/sys/kernel/hostname")
                .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
                .or(() -> read("/etc/hostname")).orElse("localhost"));
        id.append('\n').append(read("/etc/machine-id").or(() -> read("/var/lib/dbus/machine-id")).orElse(""));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> read(String file) {
        try {
            String s = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
