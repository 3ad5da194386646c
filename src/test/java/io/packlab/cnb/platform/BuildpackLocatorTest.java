package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.packlab.cnb.platform.BuildpackLocator.BuilderId;
import io.packlab.cnb.platform.BuildpackLocator.FromBuilder;
import io.packlab.cnb.platform.BuildpackLocator.Local;
import io.packlab.cnb.platform.BuildpackLocator.Package;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --buildpack} told apart as pack's GetLocatorType does (its own table of cases), and the refusals. */
class BuildpackLocatorTest {

    private static final String DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private static Map<String, List<String>> builder(String... keys) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String key : keys) {
            String[] idVersion = key.split("@");
            out.computeIfAbsent(idVersion[0], k -> new java.util.ArrayList<>()).add(idVersion[1]);
        }
        return out;
    }

    private BuildpackLocator classify(String locator, String... onBuilder) {
        return BuildpackLocator.classify(locator, dir, "my-builder", builder(onBuilder));
    }

    private String refused(String locator, String... onBuilder) {
        PlatformException e = assertThrows(PlatformException.class, () -> classify(locator, onBuilder));
        assertEquals(2, e.exitCode(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theBuilderFormsNameTheBuildersOrderOrOneOfItsBuildpacks() {
        assertEquals(new FromBuilder(), classify("from=builder"));
        assertEquals(new BuilderId("some-bp", ""), classify("from=builder:some-bp", "some-bp@some-version"));
        assertEquals(new BuilderId("some-bp", ""), classify("urn:cnb:builder:some-bp", "some-bp@some-version"));
        assertEquals(new BuilderId("some-bp", "1.0.0"), classify("urn:cnb:builder:some-bp@1.0.0", "some-bp@0.9.0",
                "some-bp@1.0.0"));
        assertEquals(new BuilderId("some-bp", ""), classify("some-bp", "some-bp@any-version"));
        assertEquals(new BuilderId("example/python", "0.0.1"), classify("example/python@0.0.1", "example/python@0.0.1"));
    }

    @Test
    void aBuilderIdTheBuilderLacksIsRefusedNamingWhatItHas() {
        assertEquals("--buildpack urn:cnb:builder:some-bp names a buildpack of the builder, and builder my-builder has"
                + " no buildpack some-bp (it has none). Name one of those, or give the buildpack's folder or its"
                + " buildpackage image (docker://<image>).", refused("urn:cnb:builder:some-bp"));
        assertEquals("--buildpack from=builder:some-bp@some-other-version names a buildpack of the builder, and builder"
                + " my-builder has some-bp only in version some-version, not some-other-version. Name one of those, or"
                + " give the buildpack's folder or its buildpackage image (docker://<image>).",
                refused("from=builder:some-bp@some-other-version", "some-bp@some-version"));
        assertEquals("--buildpack example/python@0.0.9 is not on this machine, and builder my-builder has"
                + " example/python only in version 0.0.1, not 0.0.9. pack reads namespace/name[@version] as an id of the"
                + " Buildpack Registry and looks it up on the internet, which the built-in platform cannot. Name a"
                + " version the builder has, or give the buildpack's folder.",
                refused("example/python@0.0.9", "example/python@0.0.1"));
        assertEquals("--buildpack my-cnb@9.9.9 is no file or folder here, no image reference, and builder my-builder"
                + " has my-cnb only in version 0.0.1, not 9.9.9. Give a buildpack folder or archive, ID[@VERSION] of a"
                + " buildpack on the builder, or a buildpackage image (docker://<image>).",
                refused("my-cnb@9.9.9", "my-cnb@0.0.1"));
    }

    @Test
    void foldersArchivesAndFileUrisAreLocalBeforeAnythingElse() throws Exception {
        Files.createDirectories(dir.resolve("some-bp"));
        Files.writeString(dir.resolve("bp.tgz"), "");
        assertEquals(new Local(dir.resolve("some-bp")), classify("some-bp", "some-bp@1.0.0"), "a folder wins over an id");
        assertEquals(new Local(dir.resolve("bp.tgz")), classify("bp.tgz"));
        assertEquals(new Local(dir.resolve("some-bp")), classify(dir.resolve("some-bp").toUri().toString()));
        // the platform's callers give absolute paths: without a base, a relative word is never a file
        assertEquals(new Package("some-bp"), BuildpackLocator.classify("some-bp", null, "b", Map.of()));
        assertEquals(new Local(dir.resolve("some-bp")), BuildpackLocator.classify(dir.resolve("some-bp").toString(), null,
                "b", Map.of()));
    }

    @Test
    void imagesWithDockerPrefixOrBareAreBuildpackages() {
        for (String ref : List.of("cnbs/some-bp", "cnbs/some-bp@" + DIGEST, "cnbs/some-bp:some-tag",
                "cnbs/some-bp:some-tag@" + DIGEST, "registry.com/cnbs/some-bp", "registry.com/cnbs/some-bp:some-tag@"
                + DIGEST, "localhost:5000/example/my-cnb:0.0.1")) {
            assertEquals(new Package(ref), classify("docker://" + ref), ref);
        }
        assertEquals(new Package("example/my-cnb"), classify("docker:/example/my-cnb"));
        for (String ref : List.of("localhost:1234/example/package-cnb", "cnbs/some-bp:latest", "cnbs/some-bp@" + DIGEST,
                "cnbs/some-bp:some-tag@" + DIGEST, "registry.com/cnbs/some-bp", "dev.local/http-go-fn:latest", "my-cnb")) {
            assertEquals(new Package(ref), classify(ref), ref);
        }
        assertEquals("--buildpack docker://Example/My CNB: `Example/My CNB` is not an image reference; write"
                + " docker://[registry/]name[:tag], for example docker://example/my-cnb.", refused("docker://Example/My CNB"));
    }

    @Test
    void whatPackWouldDownloadIsRefusedWithWhatToWriteInstead() {
        assertEquals("--buildpack example/my-cnb is not on this machine, and builder my-builder has no buildpack"
                + " example/my-cnb (it has example/python@0.0.1). pack reads namespace/name[@version] as an id of the"
                + " Buildpack Registry and looks it up on the internet, which the built-in platform cannot. For the"
                + " buildpackage image of that name in the Docker engine, write docker://example/my-cnb; for a folder,"
                + " a path such as ./example/my-cnb.", refused("example/my-cnb", "example/python@0.0.1"));
        assertEquals("--buildpack urn:cnb:registry:example/foo@1.0.0 names a buildpack of the Buildpack Registry, which"
                + " pack looks up on the internet; the built-in platform reaches no network. Give the buildpack's"
                + " folder, or its buildpackage image in the Docker engine as docker://<image>.",
                refused("urn:cnb:registry:example/foo@1.0.0"));
        assertEquals("--buildpack https://example.com/buildpack.tgz is a URL, which pack downloads; the built-in"
                + " platform reaches no network. Download the buildpack archive yourself and give its path, or give the"
                + " buildpack's folder.", refused("https://example.com/buildpack.tgz"));
        refused("example/foo@1.0.0");
        assertEquals("--buildpack cnbs/sample-package@hello-universe is no file or folder here, no image reference, and"
                + " builder my-builder has no buildpack cnbs/sample-package (it has none). Give a buildpack folder or"
                + " archive, ID[@VERSION] of a buildpack on the builder, or a buildpackage image (docker://<image>).",
                refused("cnbs/sample-package@hello-universe"));
    }
}
