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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lifecycle rebaser's checks that --force overrides: rebasable (of the app), target, run image name. */
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
        PlatformException e = assertThrows(PlatformException.class, () -> Rebaser.validate(pinned, free, "run:new",
                "app", false, out));
        assertEquals(PacklabException.FAILED, e.exitCode());
        assertTrue(e.getMessage().startsWith("app image app is not marked as rebasable"), e.getMessage());
        assertTrue(e.getMessage().contains("--force"), e.getMessage());

        Rebaser.validate(free, pinned, "run:new", "app", false, out);
        assertTrue(warnings.isEmpty(), "the run image's own label is not the app's: " + warnings);

        Rebaser.validate(pinned, free, "run:new", "app", true, out);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("rebasing anyway (--force)"), warnings.toString());
    }

    @Test
    void aDifferentTargetIsRefusedUnlessForced() throws Exception {
        ImageConfig app = image("amd64", "{}");
        ImageConfig run = image("arm64", "{}");
        PlatformException e = assertThrows(PlatformException.class, () -> Rebaser.validate(app, run, "run:arm", "app",
                false, out));
        assertTrue(e.getMessage().contains("architecture `arm64`"), e.getMessage());
        Rebaser.validate(app, run, "run:arm", "app", true, out);
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
}
