package io.packlab.cnb.platform;

import io.packlab.cnb.image.Layer;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.cnb.image.TarExtractor;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.Engine;
import io.packlab.engine.ExecResult;
import io.packlab.engine.Owner;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The build's container of the builder image, running {@code sleep infinity} as root with the cache volume at
 * {@code /layers} (see {@link CacheVolume}): what the phases do in it (shell lines as root or as the CNB user, buildpack
 * executables, files in and out). A cancel removes the container, so whatever the build does in it next fails, and the build ends.
 */
final class BuildContainer implements AutoCloseable {

    /** packlab's own scratch folder in the container (plan files, staged TOML). */
    static final String WORK = "/tmp/packlab";

    /** What the phases need of a running container: the engine's, or one a unit test keeps in memory. */
    interface Access {
        /** Runs {@code command} as {@code user} with extra env in {@code workingDir} (null: the container's). */
        ExecResult exec(List<String> command, String user, Map<String, String> env, String workingDir,
                Consumer<String> lines) throws InterruptedException;

        /** Extracts a tar stream at {@code /}. */
        void copyIn(InputStream tar) throws IOException;

        /** {@code path} as a tar stream whose top entry is its last element; empty when it does not exist. */
        Optional<InputStream> copyOut(String path) throws IOException;

        /** Starts the container (nothing, for a test's). */
        default void start() {
        }

        /** Removes the container (nothing, for a test's). */
        default void remove() {
        }
    }

    private final Access access;
    private final CnbUser user;
    private final Reporter out;
    private final Cancellation cancel;
    private final Runnable kill;
    /** The removal {@link #closeInBackground} started, if any, and how it failed. */
    private Thread removal;
    private volatile RuntimeException removalFailure;

    BuildContainer(Access access, CnbUser user, Reporter out, Cancellation cancel) {
        this.access = access;
        this.user = user;
        this.out = out;
        this.cancel = cancel;
        this.kill = access::remove;
        cancel.onCancel(kill);
    }

    /** Creates (not starts) a container of {@code builderId} with the cache volume at /layers; a cancel removes it. */
    static BuildContainer create(Engine engine, String builderId, Map<String, String> labels, String cacheVolume,
            CnbUser user, Reporter out, Cancellation cancel) {
        String id = engine.createContainer(new ContainerSpec(builderId, null, "0:0", Map.of(), labels,
                List.of("sleep"), List.of("infinity"), Cnb.APP_DIR, Map.of(cacheVolume, Cnb.LAYERS_DIR), Map.of()));
        return new BuildContainer(new EngineAccess(engine, id, cancel), user, out, cancel);
    }

    /** Starts the container. */
    void start() {
        access.start();
    }

    CnbUser user() {
        return user;
    }

    /** Runs a shell line as root; its lines go to {@code lines} (and into the message if it fails). */
    void root(String script, Consumer<String> lines) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        ExecResult r = access.exec(List.of("sh", "-c", script), "0:0", Map.of(), null, line -> {
            seen.add(line);
            lines.accept(line);
        });
        if (!r.ok()) {
            throw new PlatformException("a step of the build in the builder container failed (exit code "
                    + r.exitCode() + "): " + String.join(" / ", seen));
        }
    }

    /** Runs a shell line as the CNB user; its output is shown as a buildpack's. */
    void asUser(String script) throws InterruptedException {
        ExecResult r = access.exec(List.of("sh", "-c", script), user.spec(), Map.of(), null, out::output);
        if (!r.ok()) {
            throw new PlatformException("`" + script + "` failed in the builder container (exit code " + r.exitCode()
                    + ").");
        }
    }

    /** Runs a buildpack executable as the CNB user in the app folder. */
    ExecResult run(List<String> command, Map<String, String> env, Consumer<String> lines) throws InterruptedException {
        return access.exec(command, user.spec(), env, Cnb.APP_DIR, lines);
    }

    /** Writes {@code content} to the tar file {@code tar}, copies it in at {@code /}, and deletes the file. */
    void copyIn(LayerBuilder content, Path tar) throws IOException {
        Layer layer = content.write(tar);
        try (InputStream in = Files.newInputStream(layer.path())) {
            access.copyIn(in);
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /** {@code path} of the container, extracted into the host folder {@code into}; nothing when it does not exist. */
    void extract(String path, Path into) throws IOException {
        Optional<InputStream> tar = access.copyOut(path);
        if (tar.isEmpty()) {
            return;
        }
        try (InputStream in = tar.get()) {
            TarExtractor.extract(in, into, TarExtractor.AbsoluteLinks.KEEP);
        }
    }

    /** {@code path} of the container as a tar stream whose top entry is its last element; empty when it does not exist. */
    Optional<InputStream> archive(String path) throws IOException {
        return access.copyOut(path);
    }

    /**
     * Like {@link #extract(String, Path)}, keeping only the entries whose names (as the tar gives them, the top entry
     * being the last element of {@code path}) {@code keep} takes; the others are read past, never written.
     */
    void extract(String path, Path into, java.util.function.Predicate<String> keep) throws IOException {
        Optional<InputStream> tar = access.copyOut(path);
        if (tar.isEmpty()) {
            return;
        }
        try (InputStream in = tar.get()) {
            TarExtractor.extract(in, into, TarExtractor.AbsoluteLinks.KEEP, keep);
        }
    }

    /** A text file of the container; empty when it does not exist. */
    String readText(String file) throws IOException {
        Path dir = Owner.tempDirectory("plan");
        try {
            extract(file, dir);
            Path f = dir.resolve(Path.of(file).getFileName().toString());
            return Files.isRegularFile(f) ? new String(Files.readAllBytes(f), StandardCharsets.UTF_8) : "";
        } finally {
            AppBuilder.deleteTree(dir);
        }
    }

    /** Ends a phase's work early when the build was cancelled. */
    void checkCancelled() throws InterruptedIOException {
        if (cancel.isCancelled()) {
            throw new InterruptedIOException("build cancelled");
        }
    }

    /**
     * Starts removing the container on another thread, for a build that is done with it (the engine takes a few tenths
     * of a second, which the export and the save then no longer wait for); {@link #close} waits for the removal.
     */
    synchronized void closeInBackground() {
        if (removal != null) {
            return;
        }
        cancel.forget(kill);
        removal = new Thread(() -> {
            try {
                access.remove();
            } catch (RuntimeException e) {
                removalFailure = e;
            }
        }, "packlab-build-container-removal");
        removal.setDaemon(true);
        removal.start();
    }

    /** Removes the container (or waits for {@link #closeInBackground}'s removal); a cancel no longer needs to. */
    @Override
    public void close() {
        Thread started;
        synchronized (this) {
            started = removal;
        }
        if (started == null) {
            cancel.forget(kill);
            access.remove();
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                started.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the container goes in any case: wait for it, then pass the interrupt on
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (removalFailure != null) {
            throw removalFailure;
        }
    }

    /** A container of the engine. */
    private record EngineAccess(Engine engine, String id, Cancellation cancel) implements Access {
        @Override
        public ExecResult exec(List<String> command, String user, Map<String, String> env, String workingDir,
                Consumer<String> lines) throws InterruptedException {
            return engine.exec(id, command, user, env, workingDir, lines, cancel);
        }

        @Override
        public void copyIn(InputStream tar) {
            engine.copyToContainer(id, tar, "/");
        }

        @Override
        public Optional<InputStream> copyOut(String path) {
            return engine.copyFromContainer(id, path);
        }

        @Override
        public void start() {
            engine.startContainer(id);
        }

        @Override
        public void remove() {
            engine.removeContainer(id);
        }
    }
}
