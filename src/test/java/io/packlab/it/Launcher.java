package io.packlab.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code ./packlab} launcher as a process, as a learner would. */
final class Launcher {

    static final Path HOME = Path.of(System.getenv().getOrDefault("PACKLAB_HOME", ".")).toAbsolutePath().normalize();

    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Launcher() {
    }

    /** A launcher process running in the background, for tests that act while a step runs. */
    static final class Running {
        private final Process process;
        private final Path out;
        private final Path err;
        private final String what;

        private Running(Process process, Path out, Path err, String what) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.what = what;
        }

        /** The process's pid: the launcher's, which is the JVM's once the launcher has exec'd java. */
        long pid() {
            return process.pid();
        }

        /** Sends a signal ({@code INT}, {@code TERM}, {@code KILL}, {@code STOP}, {@code CONT}) with kill(1). */
        void signal(String name) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        }

        /** Standard output and error so far. */
        String soFar() throws IOException {
            return java.nio.file.Files.readString(out, StandardCharsets.UTF_8)
                    + java.nio.file.Files.readString(err, StandardCharsets.UTF_8);
        }

        /** Waits until the output so far contains {@code text}; fails after {@code seconds}. */
        void awaitOutput(String text, int seconds) throws IOException, InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!soFar().contains(text)) {
                if (!process.isAlive() || System.nanoTime() > end) {
                    throw new AssertionError("packlab " + what + " did not print `" + text + "`: " + soFar());
                }
                Thread.sleep(50);
            }
        }

        Result await(int seconds) throws IOException, InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("packlab " + what + " did not finish in " + seconds + " s: " + soFar());
            }
            Result r = new Result(process.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
            java.nio.file.Files.deleteIfExists(out);
            java.nio.file.Files.deleteIfExists(err);
            return r;
        }
    }

    static Running start(Map<String, String> env, String... args) throws IOException {
        return start(List.of(), HOME.resolve("packlab"), HOME, null, env, args);
    }

    /**
     * Like {@link #start}, with SIGINT and SIGQUIT back to their default handling (env
     * --default-signal), for tests that send them: a JVM started as a background job of a script
     * inherits them ignored, and so would packlab (which, like every program, keeps them ignored then).
     */
    static Running startInterruptible(Map<String, String> env, String... args) throws IOException {
        return start(List.of("env", "--default-signal=INT,QUIT"), HOME.resolve("packlab"), HOME, null, env, args);
    }

    /**
     * Starts {@code launcher} (packlab's, or a link to it) in {@code folder}, the caller's current folder
     * (and $PWD, as a shell sets it); {@code input}, unless null, is written to its stdin through a pipe
     * (else stdin is /dev/null).
     */
    static Running start(Path launcher, Path folder, String input, Map<String, String> env, String... args)
            throws IOException {
        return start(List.of(), launcher, folder, input, env, args);
    }

    private static Running start(List<String> prefix, Path launcher, Path folder, String input,
            Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile());
        pb.environment().put("PWD", folder.toString());
        pb.environment().putAll(env);
        pb.environment().put("NO_COLOR", "1");
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Path out = java.nio.file.Files.createTempFile("packlab-out", ".txt");
        Path err = java.nio.file.Files.createTempFile("packlab-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = pb.start();
        if (input != null) {
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // packlab left before reading everything: its exit code and output tell why
            }
        }
        return new Running(process, out, err, String.join(" ", args));
    }

    /** Runs packlab with {@code folder} as the current folder, as after {@code cd folder}. */
    static Result runIn(Path folder, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return start(HOME.resolve("packlab"), folder, null, env, args).await((int) TimeUnit.MINUTES.toSeconds(15));
    }

    /** Runs packlab with {@code input} on a pipe to its stdin, as {@code printf input | ./packlab args}. */
    static Result runFed(String input, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return start(HOME.resolve("packlab"), HOME, input, env, args).await((int) TimeUnit.MINUTES.toSeconds(15));
    }

    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return start(env, args).await((int) TimeUnit.MINUTES.toSeconds(15));
    }

    /** {@code head} followed by {@code tail}: fixed leading arguments and a command's own. */
    static String[] cat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
