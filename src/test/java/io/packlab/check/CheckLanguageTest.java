package io.packlab.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.SourceLocation;
import io.packlab.support.FakeEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckLanguageTest {

    private static final SourceLocation AT = new SourceLocation(Path.of("lessons/en/01-stack.md"), 42);
    private final CheckLanguage language = CheckLanguage.standard();

    private final FakeEngine engine = new FakeEngine()
            .with("stack:build", FakeEngine.image("sha256:1111111111111111",
                    Map.of("io.buildpacks.stack.id", "com.example.stack",
                            "io.buildpacks.lifecycle.metadata", "{\"runImage\":{\"topLayer\":\"sha256:bb\"},\"n\":3}"),
                    List.of("PATH=/usr/bin", "CNB_USER_ID=1000"), "1000:1000"))
            .with("stack:run", FakeEngine.image("sha256:2222222222222222",
                    Map.of("io.buildpacks.stack.id", "com.example.other"), List.of(), ""));

    private CheckResult eval(String line) {
        Check check = language.parse(line, AT).orElseThrow();
        return check.evaluate(new CheckContext(engine));
    }

    @Test
    void blankAndCommentLinesAreNoChecks() {
        assertEquals(Optional.empty(), language.parse("   ", AT));
        assertEquals(Optional.empty(), language.parse("# a comment", AT));
    }

    @Test
    void imageExistsPassesAndFailsWithTheMissingName() {
        assertTrue(eval("image stack:build exists").passed());
        CheckResult r = eval("image nope:latest exists");
        assertFalse(r.passed());
        assertEquals("image nope:latest exists", r.expected());
        assertEquals("no image nope:latest in the engine", r.found());
    }

    @Test
    void absentIsTheOpposite() {
        assertTrue(eval("image nope:latest absent").passed());
        assertFalse(eval("image stack:build absent").passed());
    }

    @Test
    void labelEqualsShowsWhatWasFound() {
        assertTrue(eval("image stack:build label io.buildpacks.stack.id = com.example.stack").passed());
        assertTrue(eval("image stack:build label io.buildpacks.stack.id == com.example.stack").passed());
        CheckResult r = eval("image stack:run label io.buildpacks.stack.id = com.example.stack");
        assertFalse(r.passed());
        assertEquals("io.buildpacks.stack.id=com.example.stack", r.expected());
        assertEquals("io.buildpacks.stack.id=com.example.other", r.found());
    }

    @Test
    void labelExists() {
        assertTrue(eval("image stack:build label io.buildpacks.stack.id exists").passed());
        CheckResult r = eval("image stack:build label io.buildpacks.stack.mixins exists");
        assertFalse(r.passed());
        assertEquals("no label io.buildpacks.stack.mixins on stack:build", r.found());
    }

    @Test
    void jsonPointerComparesJsonAndText() {
        assertTrue(eval("image stack:build label io.buildpacks.lifecycle.metadata json /runImage/topLayer = sha256:bb").passed());
        assertTrue(eval("image stack:build label io.buildpacks.lifecycle.metadata json /runImage/topLayer = \"sha256:bb\"").passed());
        assertTrue(eval("image stack:build label io.buildpacks.lifecycle.metadata json /n = 3").passed());
        CheckResult missing = eval("image stack:build label io.buildpacks.lifecycle.metadata json /runImage/reference = x");
        assertFalse(missing.passed());
        assertEquals("nothing at /runImage/reference", missing.found());
        CheckResult notJson = eval("image stack:build label io.buildpacks.stack.id json /a = b");
        assertFalse(notJson.passed());
        assertTrue(notJson.found().startsWith("a label that is not JSON"), notJson.found());
    }

    @Test
    void envEqualsAndExists() {
        assertTrue(eval("image stack:build env CNB_USER_ID = 1000").passed());
        assertTrue(eval("image stack:build env CNB_USER_ID exists").passed());
        CheckResult r = eval("image stack:build env CNB_GROUP_ID exists");
        assertFalse(r.passed());
        assertEquals("CNB_GROUP_ID not set", r.found());
        assertFalse(eval("image stack:build env CNB_USER_ID = 0").passed());
    }

    @Test
    void userNotRoot() {
        assertTrue(eval("image stack:build user not root").passed());
        CheckResult r = eval("image stack:run user not root");
        assertFalse(r.passed());
        assertEquals("no USER set (containers run as root)", r.found());
    }

    @Test
    void rootByNameOrNumberIsRoot() {
        FakeEngine e = new FakeEngine()
                .with("a", FakeEngine.image("sha256:a", Map.of(), List.of(), "root"))
                .with("b", FakeEngine.image("sha256:b", Map.of(), List.of(), "0:1000"));
        for (String ref : List.of("a", "b")) {
            Check c = language.parse("image " + ref + " user not root", AT).orElseThrow();
            assertFalse(c.evaluate(new CheckContext(e)).passed(), ref);
        }
    }

    @Test
    void sameLabelOnTwoImages() {
        CheckResult r = eval("same label io.buildpacks.stack.id on stack:build stack:run");
        assertFalse(r.passed());
        assertEquals("stack:build: com.example.stack, stack:run: com.example.other", r.found());
        assertFalse(eval("same label io.buildpacks.stack.id on stack:build nope").passed());
    }

    @Test
    void inspectsEachImageOncePerContext() {
        CheckContext context = new CheckContext(engine);
        for (String line : List.of("image stack:build exists", "image stack:build user not root",
                "image stack:build env CNB_USER_ID exists")) {
            language.parse(line, AT).orElseThrow().evaluate(context);
        }
        assertEquals(1, engine.inspections);
    }

    @Test
    void hintAfterTheCheckIsKeptApartFromItsSource() {
        Check c = language.parse("image a exists   # hint: build it first", AT).orElseThrow();
        assertEquals("image a exists", c.source());
        assertEquals(Optional.of("build it first"), c.hint());
        assertEquals(Optional.empty(), language.parse("image a exists # just a note", AT).orElseThrow().hint());
    }

    @Test
    void quotedValuesMayHoldBlanksAndHashes() {
        FakeEngine e = new FakeEngine().with("a", FakeEngine.image("sha256:a", Map.of("k", "a # b"), List.of(), "1"));
        Check c = language.parse("image a label k = \"a # b\"", AT).orElseThrow();
        assertTrue(c.evaluate(new CheckContext(e)).passed());
    }

    /** Check lines are cut as sh cuts a command (ShellWords.literal): backslashes escape, $ is only a character. */
    @Test
    void checkWordsFollowTheShellsQuotingWithoutExpanding() {
        FakeEngine e = new FakeEngine().with("a", FakeEngine.image("sha256:a",
                Map.of("k", "a b", "price", "$5 'each'", "path", "C:\\x"), List.of(), "1"));
        assertTrue(language.parse("image a label k = a\\ b", AT).orElseThrow().evaluate(new CheckContext(e)).passed());
        assertTrue(language.parse("image a label price = \"$5 'each'\"", AT).orElseThrow()
                .evaluate(new CheckContext(e)).passed());
        assertTrue(language.parse("image a label price = $5\\ \\'each\\'   # hint: it's \"quoted\"", AT).orElseThrow()
                .evaluate(new CheckContext(e)).passed());
        assertTrue(language.parse("image a label path = 'C:\\x'", AT).orElseThrow().evaluate(new CheckContext(e)).passed());
        Check hinted = language.parse("image a label k = \"a b\" # hint: it's \"quoted\"", AT).orElseThrow();
        assertEquals(Optional.of("it's \"quoted\""), hinted.hint());
        assertEquals("image a label k = \"a b\"", hinted.source());
    }

    @Test
    void unknownVerbNamesFileLineAndTheVerbs() {
        CheckSyntaxException e = assertThrows(CheckSyntaxException.class, () -> language.parse("imgae a exists", AT));
        assertTrue(e.getMessage().startsWith("lessons/en/01-stack.md:42: unknown check verb `imgae`"), e.getMessage());
        assertTrue(e.getMessage().contains("image, same"), e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @Test
    void malformedLinesSayWhatWasExpected() {
        assertMessage("image a", "the line ends where `exists` or `absent` or `label` or `env` or `user` or `runs-on`"
                + " or `app-layers` or `id` or `config` was expected");
        assertMessage("image a label", "the line ends where a label key was expected");
        assertMessage("image a label k equals v", "found `equals` where `=` or `==` was expected");
        assertMessage("image a exists now", "unexpected `now` at the end of the line");
        assertMessage("image a label k json topLayer = x", "the JSON pointer `topLayer` must start with /");
        assertMessage("image a user is root", "found `is` where `not` was expected");
        assertMessage("image \"a exists", "the quote \" opened at column 7 in `image \"a exists` is not closed;"
                + " close it or remove it.");
        assertMessage("image a label k = $'a\\tb'", "`$'` at column 19 in `image a label k = $'a\\tb'` is bash's $'…'"
                + " quoting");
        assertMessage("image a\u3000exists", "column 8 of `image a\u3000exists` holds U+3000 IDEOGRAPHIC SPACE");
        assertMessage("same label k on a", "the line ends where the second image reference was expected");
    }

    private void assertMessage(String line, String expected) {
        CheckSyntaxException e = assertThrows(CheckSyntaxException.class, () -> language.parse(line, AT));
        assertTrue(e.getMessage().startsWith("lessons/en/01-stack.md:42: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void runsOnComparesTheRecordedTopLayerWithTheRunImage() {
        FakeEngine e = new FakeEngine()
                .with("run", new io.packlab.engine.ImageInfo("sha256:r", List.of(), Map.of(), List.of(), "1", "",
                        List.of(), List.of(), List.of("sha256:aa", "sha256:bb"), 1))
                .with("app", new io.packlab.engine.ImageInfo("sha256:app", List.of(), Map.of(
                        "io.buildpacks.lifecycle.metadata", "{\"runImage\":{\"topLayer\":\"sha256:bb\"}}"), List.of(),
                        "1", "", List.of(), List.of(), List.of("sha256:aa", "sha256:bb", "sha256:cc"), 1))
                .with("stale", new io.packlab.engine.ImageInfo("sha256:old", List.of(), Map.of(
                        "io.buildpacks.lifecycle.metadata", "{\"runImage\":{\"topLayer\":\"sha256:aa\"}}"), List.of(),
                        "1", "", List.of(), List.of(), List.of("sha256:aa", "sha256:cc"), 1));
        assertTrue(language.parse("image app runs-on run", AT).orElseThrow().evaluate(new CheckContext(e)).passed());
        CheckResult stale = language.parse("image stale runs-on run", AT).orElseThrow().evaluate(new CheckContext(e));
        assertFalse(stale.passed());
        assertTrue(stale.found().startsWith("runImage.topLayer aa, run's top layer bb"), stale.found());

        io.packlab.engine.ImageSnapshot before = new io.packlab.engine.ImageSnapshot("app", "sha256:before",
                List.of("sha256:zz", "sha256:cc"), "sha256:zz", Map.of(), List.of());
        CheckContext ctx = new CheckContext(e, Path.of("."), name -> name.equals("before-rebase")
                ? Optional.of(before) : Optional.empty());
        assertTrue(language.parse("image app app-layers = snapshot before-rebase", AT).orElseThrow().evaluate(ctx)
                .passed(), "the layers above the run image are the same");
        assertTrue(language.parse("image app id != snapshot before-rebase", AT).orElseThrow().evaluate(ctx).passed());
        CheckResult none = language.parse("image app id != snapshot never", AT).orElseThrow().evaluate(ctx);
        assertEquals("no snapshot never was taken (its step has not run)", none.found());
    }

    @Test
    void configSnapshotTellsARebaseFromARebuild() {
        String meta = "io.buildpacks.lifecycle.metadata";
        Map<String, String> built = Map.of(meta, "{\"runImage\":{\"topLayer\":\"sha256:aa\"}}",
                "io.buildpacks.stack.id", "s", "io.packlab.lesson", "build", "app", "1");
        io.packlab.engine.ImageSnapshot before = new io.packlab.engine.ImageSnapshot("webapp", "sha256:before",
                List.of("sha256:aa", "sha256:cc"), "sha256:aa", built, List.of("PATH=/cnb/process", "HOME=/"));
        // a rebase: new lifecycle metadata, stack label and lesson label; the rest as it was
        io.packlab.engine.ImageInfo rebased = FakeEngine.image("sha256:rebased", Map.of(meta,
                "{\"runImage\":{\"topLayer\":\"sha256:bb\"}}", "io.buildpacks.stack.id", "s2",
                "io.buildpacks.base.distro.name", "debian", "io.packlab.lesson", "rebase", "app", "1"),
                List.of("HOME=/", "PATH=/cnb/process"), "1");
        // a rebuild on a run image that gained a label and an env entry: both come with the build
        io.packlab.engine.ImageInfo rebuilt = FakeEngine.image("sha256:rebuilt", Map.of(meta, "{}", "app", "1",
                "io.packlab.tutorial.patch", "1"), List.of("PATH=/cnb/process", "HOME=/", "TZ=UTC"), "1");
        FakeEngine e = new FakeEngine().with("rebased", rebased).with("rebuilt", rebuilt);
        CheckContext ctx = new CheckContext(e, Path.of("."), name -> name.equals("before-rebase")
                ? Optional.of(before) : Optional.empty());
        CheckResult kept = language.parse("image rebased config = snapshot before-rebase", AT).orElseThrow().evaluate(ctx);
        assertTrue(kept.passed(), kept.found());
        assertEquals("the same labels and env as at snapshot before-rebase", kept.found());
        CheckResult built2 = language.parse("image rebuilt config = snapshot before-rebase", AT).orElseThrow().evaluate(ctx);
        assertFalse(built2.passed());
        assertEquals("label io.packlab.tutorial.patch=1 is new; env TZ=UTC is new", built2.found());
        CheckResult none = language.parse("image rebased config = snapshot never", AT).orElseThrow().evaluate(ctx);
        assertEquals("no snapshot never was taken (its step has not run)", none.found());
        io.packlab.engine.ImageSnapshot old = new io.packlab.engine.ImageSnapshot("webapp", "sha256:before",
                List.of("sha256:aa"), "sha256:aa", null, null);
        CheckResult older = language.parse("image rebased config = snapshot before-rebase", AT).orElseThrow()
                .evaluate(new CheckContext(e, Path.of("."), name -> Optional.of(old)));
        assertTrue(older.found().contains("take it again"), older.found());
        assertMessage("image a config snapshot s", "found `snapshot` where `=` or `==` was expected");
    }

    @Test
    void fileChecksLookInTheWorkFolder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("bp/bin"));
        java.nio.file.Files.writeString(dir.resolve("bp/bin/detect"), "#!/bin/sh\n");
        CheckContext ctx = new CheckContext(engine, dir, name -> Optional.empty());
        CheckResult notExecutable = language.parse("file bp/bin/detect executable", AT).orElseThrow().evaluate(ctx);
        assertFalse(notExecutable.passed());
        assertEquals("bp/bin/detect is not executable (chmod +x bp/bin/detect)", notExecutable.found());
        dir.resolve("bp/bin/detect").toFile().setExecutable(true);
        assertTrue(language.parse("file bp/bin/detect executable", AT).orElseThrow().evaluate(ctx).passed());
        assertFalse(language.parse("file bp/bin/build exists", AT).orElseThrow().evaluate(ctx).passed());
        CheckResult invalid = language.parse("buildpack bp valid", AT).orElseThrow().evaluate(ctx);
        assertEquals("no buildpack.toml in bp", invalid.found());
    }

    @Test
    void httpAndBuildpackLinesParse() {
        assertTrue(language.parse("http webapp port 8080 status 200 contains \"Hello, world\"", AT).isPresent());
        assertTrue(language.parse("buildpack buildpacks/python detects sample-app on stack:build", AT).isPresent());
        CheckSyntaxException port = assertThrows(CheckSyntaxException.class,
                () -> language.parse("http webapp port eighty status 200", AT));
        assertTrue(port.getMessage().contains("`eighty` is not a port number"), port.getMessage());
    }

    @Test
    void buildpackRunFormsParseAndTheBuildOutputIsRead() {
        assertTrue(language.parse("buildpack bp skips stacks on stack:build", AT).isPresent());
        assertTrue(language.parse("buildpack bp builds sample-app on stack:build", AT).isPresent());
        CheckSyntaxException e = assertThrows(CheckSyntaxException.class,
                () -> language.parse("buildpack bp runs app on img", AT));
        assertTrue(e.getMessage().contains("found `runs` where `valid` or `detects` or `skips` or `builds` was expected"),
                e.getMessage());
        BuildpackVerb.BuildOutput out = BuildpackVerb.BuildOutput.parse(List.of("### dir greeting", "### dir cache-only",
                "### file cache-only.toml", "[types]", "cache = true", "", "### file greeting.toml", "[types]",
                "launch = true", "", "### file orphan.toml", "[types]", "launch = true", "", "### file launch.toml",
                "[[processes]]", "type = \"web\"", "command = [\"python3\", \"app.py\"]", "default = true", ""));
        assertEquals(List.of("greeting"), out.launchLayers(), "a launch layer needs its folder and launch = true");
        assertEquals(List.of("web (python3 app.py)"), out.processes());
        BuildpackVerb.BuildOutput empty = BuildpackVerb.BuildOutput.parse(List.of());
        assertEquals(List.of(), empty.launchLayers());
        assertEquals(List.of(), empty.processes());
    }

    @Test
    void hugeLabelsAreShownAbbreviated() {
        String huge = "x".repeat(1_000_000);
        FakeEngine e = new FakeEngine().with("big", FakeEngine.image("sha256:b", Map.of("k", huge), List.of(), "1"));
        CheckResult r = language.parse("image big label k = y", AT).orElseThrow().evaluate(new CheckContext(e));
        assertFalse(r.passed());
        assertTrue(r.found().length() < 300, "found is abbreviated: " + r.found().length() + " characters");
        assertTrue(r.found().endsWith("..."), r.found());
    }

    @Test
    void everyVerbHasASynopsis() {
        for (CheckVerb verb : language.verbs()) {
            assertFalse(verb.synopsis().isEmpty(), verb.name());
            verb.synopsis().forEach(s -> assertTrue(s.startsWith(verb.name() + " "), s));
        }
    }
}
