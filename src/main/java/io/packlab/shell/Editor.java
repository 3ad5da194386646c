package io.packlab.shell;

import io.packlab.engine.Cancellation;
import io.packlab.error.IoReasons;
import io.packlab.error.PacklabException;
import io.packlab.words.ShellWords;
import io.packlab.step.StepCancelledException;
import io.packlab.step.StepContext;
import io.packlab.step.StepFailedException;
import io.packlab.term.Console;
import io.packlab.term.Wording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;

/**
 * {@code edit FILE} in the shell: opens {@code $VISUAL}, else {@code $EDITOR}, else {@code vi} (as the
 * original tutorial does) on a file of the work folder, in the shell's folder; JLine hands the terminal
 * to the editor and takes it back when the editor ends. A path outside the work folder is refused (exit
 * 2), and so is {@code edit} in a session without a terminal, which cannot show an editor.
 */
final class Editor {

    /** Gives the terminal to the editor while it runs and takes it back; returns the editor's exit code. */
    interface Handover {
        int run(ProcessBuilder editor, Cancellation cancellation) throws IOException, InterruptedException;
    }

    private final boolean atTerminal;
    private final Handover handover;

    /**
     * @param atTerminal true when the shell's input and output are a terminal
     * @param handover   runs the editor with the terminal
     */
    Editor(boolean atTerminal, Handover handover) {
        this.atTerminal = atTerminal;
        this.handover = handover;
    }

    /** The handover of a JLine terminal: its reader paused, its modes saved and restored around the editor. */
    static Handover jline(Terminal terminal) {
        return (editor, cancellation) -> {
            terminal.writer().flush();
            terminal.flush();
            // a terminal that pumps its input in a thread stops pumping, so that the editor reads the keys;
            // without waiting: a pump blocked in a read would hold the shell until the next key
            boolean pause = terminal.canPauseResume();
            if (pause) {
                terminal.pause();
            }
            Attributes modes = terminal.getAttributes();
            Process p = null;
            Runnable kill = null;
            try {
                p = editor.inheritIO().start();
                Process started = p;
                kill = () -> {
                    started.descendants().forEach(ProcessHandle::destroyForcibly);
                    started.destroyForcibly();
                };
                cancellation.onCancel(kill);
                return p.waitFor();
            } finally {
                if (kill != null) {
                    cancellation.forget(kill);
                    if (p.isAlive()) {
                        kill.run();
                    }
                }
                terminal.setAttributes(modes);
                if (pause) {
                    terminal.resume();
                }
            }
        };
    }

    /** The editor a learner chose: {@code $VISUAL}, else {@code $EDITOR}, else vi. */
    static String chosen(Map<String, String> env) {
        for (String name : List.of("VISUAL", "EDITOR")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return "vi";
    }

    /** {@link #edit(String, StepContext, Console, Cancellation, Wording)} in English. */
    void edit(String line, StepContext ctx, Console console, Cancellation cancellation) {
        edit(line, ctx, console, cancellation, Wording.of("en"));
    }

    /**
     * Runs an {@code edit FILE} line in the shell's folder, saying what happened in {@code text}; throws
     * a {@link PacklabException} when it cannot.
     */
    void edit(String line, StepContext ctx, Console console, Cancellation cancellation, Wording text) {
        List<String> words = ShellWords.split(line, ctx.env());
        if (words.size() != 2) {
            throw PacklabException.usage(text.text("edit.usage", where(ctx, text)));
        }
        String name = words.get(1);
        Path file = ctx.cwd().resolve(name).normalize();
        requireInWorkFolder(name, file, ctx, text);
        if (Files.isDirectory(file)) {
            throw PacklabException.usage(text.text("edit.isFolder", name));
        }
        if (!Files.isDirectory(file.getParent())) {
            throw PacklabException.usage(text.text("edit.noFolder", ctx.workdir().relativize(file.getParent()), name,
                    where(ctx, text)));
        }
        String editor = chosen(ctx.env());
        if (!atTerminal) {
            throw PacklabException.usage(text.text("edit.noTerminal", name));
        }
        console.command(ctx.displayCwd(), line);
        byte[] before = read(file, text);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", editor + " \"$1\"", "edit", name)
                .directory(ctx.cwd().toFile());
        pb.environment().putAll(ctx.env());
        int code;
        try {
            code = handover.run(pb, cancellation);
        } catch (IOException e) {
            throw new StepFailedException(text.text("edit.cannotStart", editor, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepCancelledException(line);
        }
        if (cancellation.isCancelled()) {
            throw new StepCancelledException(line);
        }
        if (code == 126 || code == 127) {
            throw PacklabException.usage(text.text("edit.notFound", editor, code, source(ctx.env(), text)));
        }
        if (code != 0) {
            throw new StepFailedException(text.text(Files.exists(file) ? "edit.failed.shown" : "edit.failed", editor,
                    code, name));
        }
        byte[] after = read(file, text);
        if (after == null) {
            console.println(text.text("edit.notSaved", name));
        } else if (before != null && Arrays.equals(before, after)) {
            console.println(text.text("edit.unchanged", name));
        } else {
            console.pass(text.text("edit.saved", name));
        }
    }

    private static void requireInWorkFolder(String name, Path file, StepContext ctx, Wording text) {
        Path work = real(ctx.workdir());
        Path target = real(file);
        if (!target.startsWith(work) || !file.startsWith(ctx.workdir())) {
            throw PacklabException.usage(target.toString().equals(name)
                    ? text.text("edit.outside", name, work, where(ctx, text))
                    : text.text("edit.outside.real", name, target, work, where(ctx, text)));
        }
    }

    /** The path with its links resolved as far as it exists (a file that does not exist yet: its folder's). */
    private static Path real(Path path) {
        Path p = path.toAbsolutePath().normalize();
        Path rest = Path.of("");
        while (p != null) {
            try {
                return p.toRealPath().resolve(rest).normalize();
            } catch (IOException e) {
                rest = p.getFileName() == null ? rest : p.getFileName().resolve(rest);
                p = p.getParent();
            }
        }
        return path.toAbsolutePath().normalize();
    }

    private static String where(StepContext ctx, Wording text) {
        return ctx.displayCwd().equals(".") ? text.text("edit.workFolder") : ctx.displayCwd();
    }

    private static byte[] read(Path file, Wording text) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StepFailedException(text.text("edit.cannotRead", file, IoReasons.of(e, file)));
        }
    }

    private static String source(Map<String, String> env, Wording text) {
        for (String name : List.of("VISUAL", "EDITOR")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return "$" + name;
            }
        }
        return text.text("edit.default");
    }
}
