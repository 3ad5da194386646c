package io.packlab.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.Cancellation;
import io.packlab.error.PacklabException;
import io.packlab.step.StepCancelledException;
import io.packlab.step.StepContext;
import io.packlab.term.Console;
import io.packlab.term.Wording;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edit FILE}: the learner's editor on a file of the work folder, with EDITOR set to small scripts. */
class EditorTest {

    @TempDir
    Path work;

    @TempDir
    Path outside;

    private final StringWriter out = new StringWriter();
    private final Console console = new Console(new PrintWriter(out, true), new PrintWriter(out, true), false, 80);
    private final Map<String, String> env = new HashMap<>();
    private int handovers;
    private Path script;

    /** Runs the editor as the terminal handover would, without a terminal: counted, output discarded. */
    private final Editor.Handover handover = (pb, cancellation) -> {
        handovers++;
        return pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start().waitFor();
    };

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(work.resolve("stacks/distroless-python/run"));
        Files.writeString(work.resolve("stacks/distroless-python/run/Dockerfile"), "FROM scratch\n");
        // an editor that appends a line saying where it ran and with which file
        script = script("appender", "printf 'edited in %s: %s\\n' \"$(basename \"$PWD\")\" \"$1\" >> \"$1\"\n");
        env.put("EDITOR", script.toString());
    }

    private Path script(String name, String body) throws Exception {
        Path s = outside.resolve(name);
        Files.writeString(s, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    private StepContext in(String folder) {
        return new StepContext(work, work.resolve(folder), "rebase", env);
    }

    private void edit(String line, StepContext ctx) {
        new Editor(true, handover).edit(line, ctx, console, new Cancellation());
    }

    @Test
    void theEditorChangesTheFileInTheShellsFolder() throws Exception {
        edit("edit run/Dockerfile", in("stacks/distroless-python"));
        assertEquals("FROM scratch\nedited in distroless-python: run/Dockerfile\n",
                Files.readString(work.resolve("stacks/distroless-python/run/Dockerfile")));
        assertEquals(1, handovers, "the terminal was handed to the editor once");
        assertTrue(out.toString().contains("stacks/distroless-python $ edit run/Dockerfile"), out.toString());
        assertTrue(out.toString().contains("✔ saved run/Dockerfile"), out.toString());
    }

    @Test
    void visualComesBeforeEditorAndViIsTheDefault() throws Exception {
        env.put("VISUAL", script("visual", "echo by-visual >> \"$1\"\n").toString());
        edit("edit stacks/distroless-python/run/Dockerfile", in("."));
        assertTrue(Files.readString(work.resolve("stacks/distroless-python/run/Dockerfile")).endsWith("by-visual\n"));
        assertEquals("vi", Editor.chosen(Map.of()));
        assertEquals("vi", Editor.chosen(Map.of("EDITOR", "  ")));
        assertEquals("nano -w", Editor.chosen(Map.of("EDITOR", "nano -w")));
    }

    @Test
    void anEditorWithArgumentsAndANewFile() throws Exception {
        env.put("EDITOR", script("two", "printf '%s\\n' \"$1\" > \"$2\"\n") + " --first-argument");
        edit("edit notes.txt", in("."));
        assertEquals("--first-argument\n", Files.readString(work.resolve("notes.txt")));
    }

    @Test
    void aPathOutsideTheWorkFolderIsRefusedWithoutRunningTheEditor() throws Exception {
        Path secret = Files.writeString(outside.resolve("secret.txt"), "keep\n");
        PacklabException e = assertThrows(PacklabException.class,
                () -> edit("edit ../../" + work.relativize(secret.getParent()).getFileName() + "/x", in("stacks")));
        assertEquals(2, e.exitCode());
        e = assertThrows(PacklabException.class, () -> edit("edit " + secret, in(".")));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().startsWith("edit: " + secret + " is outside the work folder " + work.toRealPath()
                + ". edit opens the files of the tutorial only"), e.getMessage());
        e = assertThrows(PacklabException.class, () -> edit("edit ../../x.txt", in("stacks")));
        assertTrue(e.getMessage().startsWith("edit: ../../x.txt is " + work.toRealPath().getParent().resolve("x.txt")
                + ", outside the work folder"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one paragraph");
        Files.createSymbolicLink(work.resolve("link"), outside);
        e = assertThrows(PacklabException.class, () -> edit("edit link/secret.txt", in(".")));
        assertEquals(2, e.exitCode(), "a link out of the work folder is outside too");
        assertEquals(0, handovers);
        assertEquals("keep\n", Files.readString(secret));
    }

    @Test
    void withoutATerminalItSaysToUseTheTypedCommands() throws Exception {
        PacklabException e = assertThrows(PacklabException.class, () -> new Editor(false, handover)
                .edit("edit run/Dockerfile", in("stacks/distroless-python"), console, new Cancellation()));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("not at a terminal") && e.getMessage().contains("sed -i")
                && e.getMessage().contains("printf 'a line\\n' >> run/Dockerfile"), e.getMessage());
        assertEquals(0, handovers);
        assertEquals("FROM scratch\n", Files.readString(work.resolve("stacks/distroless-python/run/Dockerfile")));
    }

    @Test
    void theLinesAreInTheLearnersLanguageAndTheEnglishOnesStay() throws Exception {
        Wording ja = Wording.of("ja");
        PacklabException usage = assertThrows(PacklabException.class, () -> new Editor(true, handover)
                .edit("edit", in("."), console, new Cancellation(), ja));
        assertEquals(2, usage.exitCode());
        assertEquals("edit には、いまいるディレクトリ（作業ディレクトリ）からの相対パスでファイルを 1 つ指定します。例: `edit"
                + " stacks/distroless-python/run/Dockerfile`", usage.getMessage());
        assertEquals("edit takes one file, relative to the folder you are in (the work folder), for example `edit"
                + " stacks/distroless-python/run/Dockerfile`.", assertThrows(PacklabException.class,
                        () -> edit("edit", in("."))).getMessage());
        PacklabException pipe = assertThrows(PacklabException.class, () -> new Editor(false, handover)
                .edit("edit run/Dockerfile", in("stacks/distroless-python"), console, new Cancellation(), ja));
        assertTrue(pipe.getMessage().startsWith("edit: このシェルは端末につながっていない")
                && pipe.getMessage().contains("`printf 'a line\\n' >> run/Dockerfile`"), pipe.getMessage());
        new Editor(true, handover).edit("edit run/Dockerfile", in("stacks/distroless-python"), console,
                new Cancellation(), ja);
        assertTrue(out.toString().contains("run/Dockerfile を保存しました"), out.toString());
        env.put("EDITOR", "true");
        new Editor(true, handover).edit("edit run/Dockerfile", in("stacks/distroless-python"), console,
                new Cancellation(), ja);
        assertTrue(out.toString().contains("edit: run/Dockerfile は変わっていません。"), out.toString());
    }

    @Test
    void badInputIsExitCode2() {
        assertEquals(2, assertThrows(PacklabException.class, () -> edit("edit", in("."))).exitCode());
        assertEquals(2, assertThrows(PacklabException.class, () -> edit("edit a b", in("."))).exitCode());
        PacklabException folder = assertThrows(PacklabException.class, () -> edit("edit stacks", in(".")));
        assertEquals(2, folder.exitCode());
        assertTrue(folder.getMessage().contains("stacks is a folder"), folder.getMessage());
        PacklabException noFolder = assertThrows(PacklabException.class, () -> edit("edit nowhere/x.txt", in(".")));
        assertEquals(2, noFolder.exitCode());
        assertTrue(noFolder.getMessage().contains("there is no folder nowhere"), noFolder.getMessage());
        assertEquals(0, handovers);
    }

    @Test
    void anEditorThatFailsOrIsMissing() throws Exception {
        env.put("EDITOR", script("fails", "exit 3\n").toString());
        PacklabException failed = assertThrows(PacklabException.class, () -> edit("edit run/Dockerfile",
                in("stacks/distroless-python")));
        assertEquals(1, failed.exitCode());
        assertTrue(failed.getMessage().contains("ended with exit code 3; run/Dockerfile is as the editor left it"),
                failed.getMessage());
        env.put("EDITOR", outside.resolve("no-such-editor").toString());
        PacklabException missing = assertThrows(PacklabException.class, () -> edit("edit run/Dockerfile",
                in("stacks/distroless-python")));
        assertEquals(2, missing.exitCode());
        assertTrue(missing.getMessage().contains("was not found or cannot run") && missing.getMessage()
                .contains("it comes from $EDITOR"), missing.getMessage());
    }

    @Test
    void anUnchangedFileIsSaidSo() throws Exception {
        env.put("EDITOR", "true");
        edit("edit run/Dockerfile", in("stacks/distroless-python"));
        assertTrue(out.toString().contains("edit: run/Dockerfile is unchanged."), out.toString());
    }

    /** The JLine handover: the terminal's modes come back as they were, and Ctrl-C stops the editor. */
    @Test
    void theTerminalIsTakenBackAndCtrlCStopsTheEditor() throws Exception {
        try (Terminal terminal = TerminalBuilder.builder().dumb(true).system(false)
                .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).build()) {
            Attributes before = new Attributes(terminal.getAttributes());
            env.put("EDITOR", script("slow", "sleep 30\n").toString());
            Cancellation cancellation = new Cancellation();
            Editor editor = new Editor(true, Editor.jline(terminal));
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                cancellation.cancel();
            });
            stopper.start();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(StepCancelledException.class,
                    () -> editor.edit("edit run/Dockerfile", in("stacks/distroless-python"), console, cancellation)));
            assertEquals(before.toString(), terminal.getAttributes().toString());

            env.put("EDITOR", script.toString());
            editor.edit("edit run/Dockerfile", in("stacks/distroless-python"), console, new Cancellation());
            assertTrue(Files.readString(work.resolve("stacks/distroless-python/run/Dockerfile")).endsWith(
                    "edited in distroless-python: run/Dockerfile\n"));
        }
    }
}
