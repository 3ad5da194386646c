package io.packlab.cnb.platform;

import io.packlab.cnb.image.LayerBuilder;
import io.packlab.cnb.image.TarExtractor;
import io.packlab.engine.ExecResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A build container for unit tests of the phases: its file system is a host folder (tars copied in are extracted
 * there, paths copied out are tarred from there), and each exec is recorded and answered by {@link #onExec}: shell
 * lines succeed by default, a buildpack executable is what the test makes of it. Never proof that a build works.
 */
final class MemoryContainer implements BuildContainer.Access {

    /** One exec, as the phase asked for it. */
    record Exec(List<String> command, String user, Map<String, String> env, String workingDir) {
        String script() {
            return command.size() == 3 && command.get(0).equals("sh") ? command.get(2) : null;
        }
    }

    /** What an exec does: prints lines, changes files under {@link #root}, returns an exit code. */
    interface Behaviour {
        int run(Exec exec, Consumer<String> lines) throws IOException;
    }

    final Path root;
    final List<Exec> execs = new ArrayList<>();
    final List<String> copiedOut = new ArrayList<>();
    int copiesIn;
    boolean removed;
    Behaviour onExec = (exec, lines) -> 0;

    MemoryContainer(Path root) {
        this.root = root;
    }

    /** The container's {@code path} on the host. */
    Path path(String path) {
        return root.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** Writes a file into the container. */
    MemoryContainer file(String path, String content) throws IOException {
        Path p = path(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return this;
    }

    /** The shell lines run, in order. */
    List<String> scripts() {
        return execs.stream().map(Exec::script).filter(s -> s != null).toList();
    }

    @Override
    public ExecResult exec(List<String> command, String user, Map<String, String> env, String workingDir,
            Consumer<String> lines) {
        Exec exec = new Exec(List.copyOf(command), user, Map.copyOf(env), workingDir);
        execs.add(exec);
        if (exec.script() != null && exec.script().startsWith("rm -rf '" + BuildpackRunner.STAGE + "/")) {
            return new ExecResult(onHost(exec.script()));
        }
        try {
            return new ExecResult(onExec.run(exec, lines));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the build phase's staging line with the host's {@code sh}, its container paths under {@link #root}. */
    private int onHost(String script) {
        try {
            String host = root.toAbsolutePath().toString();
            Process p = new ProcessBuilder("sh", "-c", script.replace("'" + Cnb.LAYERS_DIR + "/", "'" + host
                    + Cnb.LAYERS_DIR + "/").replace("'" + BuildContainer.WORK + "/", "'" + host + BuildContainer.WORK
                    + "/"))
                    .redirectErrorStream(true).start();
            p.getInputStream().transferTo(System.err);
            return p.waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    @Override
    public void copyIn(InputStream tar) throws IOException {
        copiesIn++;
        TarExtractor.extract(tar, root, TarExtractor.AbsoluteLinks.KEEP);
    }

    @Override
    public Optional<InputStream> copyOut(String path) throws IOException {
        copiedOut.add(path);
        Path p = path(path);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        LayerBuilder tar = new LayerBuilder();
        String name = p.getFileName().toString();
        if (Files.isDirectory(p)) {
            tar.tree(p, name, 0, 0);
        } else {
            tar.file(name, Files.readAllBytes(p), 0, 0, Files.isExecutable(p) ? 0755 : 0644);
        }
        Path file = Files.createTempFile("memory-container", ".tar");
        try {
            tar.write(file);
            return Optional.of(new ByteArrayInputStream(Files.readAllBytes(file)));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void remove() {
        removed = true;
    }
}
