package io.packlab.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.packlab.cnb.platform.Requests;
import io.packlab.error.PacklabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PackArgs#parse} gives one kind of {@link Requests} per pack operation, and a bad line none. */
class PackRequestKindsTest {

    @TempDir
    static Path cwd;

    /** One line per operation, with the request it must give (in {@link #cwd}). */
    private static final Map<String, Requests> LINES = new LinkedHashMap<>();

    @BeforeAll
    static void files() throws Exception {
        Files.writeString(cwd.resolve("package.toml"), "");
        Files.writeString(cwd.resolve("builder.toml"), "");
        LINES.put("buildpack new example/hi --api 0.10 --targets linux/amd64",
                new Requests.NewBuildpack("example/hi", "0.10", cwd.resolve("hi"), "1.0.0", List.of(),
                        List.of("linux/amd64")));
        LINES.put("buildpack package example/hi-pkg --config package.toml",
                new Requests.PackageBuildpack("example/hi-pkg", cwd.resolve("package.toml")));
        LINES.put("builder create b:1 --config builder.toml",
                new Requests.CreateBuilder("b:1", cwd.resolve("builder.toml")));
        LINES.put("build app -B b:1 -e K=V --run-image run:2 --clear-cache -D worker",
                new Requests.Build("app", "b:1", List.of(), Map.of("K", "V"), cwd, Optional.of("run:2"), true,
                        Optional.of("worker")));
        LINES.put("rebase app --run-image run:3 --force",
                new Requests.Rebase("app", Optional.of("run:3"), false, List.of(), true));
    }

    private static Requests parse(String line) {
        return PackArgs.parse(List.of(line.split(" ")), cwd);
    }

    @Test
    void eachLineGivesItsRequest() {
        LINES.forEach((line, expected) -> assertEquals(expected, parse(line), line));
    }

    @Test
    void everyKindOfRequestComesFromSomePackLine() {
        Set<Class<?>> kinds = Set.copyOf(Arrays.asList(Requests.class.getPermittedSubclasses()));
        Set<Class<?>> parsed = LINES.keySet().stream().map(l -> parse(l).getClass()).collect(Collectors.toSet());
        assertEquals(kinds, parsed, "a new kind of request needs a line here, and a branch in each caller");
    }

    @Test
    void realPackIsWatchedForTheImageEachKindWritesToTheEngine() {
        Map<Class<?>, Optional<String>> expected = Map.of(
                Requests.NewBuildpack.class, Optional.empty(),
                Requests.PackageBuildpack.class, Optional.of("example/hi-pkg"),
                Requests.CreateBuilder.class, Optional.of("b:1"),
                Requests.Build.class, Optional.of("app"),
                Requests.Rebase.class, Optional.of("app"));
        for (String line : LINES.keySet()) {
            Requests r = parse(line);
            assertEquals(expected.get(r.getClass()), StepRunner.createdBy(r), line);
        }
        assertEquals(Optional.empty(), StepRunner.createdBy(parse("rebase reg.lan:5000/app --publish")),
                "a registry rebase writes nothing to the engine");
    }

    @Test
    void aLineThatNamesNoOperationIsABadInputParagraph() {
        PacklabException group = assertThrows(PacklabException.class, () -> parse("buildpack"));
        assertEquals(2, group.exitCode());
        assertEquals("`pack buildpack` names no operation. The built-in platform performs: pack buildpack new,"
                + " pack buildpack package, pack builder create, pack build, pack rebase.", group.getMessage());
        PacklabException unknown = assertThrows(PacklabException.class, () -> parse("builder inspect b:1"));
        assertEquals(2, unknown.exitCode());
        assertEquals("pack builder inspect b:1: Unmatched arguments from index 1: 'inspect', 'b:1'. The built-in"
                + " platform performs `pack buildpack new`, `pack buildpack package --config`, `pack builder create"
                + " --config`, `pack build --builder` and `pack rebase`; install pack for anything else.",
                unknown.getMessage());
    }
}
