package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.platform.CompositeDetection.Component;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A composite's order resolved (depth first, as detection tries it) from buildpacks on this machine and in an image, and its groups judged; no engine. */
class CompositeDetectionTest {

    private static BuildpackDescriptor bp(String dir, String id, String body) {
        return BuildpackDescriptor.parse(Path.of("/bps", dir, "buildpack.toml"), "api = \"0.10\"\n[buildpack]\nid = \""
                + id + "\"\nversion = \"1.0.0\"\n" + body);
    }

    private static final BuildpackDescriptor A = bp("a", "t/a", "");
    private static final BuildpackDescriptor INNER = bp("inner", "t/inner", """
            [[order]]
            [[order.group]]
            id = "t/a"
            version = "1.0.0"
            [[order.group]]
            id = "t/b"
            version = "1.0.0"
            optional = true
            """);
    private static final BuildpackDescriptor OUTER = bp("outer", "t/outer", """
            [[order]]
            [[order.group]]
            id = "t/inner"
            version = "1.0.0"
            [[order]]
            [[order.group]]
            id = "t/c"
            version = "1.0.0"
            """);
    /** An image that holds t/b and t/c under /cnb/buildpacks. */
    private static final Map<String, String> IMAGE = Map.of(Cnb.LABEL_BUILDPACK_LAYERS,
            "{\"t/b\":{\"1.0.0\":{\"api\":\"0.9\"}},\"t/c\":{\"1.0.0\":{\"api\":\"0.12\"}}}");

    @Test
    void nestedGroupsTakeFoldersFirstThenTheImage() {
        List<List<Component>> groups = CompositeDetection.groups(OUTER, List.of(A, INNER), IMAGE, "here");
        assertEquals(List.of(List.of("t/a@1.0.0", "t/b@1.0.0"), List.of("t/c@1.0.0")),
                groups.stream().map(g -> g.stream().map(Component::key).toList()).toList());
        Component a = groups.get(0).get(0);
        Component b = groups.get(0).get(1);
        assertEquals(Optional.of(Path.of("/bps/a")), a.folder());
        assertFalse(a.optional());
        assertEquals(Optional.empty(), b.folder());
        assertTrue(b.optional());
        assertEquals("/cnb/buildpacks/t_b/1.0.0", b.imageDir());
    }

    @Test
    void aBuildpackFoundNowhereIsNamedWithWhatWasSearched() {
        PlatformException e = assertThrows(PlatformException.class,
                () -> CompositeDetection.groups(OUTER, List.of(INNER), Map.of(), "the folders here"));
        assertEquals("composite buildpack t/inner@1.0.0 names t/a@1.0.0, which is not in the folders here;"
                + " composite buildpack t/inner@1.0.0 names t/b@1.0.0 (optional), which is not in the folders here;"
                + " composite buildpack t/outer@1.0.0 names t/c@1.0.0, which is not in the folders here.",
                e.getMessage());
    }

    @Test
    void aGroupPassesWhenItsRequiredBuildpacksPassAndThePlanMatches() {
        List<Component> group = CompositeDetection.groups(INNER, List.of(A), IMAGE, "here").get(0);
        Component a = group.get(0);
        Component b = group.get(1);
        String provides = "[[provides]]\nname = \"x\"\n[[requires]]\nname = \"x\"\n";
        assertTrue(CompositeDetection.judge(List.of(new CompositeDetection.Run(a, 0, List.of(), provides),
                new CompositeDetection.Run(b, 100, List.of(), ""))).passed(), "an optional one may fail");
        CompositeDetection.Verdict failed = CompositeDetection.judge(List.of(
                new CompositeDetection.Run(a, 100, List.of("no app here"), ""),
                new CompositeDetection.Run(b, 0, List.of(), "")));
        assertFalse(failed.passed());
        assertEquals("t/a@1.0.0 failed detection (exit code 100: no app here)", failed.reason());
        CompositeDetection.Verdict unmatched = CompositeDetection.judge(List.of(
                new CompositeDetection.Run(a, 0, List.of(), "[[requires]]\nname = \"y\"\n")));
        assertFalse(unmatched.passed());
        assertTrue(unmatched.reason().contains("y"), unmatched.reason());
    }
}
