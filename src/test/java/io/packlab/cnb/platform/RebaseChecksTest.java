package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.metadata.LifecycleMetadata;
import io.packlab.error.PacklabException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle rebaser's checks: below Platform API 0.12 the stack and mixins (no override); from 0.12 rebasable (of
 * the app), target and run image name, which --force overrides.
 */
class RebaseChecksTest {

    private final List<String> warnings = new ArrayList<>();
    private final Reporter out = new Reporter() {
        @Override
        public void info(String line) {
        }

        @Override
        public void output(String line) {
        }

        @Override
        public void warn(String line) {
            warnings.add(line);
        }
    };

    private static JsonNode json(String text) throws Exception {
        return Images.JSON.readTree(text);
    }

    private static ImageConfig image(String arch, String labels) throws Exception {
        return ImageConfig.of((ObjectNode) json("{\"os\":\"linux\",\"architecture\":\"" + arch
                + "\",\"config\":{\"Env\":[\"CNB_PLATFORM_API=0.12\"],\"Labels\":" + labels + "}}"));
    }

    @Test
    void rebasableIsReadFromTheAppImageAndForceOverridesIt() throws Exception {
        ImageConfig pinned = image("amd64", "{\"io.buildpacks.rebasable\":\"false\"}");
        ImageConfig free = image("amd64", "{}");
        PlatformException e = assertThrows(PlatformException.class, () -> RebaseChecks.validate(pinned, free, "run:new",
                "app", false, out));
        assertEquals(PacklabException.FAILED, e.exitCode());
        assertTrue(e.getMessage().startsWith("app image app is not marked as rebasable"), e.getMessage());
        assertTrue(e.getMessage().contains("--force"), e.getMessage());

        RebaseChecks.validate(free, pinned, "run:new", "app", false, out);
        assertTrue(warnings.isEmpty(), "the run image's own label is not the app's: " + warnings);

        RebaseChecks.validate(pinned, free, "run:new", "app", true, out);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("rebasing anyway (--force)"), warnings.toString());
    }

    @Test
    void aDifferentTargetIsRefusedUnlessForced() throws Exception {
        ImageConfig app = image("amd64", "{}");
        ImageConfig run = image("arm64", "{}");
        PlatformException e = assertThrows(PlatformException.class, () -> RebaseChecks.validate(app, run, "run:arm", "app",
                false, out));
        assertTrue(e.getMessage().contains("architecture `arm64`"), e.getMessage());
        RebaseChecks.validate(app, run, "run:arm", "app", true, out);
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void theNewRunImageMustBeNamedInTheMetadataOrItsMirrors() throws Exception {
        LifecycleMetadata meta = LifecycleMetadata.parse("{\"runImage\":{\"image\":\"registry.example/stack/run:1\",\"mirrors\":"
                + "[\"mirror.example/run\"]},\"stack\":{\"runImage\":{\"image\":\"old/run\"}}}");
        assertEquals(Optional.empty(), RebaseConfig.checkName(meta, "registry.example/stack/run:1", "app", false, "0.12",
                out));
        assertEquals(Optional.empty(), RebaseConfig.checkName(meta, "registry.example/stack/run:1@sha256:"
                + "a".repeat(64), "app", false, "0.12", out), "a digest does not change the name");
        assertEquals(Optional.empty(), RebaseConfig.checkName(meta, "mirror.example/run:latest", "app", false, "0.12",
                out), "a mirror, latest by default");
        assertEquals(Optional.empty(), RebaseConfig.checkName(meta, "docker.io/old/run:latest", "app", false, "0.12",
                out), "stack.runImage counts too; docker.io is the default registry");
        PlatformException e = assertThrows(PlatformException.class, () -> RebaseConfig.checkName(meta, "other/run:1",
                "app", false, "0.12", out));
        assertEquals("new base image 'other/run:1' not found in existing run image metadata: {\"image\":"
                + "\"registry.example/stack/run:1\",\"mirrors\":[\"mirror.example/run\"]}", e.getMessage().substring(0,
                e.getMessage().indexOf(". The app image")));
        assertTrue(e.getMessage().contains("add --force"), e.getMessage());
        assertEquals(Optional.of("other/run:1"), RebaseConfig.checkName(meta, "other/run:1", "app", true, "0.12", out));
        assertEquals(1, warnings.size());
        assertEquals(Optional.empty(), RebaseConfig.checkName(meta, "other/run:1", "app", false, "0.11", out),
                "no name check below Platform API 0.12");
        assertThrows(PlatformException.class, () -> RebaseConfig.checkName(LifecycleMetadata.parse("{}"), "run", "app", false, "0.12",
                out), "nothing recorded: refused");
    }

    @Test
    void theMetadataKeepsTheRecordedNameUnlessForcedOntoAnother() throws Exception {
        LifecycleMetadata meta = LifecycleMetadata.parse("{\"runImage\":{\"topLayer\":\"sha256:old\",\"image\":\"reg/run\",\"mirrors\":[\"m/run\"]},"
                + "\"stack\":{\"runImage\":{\"image\":\"reg/run\",\"mirrors\":[\"m/run\"]}}}");
        ObjectNode kept = RebaseConfig.metadata(meta, "sha256:new", "sha256:id", Optional.empty()).toJson();
        assertEquals("sha256:new", kept.at("/runImage/topLayer").asText());
        assertEquals("sha256:id", kept.at("/runImage/reference").asText());
        assertEquals("reg/run", kept.at("/runImage/image").asText(), "rebased through a mirror: the name stays");
        assertEquals("m/run", kept.at("/runImage/mirrors/0").asText());
        ObjectNode renamed = RebaseConfig.metadata(meta, "sha256:new", "sha256:id", Optional.of("other/run")).toJson();
        assertEquals("other/run", renamed.at("/runImage/image").asText());
        assertEquals(0, renamed.at("/runImage/mirrors").size());
        assertEquals("other/run", renamed.at("/stack/runImage/image").asText());
        assertEquals(0, renamed.at("/stack/runImage/mirrors").size());
        assertFalse(meta.toLabel().contains("other/run"), "the input is not changed");
    }

    /** An image of Platform API {@code api} (none when null) for linux/{@code arch}/{@code variant} with labels. */
    private static ImageConfig image(String api, String arch, String variant, Map<String, String> labels) {
        ImageConfig c = ImageConfig.scratch("linux", arch).withEnv(api == null ? List.of() : List.of(
                "CNB_PLATFORM_API=" + api)).withLabels(labels);
        if (variant.isEmpty()) {
            return c;
        }
        ObjectNode json = c.json();
        json.put("variant", variant);
        return ImageConfig.of(json);
    }

    private PlatformException refused(ImageConfig app, ImageConfig run, boolean force) {
        PlatformException e = assertThrows(PlatformException.class, () -> RebaseChecks.validate(app, run, "run:new",
                "app", force, out));
        assertEquals(PacklabException.FAILED, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void fromPlatformApi012TheStackIdIsNotComparedAndBelowItADifferentStackIsRefusedEvenWithForce() {
        ImageConfig app = image("0.12", "amd64", "", Map.of(Cnb.LABEL_STACK_ID, "io.example.old"));
        ImageConfig run = image("0.12", "amd64", "", Map.of(Cnb.LABEL_STACK_ID, "io.example.new"));
        RebaseChecks.validate(app, run, "run:new", "app", false, out);
        assertEquals(List.of(), warnings, "the lifecycle checks the target instead, silently");

        ImageConfig old = image("0.11", "amd64", "", Map.of(Cnb.LABEL_STACK_ID, "io.example.old"));
        for (boolean force : List.of(false, true)) {
            PlatformException e = refused(old, run, force);
            assertEquals("incompatible stack: the app image app is built on stack io.example.old, the new run image"
                    + " run:new is stack io.example.new. For an app of Platform API 0.11 (below 0.12) the lifecycle"
                    + " rebases only onto the same stack, and --force does not change that; rebuild the app with pack"
                    + " build to move it to another stack.", e.getMessage());
        }
        assertEquals("stack not defined on new base image run:new.", refused(old, image("0.12", "amd64", "",
                Map.of()), false).getMessage());
        assertEquals("stack not defined on app image app.", refused(image(null, "amd64", "", Map.of()), run, true)
                .getMessage(), "no Platform API at all is below 0.12");
    }

    @Test
    void belowPlatformApi012EveryMixinOfTheAppMustBeTheRunImagesStagePrefixesAside() {
        Map<String, String> appLabels = Map.of(Cnb.LABEL_STACK_ID, "s", RebaseChecks.MIXINS,
                "[\"run:curl\", \"tzdata\", \"build:git\"]");
        ImageConfig app = image("0.10", "amd64", "", appLabels);
        RebaseChecks.validate(app, image(null, "amd64", "", Map.of(Cnb.LABEL_STACK_ID, "s", RebaseChecks.MIXINS,
                "[\"curl\", \"git\", \"tzdata\", \"extra\"]")), "run:new", "app", false, out);
        ImageConfig fewer = image(null, "amd64", "", Map.of(Cnb.LABEL_STACK_ID, "s", RebaseChecks.MIXINS,
                "[\"run:curl\"]"));
        for (boolean force : List.of(false, true)) {
            assertEquals("missing required mixin(s): the new run image run:new lacks git, tzdata, which the app image"
                    + " app records in io.buildpacks.stack.mixins (the run image has curl). The app's layers may need"
                    + " those packages; --force does not override this for an app below Platform API 0.12. Rebase onto"
                    + " a run image that has them, or rebuild the app with pack build.",
                    refused(app, fewer, force).getMessage());
        }
        assertTrue(refused(app, image(null, "amd64", "", Map.of(Cnb.LABEL_STACK_ID, "s")), false).getMessage()
                .contains("(the run image has none)"));
        assertTrue(refused(image("0.10", "amd64", "", Map.of(Cnb.LABEL_STACK_ID, "s", RebaseChecks.MIXINS, "[curl")),
                fewer, false).getMessage().startsWith("the label io.buildpacks.stack.mixins of the app image app is not"
                        + " valid JSON ("));
        RebaseChecks.validate(image("0.12", "amd64", "", appLabels), fewer, "run:new", "app", false, out);
        assertEquals(List.of(), warnings, "from Platform API 0.12 mixins are not compared");
    }

    @Test
    void fromPlatformApi012ARunImageThatNamesItsDistributionNeedsAnAppThatNamesTheSameUnlessForced() {
        Map<String, String> debian12 = Map.of(RebaseChecks.DISTRO_NAME, "debian", RebaseChecks.DISTRO_VERSION, "12");
        ImageConfig bare = image("0.12", "amd64", "", Map.of());
        ImageConfig run = image("0.12", "amd64", "", debian12);
        assertEquals("the new run image run:new names its distribution (io.buildpacks.base.distro.name=debian,"
                + " io.buildpacks.base.distro.version=12) but the app image app names none, so the lifecycle cannot"
                + " tell that they match. Rebase onto a run image of the app's target, or add --force if you know the"
                + " new run image is compatible.", refused(bare, run, false).getMessage());
        RebaseChecks.validate(bare, run, "run:new", "app", true, out);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).endsWith("names none, so the lifecycle cannot tell that they match; rebasing anyway"
                + " (--force)"), warnings.toString());

        RebaseChecks.validate(image("0.12", "amd64", "", debian12), bare, "run:new", "app", false, out);
        RebaseChecks.validate(image("0.12", "amd64", "", debian12), image("0.12", "amd64", "",
                Map.of(RebaseChecks.DISTRO_NAME, "debian")), "run:new", "app", false, out);
        assertEquals(1, warnings.size(), "a run image without a distribution, or without a version, matches any");

        PlatformException e = refused(image("0.12", "amd64", "", Map.of(RebaseChecks.DISTRO_VERSION, "12")), run,
                false);
        assertTrue(e.getMessage().startsWith("the new run image run:new has io.buildpacks.base.distro.name=debian, the"
                + " app image app none: the distribution must match for a rebase."), e.getMessage());
        e = refused(image("0.12", "amd64", "", Map.of(RebaseChecks.DISTRO_NAME, "debian", RebaseChecks.DISTRO_VERSION,
                "11")), run, false);
        assertTrue(e.getMessage().startsWith("the new run image run:new has io.buildpacks.base.distro.version=12, the"
                + " app image app 11: the distribution must match for a rebase."), e.getMessage());
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
    }

    @Test
    void fromPlatformApi012AnEmptyVariantMatchesAnyAndTwoDifferentOnesAreRefusedUnlessForced() {
        RebaseChecks.validate(image("0.12", "arm", "", Map.of()), image("0.12", "arm", "v7", Map.of()), "run:new",
                "app", false, out);
        RebaseChecks.validate(image("0.12", "arm", "v7", Map.of()), image("0.12", "arm", "", Map.of()), "run:new",
                "app", false, out);
        assertEquals(List.of(), warnings);
        ImageConfig v6 = image("0.12", "arm", "v6", Map.of());
        ImageConfig v7 = image("0.12", "arm", "v7", Map.of());
        assertEquals("the new run image run:new has variant `v7`, the app image app `v6`: they must match for a rebase"
                + " where both name one. Rebase onto a run image of the app's target, or add --force if you know the"
                + " new run image is compatible.", refused(v6, v7, false).getMessage());
        RebaseChecks.validate(v6, v7, "run:new", "app", true, out);
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void aPlatformApiThatIsNotAVersionIsAParagraph() {
        assertTrue(refused(image("zero", "amd64", "", Map.of()), image("0.12", "amd64", "", Map.of()), false)
                .getMessage().startsWith("the app image app has CNB_PLATFORM_API=zero in its env, which is not a"
                        + " Platform API version"));
    }
}
