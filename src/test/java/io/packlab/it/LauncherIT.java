package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.packlab.cnb.platform.LifecycleImage;
import io.packlab.cnb.platform.Reporter;
import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.engine.ImageInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * packlab's own launcher on the real engine: the launcher image is built from the C source in the
 * jar; two images with a hand-made {@code /layers} tree run it, one on the distroless run image
 * (no shell: direct processes, exec.d in Python) and one on Debian (processes through bash, with
 * profile.d and the app's .profile). Each {@code docker run} is checked for the process, its
 * arguments, its folder and the environment the spec's rules compose over {@code -e} values.
 */
class LauncherIT {

    private static final String DISTROLESS = "packlab-base/distroless-python3:debian12";
    private static final String DEBIAN = "packlab-base/debian:bookworm-slim";
    private static final String DIRECT = "packlab-it-launcher-direct:latest";
    private static final String SHELL = "packlab-it-launcher-shell:latest";
    private static final String LAUNCH_PATH = "/cnb/process:/cnb/lifecycle:/usr/local/bin:/usr/bin:/bin";

    @TempDir
    static Path temp;

    private static DockerEngine engine;
    private static Set<String> before;
    private static String lifecycle;
    private static final List<String> built = new ArrayList<>();

    @BeforeAll
    static void images() throws Exception {
        engine = DockerSupport.engine();
        DockerSupport.requireProgram("docker");
        for (String base : List.of(DISTROLESS, DEBIAN)) {
            if (engine.inspectImage(base).isEmpty()) {
                fail("the base image " + base + " is missing: make it with sudo scripts/make-bases.sh");
            }
        }
        before = DockerSupport.leftovers(engine);
        List<String> said = new ArrayList<>();
        lifecycle = LifecycleImage.ensure(engine, new LifecycleImage.Base(Optional.of(DEBIAN), true), new Reporter() {
            @Override
            public void info(String line) {
                said.add(line);
            }

            @Override
            public void output(String line) {
                said.add(line);
            }
        }, Cancellation.none());
        System.out.println("launcher image " + lifecycle + ":\n" + String.join("\n", said));
        build(directImage(temp.resolve("direct")), DIRECT);
        build(shellImage(temp.resolve("shell")), SHELL);
    }

    @AfterAll
    static void cleanUp() {
        if (engine == null) {
            return;
        }
        built.forEach(i -> engine.removeImage(i, false));
        if (before != null) {
            assertEquals(before, DockerSupport.leftovers(engine), "no container, volume or dangling image is left");
        }
        engine.close();
    }

    @Test
    void theLauncherImageIsLabelledWithItsSourceAndHoldsAStaticLauncher() throws Exception {
        assertTrue(lifecycle.matches("packlab/lifecycle:[0-9a-f]{12}"), lifecycle);
        ImageInfo info = engine.inspectImage(lifecycle).orElseThrow();
        assertEquals(LifecycleImage.sourceHash(), info.labels().get(LifecycleImage.LABEL_SOURCE));
        assertEquals(lifecycle, LifecycleImage.ensure(engine, LifecycleImage.Base.publicDefault(), Reporter.quiet(),
                Cancellation.none()), "present: not built again");
        // the distroless image has no C library of its own for a dynamic program: only a static one runs
        Run r = docker("run", "--rm", "--entrypoint", "/cnb/lifecycle/launcher", DIRECT, "--", "python3", "-c",
                "print('static')");
        assertEquals(0, r.code, r.out);
        assertEquals("static", r.out.strip().lines().reduce((a, b) -> b).orElse(""), r.out);
    }

    @Test
    void theDefaultProcessGetsTheLaunchEnvComposedOverTheContainersOwn() throws Exception {
        Map<String, String> env = show(docker("run", "--rm", "-e", "A=user", "-e", "P=user", "-e", "D=user", "-e",
                "L=user", DIRECT));
        assertEquals("[\"default-arg\"]", env.get("ARGS"));
        assertEquals("user:one,two", env.get("A"), "append, with each layer's delimiter, in buildpack order");
        assertEquals("p1:user", env.get("P"), "prepend");
        assertEquals("o2", env.get("O"), "the later buildpack's unsuffixed file overrides (Buildpack API 0.8)");
        assertEquals("user", env.get("D"), "a default does not replace a value");
        assertEquals("old:user", env.get("L"), "unsuffixed below Buildpack API 0.5: prepended with ':'");
        assertEquals("web", env.get("W"), "env.launch/web/ applies to web");
        assertEquals("<unset>", env.get("B"), "a layer whose toml does not say launch = true is not applied");
        assertEquals("first:user:one,two", env.get("X"), "exec.d sees the launch env and sets X on fd 3");
        assertEquals("web:first:user:one,two", env.get("XW"), "exec.d/web/ runs after exec.d/ and sees its X");
        assertEquals("/workspace", env.get("EXECD_CWD"), "exec.d runs in the app folder");
        assertEquals("/layers/bp_two/cc/bin:/layers/bp_one/aa/bin:/usr/local/bin:/usr/bin:/bin", env.get("PATH"),
                "layer bin/ on PATH, later buildpacks first; /cnb/process and /cnb/lifecycle removed");
        assertEquals("/layers/bp_one/aa/lib", env.get("LD_LIBRARY_PATH"));
        for (String hidden : List.of("CNB_APP_DIR", "CNB_LAYERS_DIR", "CNB_PLATFORM_API", "CNB_PROCESS_TYPE")) {
            assertEquals("<unset>", env.get(hidden), hidden + " is the platform's, not the process's");
        }
        assertEquals("/workspace", env.get("CWD"));

        Map<String, String> bare = show(docker("run", "--rm", "--user", "1000:1000", DIRECT));
        assertEquals("d1", bare.get("D"), "a default applies when the variable is unset");
        assertEquals("one,two", bare.get("A"), "no delimiter before the first value");
        assertEquals("old", bare.get("L"));
        assertEquals("1000", bare.get("UID"), "a non-root user can start it");
    }

    @Test
    void userArgumentsReplaceOrFollowTheDefaultsAsTheBuildpackApiSays() throws Exception {
        assertEquals("[\"u1\", \"u 2\"]", show(docker("run", "--rm", DIRECT, "u1", "u 2")).get("ARGS"),
                "Buildpack API 0.10: user arguments replace args");
        assertEquals("[\"always\", \"dflt\"]", show(docker("run", "--rm", "--entrypoint", "worker", DIRECT))
                .get("ARGS"), "command's own arguments, then the default args");
        Map<String, String> worker = show(docker("run", "--rm", "--entrypoint", "worker", DIRECT, "x"));
        assertEquals("[\"always\", \"x\"]", worker.get("ARGS"), "command's own arguments stay, user args replace args");
        assertEquals("<unset>", worker.get("W"), "env.launch/web/ is web's only");
        assertEquals("<unset>", worker.get("XW"), "exec.d/web/ is web's only");
        assertEquals("[\"legacy-default\", \"extra\"]", show(docker("run", "--rm", "--entrypoint", "legacy", DIRECT,
                "extra")).get("ARGS"), "Buildpack API 0.8: user arguments follow args");
        assertEquals("/layers", show(docker("run", "--rm", "--entrypoint", "wd", DIRECT)).get("CWD"), "working-dir");
    }

    @Test
    void theLauncherRunsACommandOrTheTypeInCnbProcessType() throws Exception {
        Map<String, String> direct = show(docker("run", "--rm", "--entrypoint", "launcher", DIRECT, "--", "python3",
                "/workspace/show.py", "z"));
        assertEquals("[\"z\"]", direct.get("ARGS"));
        assertEquals("<unset>", direct.get("W"), "no process type: no env.launch/<type>/");
        assertEquals("first:one,two", direct.get("X"), "exec.d runs for a command too");
        assertEquals("[\"always\", \"dflt\"]", show(docker("run", "--rm", "-e", "CNB_PROCESS_TYPE=worker",
                "--entrypoint", "/cnb/lifecycle/launcher", DIRECT)).get("ARGS"));
        Run unknown = docker("run", "--rm", "-e", "CNB_PROCESS_TYPE=nope", "--entrypoint", "launcher", DIRECT);
        assertEquals(82, unknown.code, unknown.out);
        assertTrue(unknown.out.contains("`nope`, which this image does not have"), unknown.out);
    }

    @Test
    void withNoDefaultProcessAndNoCommandItSaysWhichTypesExist() throws Exception {
        Run r = docker("run", "--rm", SHELL);
        assertEquals(82, r.code, r.out);
        assertTrue(r.out.startsWith("launcher: no process type was chosen and no command was given. This image's"
                + " process types: greet, words. Start one with `docker run --entrypoint <type> IMAGE"), r.out);
        assertEquals(1, r.out.strip().lines().count(), "one paragraph: " + r.out);
    }

    @Test
    void aProcessThatNeedsAShellSaysSoOnARunImageWithoutOne() throws Exception {
        Run r = docker("run", "--rm", "--entrypoint", "script", DIRECT);
        assertEquals(82, r.code, r.out);
        assertTrue(r.out.contains("process `script` runs through a shell (it is not direct), and this image has"
                + " neither /bin/bash nor /bin/sh"), r.out);
    }

    @Test
    void shellProcessesSourceProfileScriptsAndExpandTheirArguments() throws Exception {
        Run greet = docker("run", "--rm", "--entrypoint", "greet", SHELL);
        assertEquals(0, greet.code, greet.out);
        assertEquals(List.of("execd: sh", "G=profile:a-env T=typed APP=yes E=execd-sh", "/tmp"),
                greet.out.strip().lines().toList(), "profile.d/, profile.d/greet/, .profile; then working-dir");
        Run words = docker("run", "--rm", "--entrypoint", "words", SHELL, "more $A");
        assertEquals(0, words.code, words.out);
        assertEquals("<default><a-env><more a-env>", words.out.strip().lines().reduce((a, b) -> b).orElse(""),
                "each argument is one word, its variables expanded; Buildpack API 0.8 appends user arguments");
        Run command = docker("run", "--rm", SHELL, "echo", "$A", "two words");
        assertEquals("a-env two words", command.out.strip().lines().reduce((a, b) -> b).orElse(""), command.out);
        Run noShell = docker("run", "--rm", SHELL, "--", "echo", "$A");
        assertEquals("$A", noShell.out.strip().lines().reduce((a, b) -> b).orElse(""), "`--`: direct, no expansion");
        Run byEnv = docker("run", "--rm", "-e", "CNB_PROCESS_TYPE=greet", SHELL);
        assertTrue(byEnv.out.contains("T=typed"), byEnv.out);
        Run failing = docker("run", "--rm", SHELL, "exit 7");
        assertEquals(7, failing.code, "the process's own exit code: " + failing.out);
    }

    @Test
    void aFailingExecDProgramOrOneThatWritesNoStringsStopsTheLaunch() throws Exception {
        Run failed = docker("run", "--rm", "-e", "FAIL_EXECD=1", SHELL, "--", "true");
        assertEquals(82, failed.code, failed.out);
        assertTrue(failed.out.contains("launcher: the exec.d program /layers/bp_sh/ff/exec.d/sh failed (exit code 3)"),
                failed.out);
        Run bad = docker("run", "--rm", "-e", "BAD_EXECD=1", SHELL, "--", "true");
        assertEquals(82, bad.code, bad.out);
        assertTrue(bad.out.contains("wrote on fd 3: line 1: the value of E is not a string"), bad.out);
    }

    // --- the images --------------------------------------------------------------------------------

    private static Path directImage(Path dir) throws Exception {
        write(dir, "Dockerfile", """
                FROM %s
                COPY --from=%s /cnb/lifecycle/launcher /cnb/lifecycle/launcher
                COPY layers /layers
                COPY workspace /workspace
                COPY process /cnb/process
                ENV PATH=%s CNB_LAYERS_DIR=/layers CNB_APP_DIR=/workspace CNB_PLATFORM_API=0.12 \\
                    CNB_DEPRECATION_MODE=quiet
                WORKDIR /workspace
                ENTRYPOINT ["/cnb/process/web"]
                """.formatted(DISTROLESS, lifecycle, LAUNCH_PATH));
        write(dir, "layers/config/metadata.toml", """
                # as packlab's exporter writes it
                buildpack-default-process-type = "web"

                [[buildpacks]]
                id = "bp/one"
                version = "1.0.0"
                api = "0.10"

                [[buildpacks]]
                id = "bp/two"
                version = "2.0.0"
                api = "0.8"

                [[buildpacks]]
                id = 'bp/old'   # a literal string
                version = "0.1.0"
                api = "0.4"

                [[processes]]
                type = "web"
                command = ["python3", "/workspace/show.py"]
                args = ["default-arg"]
                direct = true
                default = true
                buildpack-id = "bp/one"

                [[processes]]
                type = "worker"
                command = [
                  "python3",
                  "/workspace/show.py",  # the rest of command is always given
                  "always",
                ]
                args = ["dflt"]
                direct = true
                buildpack-id = "bp/one"

                [[processes]]
                type = "legacy"
                command = "python3"
                args = ["/workspace/show.py", "legacy-default"]
                direct = true
                buildpack-id = "bp/two"

                [[processes]]
                type = "wd"
                command = ["python3", "/workspace/show.py"]
                args = []
                direct = true
                working-dir = "/layers"
                buildpack-id = "bp/one"

                [[processes]]
                type = "script"
                command = "echo \\"hi\\" \\u00e9"
                args = []
                direct = false
                buildpack-id = "bp/two"
                """);
        write(dir, "layers/bp_one/aa/env/A.append", "one");
        write(dir, "layers/bp_one/aa/env/A.delim", ":");
        write(dir, "layers/bp_one/aa/env/O.override", "o1");
        write(dir, "layers/bp_one/aa/env/D.default", "d1");
        write(dir, "layers/bp_one/aa/env.launch/P.prepend", "p1");
        write(dir, "layers/bp_one/aa/env.launch/P.delim", ":");
        write(dir, "layers/bp_one/aa/env.launch/web/W.append", "web");
        Files.createDirectories(dir.resolve("layers/bp_one/aa/bin"));
        Files.createDirectories(dir.resolve("layers/bp_one/aa/lib"));
        executable(dir, "layers/bp_one/bb/exec.d/10-first", """
                #!/usr/bin/python3
                import os
                print("exec.d first ran")
                os.write(3, ('X = "first:%s"\\nEXECD_CWD = "%s"  # a comment\\n' % (os.environ.get("A", ""),
                         os.getcwd())).encode())
                """);
        executable(dir, "layers/bp_one/bb/exec.d/web/20-web", """
                #!/usr/bin/python3
                import os
                os.write(3, ('XW = "web:%s"\\n' % os.environ["X"]).encode())
                """);
        write(dir, "layers/bp_two/cc.toml", "[types]\nlaunch = true\ncache = true\n\n[metadata]\nversion = \"1\"\n");
        write(dir, "layers/bp_two/cc/env.launch/A.append", "two");
        write(dir, "layers/bp_two/cc/env.launch/A.delim", ",");
        write(dir, "layers/bp_two/cc/env/O", "o2");
        Files.createDirectories(dir.resolve("layers/bp_two/cc/bin"));
        write(dir, "layers/bp_two/dd.toml", "[types]\nbuild = true\n");
        write(dir, "layers/bp_two/dd/env/B", "build-only");
        Files.createDirectories(dir.resolve("layers/bp_two/dd/bin"));
        write(dir, "layers/bp_old/ee/env/L", "old");
        write(dir, "workspace/show.py", """
                import json, os, sys
                print("ARGS=" + json.dumps(sys.argv[1:]))
                print("CWD=" + os.getcwd())
                print("UID=%d" % os.getuid())
                for k in ["A", "P", "O", "D", "L", "W", "B", "X", "XW", "EXECD_CWD", "PATH", "LD_LIBRARY_PATH",
                          "CNB_APP_DIR", "CNB_LAYERS_DIR", "CNB_PLATFORM_API", "CNB_PROCESS_TYPE"]:
                    print(k + "=" + os.environ.get(k, "<unset>"))
                """);
        links(dir, "web", "worker", "legacy", "wd", "script");
        return dir;
    }

    private static Path shellImage(Path dir) throws Exception {
        write(dir, "Dockerfile", """
                FROM %s
                COPY --from=%s /cnb/lifecycle/launcher /cnb/lifecycle/launcher
                COPY layers /layers
                COPY workspace /workspace
                COPY process /cnb/process
                ENV PATH=%s CNB_LAYERS_DIR=/layers CNB_APP_DIR=/workspace CNB_PLATFORM_API=0.12
                WORKDIR /workspace
                ENTRYPOINT ["/cnb/lifecycle/launcher"]
                CMD []
                """.formatted(DEBIAN, lifecycle, LAUNCH_PATH));
        write(dir, "layers/config/metadata.toml", """
                [[buildpacks]]
                id = "bp/sh"
                version = "1.0.0"
                api = "0.8"

                [[processes]]
                type = "greet"
                command = "echo \\"G=$G T=$T APP=$APP_PROFILE E=$E\\"; pwd"
                args = []
                direct = false
                working-dir = "/tmp"
                buildpack-id = "bp/sh"

                [[processes]]
                type = "words"
                command = "printf"
                args = ["<%s>", "default", "$A"]
                direct = false
                buildpack-id = "bp/sh"
                """);
        write(dir, "layers/bp_sh/ff/env/A.override", "a-env");
        write(dir, "layers/bp_sh/ff/profile.d/10-g.sh", "export G=\"profile:$A\"\n");
        write(dir, "layers/bp_sh/ff/profile.d/greet/t.sh", "export T=typed\n");
        executable(dir, "layers/bp_sh/ff/exec.d/sh", """
                #!/bin/sh
                echo 'execd: sh'
                [ -z "$FAIL_EXECD" ] || exit 3
                if [ -n "$BAD_EXECD" ]; then echo 'E = unquoted' >&3; exit 0; fi
                printf 'E = "execd-sh"\\n' >&3
                """);
        write(dir, "workspace/.profile", "export APP_PROFILE=yes\n");
        links(dir, "greet", "words");
        return dir;
    }

    private static void build(Path context, String tag) throws Exception {
        List<String> out = new ArrayList<>();
        engine.build(new BuildRequest(context, Optional.empty(), List.of(tag), Map.of(), Map.of(), false, false),
                out::add, Cancellation.none());
        built.add(tag);
    }

    private static void links(Path dir, String... types) throws Exception {
        Files.createDirectories(dir.resolve("process"));
        for (String type : types) {
            Files.createSymbolicLink(dir.resolve("process").resolve(type), Path.of(LifecycleImage.LAUNCHER));
        }
    }

    private static void write(Path dir, String file, String text) throws Exception {
        Path f = dir.resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void executable(Path dir, String file, String text) throws Exception {
        write(dir, file, text);
        Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    // --- running -----------------------------------------------------------------------------------

    private record Run(int code, String out) {
    }

    private static Run docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        System.out.println(String.join(" ", command) + " -> " + code + "\n" + out);
        return new Run(code, out);
    }

    /** The KEY=VALUE lines that show.py prints (exit code 0 required). */
    private static Map<String, String> show(Run r) {
        assertEquals(0, r.code, r.out);
        Map<String, String> values = new LinkedHashMap<>();
        r.out.lines().filter(l -> l.matches("[A-Z_]+=.*")).forEach(l -> values.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        assertFalse(values.isEmpty(), r.out);
        assertTrue(r.out.contains("exec.d first ran"), "exec.d's stdout is the container's: " + r.out);
        return values;
    }
}
