package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without Docker: parsing, listing, rendering, usage errors and the no-engine exit code. */
class CliTest {

    @TempDir
    Path work;

    record Run(int code, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        InProcessCli.Run r = InProcessCli.run(work, env, args);
        return new Run(r.code(), r.out(), r.err());
    }

    private Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void listShowsEveryLessonWithItsStatus() {
        Run r = run("list");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.matches("(?s)\\s*1\\s+stack\\s+current\\s+Create a stack.*"), r.out);
    }

    @Test
    void listOfAnotherLessonFolder() {
        Run r = run("--lessons=src/test/resources/lessons/two", "list");
        assertEquals(0, r.code, r.err);
        String[] lines = r.out.strip().split("\n");
        assertEquals(2, lines.length, r.out);
        assertTrue(lines[0].contains("first") && lines[0].contains("current"), lines[0]);
        assertTrue(lines[1].contains("second") && lines[1].contains("todo"), lines[1]);
    }

    @Test
    void showRendersTheLessonInEnglishAndJapanese() {
        Run en = run("show", "stack");
        assertEquals(0, en.code, en.err);
        assertTrue(en.out.startsWith("Create a stack\n"), en.out);
        assertTrue(en.out.contains("│ docker build -t distroless-python:build ./build"), en.out);
        assertFalse(en.out.contains("```"), "fences are rendered, not printed");
        assertFalse(en.out.contains("\u001b["), "--no-color");

        Run ja = run("--lang", "ja", "show", "1");
        assertEquals(0, ja.code, ja.err);
        assertTrue(ja.out.contains("スタック"), ja.out);
        assertTrue(ja.out.contains("│ docker build -t distroless-python:build ./build"), ja.out);
    }

    @Test
    void usageErrorsExitWithTwoAndOneParagraph() {
        Run unknownLesson = run("show", "nope");
        assertEquals(2, unknownLesson.code);
        assertEquals("error: there is no lesson `nope`. The lessons are: stack, buildpack, package, builder, build,"
                + " add-buildpack, rebase (or their numbers 1-7).",
                unknownLesson.err.strip());

        Run unknownOption = run("list", "--bogus");
        assertEquals(2, unknownOption.code);
        assertTrue(unknownOption.err.startsWith("error: Unknown option: '--bogus'"), unknownOption.err);

        Run lang = run("--lang", "fr", "list");
        assertEquals(2, lang.code);
        assertTrue(lang.err.contains("no lessons in language `fr`"), lang.err);

        Run verb = run("bogus");
        assertEquals(2, verb.code);
        assertTrue(verb.err.startsWith("error: `bogus` is not a packlab command. The commands are: list, show, run,"),
                verb.err);

        Run both = run("run", "--all", "stack");
        assertEquals(2, both.code);
    }

    @Test
    void noEngineExitsWithThreeAndSaysHowToStartOne() {
        Run r = run(Map.of("DOCKER_HOST", "unix:///nonexistent.sock"), "check", "stack");
        assertEquals(3, r.code, r.out + r.err);
        String err = r.err.strip();
        assertTrue(err.startsWith("error: packlab cannot reach a Docker engine at unix:///nonexistent.sock"), err);
        assertTrue(err.contains("dockerd"), err);
        assertFalse(err.contains("\n"), "one paragraph: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void doctorWithoutAnEngineSaysSoAndExitsWithThree() {
        Run r = run(Map.of("DOCKER_HOST", "unix:///nonexistent.sock"), "doctor");
        assertEquals(3, r.code, r.out + r.err);
        assertTrue(r.out.contains("✔ lessons: 7 in lessons/en"), r.out);
        assertTrue(r.out.contains("✘ Docker engine: packlab cannot reach a Docker engine"), r.out);
        assertTrue(r.out.strip().endsWith("Fix the findings marked ✘, then run doctor again."), r.out);
    }

    @Test
    void packBuildpackNewScaffoldsWithoutAnEngineAndRefusesToOverwrite() throws Exception {
        Map<String, String> noEngine = Map.of("DOCKER_HOST", "unix:///nonexistent.sock", "PATH", "/nonexistent");
        Path target = work.resolve("scratch/my-cnb");
        Run r = run(noEngine, "--engine", "builtin", "pack", "buildpack", "new", "example/my-cnb", "--api", "0.9",
                "--path", target.toString(), "--version", "0.0.1", "--stacks", "com.example.stacks.distroless-python");
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(java.nio.file.Files.isExecutable(target.resolve("bin/detect")));
        assertTrue(java.nio.file.Files.isExecutable(target.resolve("bin/build")));
        String toml = java.nio.file.Files.readString(target.resolve("buildpack.toml"));
        assertTrue(toml.contains("api = \"0.9\"") && toml.contains("id = \"example/my-cnb\""), toml);
        java.nio.file.Files.writeString(target.resolve("bin/build"), "#!/bin/sh\n# mine\n");
        java.nio.file.Files.delete(target.resolve("buildpack.toml"));
        Run again = run(noEngine, "--engine", "builtin", "pack", "buildpack", "new", "example/my-cnb", "--path",
                target.toString());
        assertEquals(2, again.code, again.out + again.err);
        assertTrue(again.err.contains("exists: pack buildpack new scaffolds only into a new folder"), again.err);
        assertEquals("#!/bin/sh\n# mine\n", java.nio.file.Files.readString(target.resolve("bin/build")),
                "nothing the learner made is overwritten");
    }

    @Test
    void packFlagsTheBuiltinPlatformDoesNotKnowAreNamed() {
        Run r = run(Map.of("PATH", "/nonexistent"), "--engine", "builtin", "pack", "build", "webapp", "--builder", "b",
                "--network", "host");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("'--network'"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
    }

    @Test
    void recordWritesAnAsciicastOfTheSession() throws Exception {
        Path cast = work.resolve("session.cast");
        Run r = run("--record", cast.toString(), "list");
        assertEquals(0, r.code, r.err);
        List<String> lines = java.nio.file.Files.readAllLines(cast);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode header = json.readTree(lines.get(0));
        assertEquals(2, header.path("version").asInt());
        assertEquals(80, header.path("width").asInt());
        StringBuilder output = new StringBuilder();
        double last = 0;
        for (String line : lines.subList(1, lines.size())) {
            com.fasterxml.jackson.databind.JsonNode event = json.readTree(line);
            assertTrue(event.get(0).asDouble() >= last, "times only grow: " + line);
            last = event.get(0).asDouble();
            assertEquals("o", event.get(1).asText());
            output.append(event.get(2).asText());
        }
        assertTrue(output.toString().contains("add-buildpack"), output.toString());
        assertTrue(output.toString().contains("\r\n"), "line ends as a terminal wants them");
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertEquals(0, v.code);
        assertTrue(v.out.startsWith("packlab "), v.out);
        Run h = run("--help");
        assertEquals(0, h.code);
        for (String verb : new String[] {"list", "show", "run", "check", "reset", "doctor", "docker", "pack"}) {
            assertTrue(h.out.contains("  " + verb + " "), verb + " in " + h.out);
        }
        assertTrue(h.out.matches("(?s).*\\n\\s+3\\s+no engine reachable\\R.*"), h.out);
        assertTrue(h.out.matches("(?s).*\\n\\s+130\\s+stopped by Ctrl-C \\(SIGINT; 143 for SIGTERM, 129 for SIGHUP\\)\\R.*"),
                h.out);
    }

    @Test
    void dockerBuildRejectsUnknownOptionsBeforeTouchingTheEngine() {
        Run r = run(Map.of("DOCKER_HOST", "unix:///nonexistent.sock"), "docker", "build", "--squash", ".");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("Unknown option: '--squash'"), r.err);
    }

    @Test
    void aRunBuildsOnlyTheSubcommandItNamesAndHelpListsThemAll() {
        PacklabCommand root = new PacklabCommand(new Environment(Path.of("").toAbsolutePath(),
                new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter()),
                Map.of(), false));
        assertEquals(java.util.Set.of("check"),
                Main.commandLine(root, new String[] {"--workdir", "check", "check", "stack"}).getSubcommands().keySet(),
                "--workdir takes a value (here a folder named check); the command is the second check");
        assertEquals(java.util.Set.of("pack"),
                Main.commandLine(root, new String[] {"--engine=builtin", "--no-color", "pack", "build"})
                        .getSubcommands().keySet());
        assertEquals(PacklabCommand.SUBCOMMANDS.size(),
                Main.commandLine(root, new String[] {"--help"}).getSubcommands().size());
        assertEquals(PacklabCommand.SUBCOMMANDS.size(),
                Main.commandLine(root, new String[] {"completion", "bash"}).getSubcommands().size(),
                "completion describes every command");
        assertEquals(PacklabCommand.SUBCOMMANDS.size(),
                Main.commandLine(root, new String[] {"chek"}).getSubcommands().size(), "a typo gets the full list");
    }
}
