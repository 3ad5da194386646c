package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ImageDetails;
import io.packlab.error.PacklabException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code builder create} and {@code buildpack package} with buildpackage images, on a stub engine. */
class DistributionImagesTest {

    @TempDir
    Path dir;

    private Path buildpack(String id, String order) throws Exception {
        Path bp = Files.createDirectories(dir.resolve(id.replace('/', '_')));
        Files.writeString(bp.resolve("buildpack.toml"), "api = \"0.10\"\n[buildpack]\nid = \"" + id + "\"\nversion ="
                + " \"1.0.0\"\n" + (order.isEmpty() ? "[[targets]]\nos = \"linux\"\narch = \"amd64\"\n" : order));
        if (order.isEmpty()) {
            Files.createDirectories(bp.resolve("bin"));
            for (String f : List.of("detect", "build")) {
                Path p = Files.writeString(bp.resolve("bin/" + f), "#!/bin/sh\nexit 0\n");
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return bp;
    }

    /** example/pkg: the composite examples/comp with its member examples/part. */
    private EngineStub withPackage() throws Exception {
        buildpack("examples/part", "");
        Path comp = buildpack("examples/comp", "[[order]]\n[[order.group]]\nid = \"examples/part\"\nversion ="
                + " \"1.0.0\"\n");
        Path config = Files.writeString(comp.resolve("package.toml"), "[buildpack]\nuri = \".\"\n[[dependencies]]\n"
                + "uri = \"../examples_part\"\n");
        EngineStub stub = new EngineStub(new MemoryContainer(dir.resolve("root"))).image("build", Fixtures.builder())
                .image("run", Fixtures.run());
        new BuiltinPlatform(stub.engine(), new RecordingReporter(), Map.of(), "test")
                .run(new Requests.PackageBuildpack("example/pkg", config), Cancellation.none());
        return stub.image("example/pkg", new ImageDetails("sha256:pkg", stub.lastConfig));
    }

    private Path builderToml(String buildpacks, String order) throws Exception {
        return Files.writeString(dir.resolve("builder.toml"), buildpacks + order + "[build]\nimage = \"build\"\n"
                + "[[run.images]]\nimage = \"run\"\n");
    }

    private RecordingReporter create(EngineStub stub, Path config) throws Exception {
        RecordingReporter out = new RecordingReporter();
        new Distribution(stub.engine(), out, Map.of(), "test").launcher(() -> "launcher".getBytes(
                StandardCharsets.UTF_8)).createBuilder(new Requests.CreateBuilder("my-builder", config),
                        Files.createTempDirectory(dir, "temp"));
        return out;
    }

    private static List<String> layersLabel(EngineStub stub) throws Exception {
        JsonNode layers = Images.JSON.readTree(stub.lastConfig.path("config").path("Labels")
                .path(Cnb.LABEL_BUILDPACK_LAYERS).asText());
        List<String> keys = new ArrayList<>();
        layers.fields().forEachRemaining(b -> b.getValue().fieldNames().forEachRemaining(v -> keys.add(b.getKey() + "@"
                + v)));
        return keys.stream().sorted().toList();
    }

    @Test
    void aBuilderTakesEveryBuildpackOfAPackageImageNamedByUriOrImage() throws Exception {
        EngineStub stub = withPackage();
        byte[] pkg = stub.lastArchive;
        buildpack("examples/web", "");
        for (String entry : List.of("uri = \"docker://example/pkg\"", "image = \"example/pkg\"",
                "id = \"examples/comp\"\nversion = \"1.0.0\"\nuri = \"docker://example/pkg\"")) {
            Path config = builderToml("[[buildpacks]]\nuri = \"examples_web\"\n[[buildpacks]]\n" + entry + "\n",
                    "[[order]]\n[[order.group]]\nid = \"examples/comp\"\n[[order]]\n[[order.group]]\nid ="
                            + " \"examples/web\"\n[[order.group]]\nid = \"examples/part\"\n");
            stub.lastArchive = pkg; // the stub's docker save gives the last image loaded
            RecordingReporter out = create(stub, config);
            assertEquals(List.of(new PlatformEvent.BuildpackAdded("examples/web", "1.0.0", "0.10"),
                    new PlatformEvent.BuildpackAdded("examples/comp", "1.0.0", "0.10"),
                    new PlatformEvent.BuildpackAdded("examples/part", "1.0.0", "0.10"),
                    new PlatformEvent.ImageCreated("builder image", "my-builder")), out.events, entry);
            assertEquals(List.of("examples/comp@1.0.0", "examples/part@1.0.0", "examples/web@1.0.0"), layersLabel(stub));
            assertEquals(io.packlab.cnb.image.ImageConfig.of(Fixtures.builder()).diffIds().size() + 5,
                    stub.lastConfig.path("rootfs").path("diff_ids").size(), "three buildpack layers, the launcher's"
                            + " and the cnb layer");
        }
    }

    @Test
    void anAbsentImageIsExit1NamingItAndANonPackageIsExit2AtItsUri() throws Exception {
        EngineStub stub = withPackage();
        Path config = builderToml("[[buildpacks]]\nuri = \"docker://example/none\"\n",
                "[[order]]\n[[order.group]]\nid = \"examples/comp\"\n");
        PacklabException absent = assertThrows(PacklabException.class, () -> create(stub, config));
        assertEquals(1, absent.exitCode());
        assertEquals("the buildpackage image example/none ([[buildpacks]] of builder.toml) is not in the Docker engine,"
                + " and the built-in platform pulls nothing. Make it with `pack buildpack package example/none --config"
                + " <package.toml>` (lesson package), or load it with docker pull or docker load.", absent.getMessage());

        Path wrong = builderToml("[[buildpacks]]\nid = \"examples/comp\"\n\nimage = \"build\"\n",
                "[[order]]\n[[order.group]]\nid = \"examples/comp\"\n");
        PacklabException notPackage = assertThrows(PacklabException.class, () -> create(stub, wrong));
        assertEquals(2, notPackage.exitCode());
        assertTrue(notPackage.getMessage().startsWith(wrong + ":4:1: [[buildpacks]] of builder.toml: the image build is"
                + " not a buildpackage: it has no label io.buildpacks.buildpackage.metadata"), notPackage.getMessage());

        Path mismatch = builderToml("[[buildpacks]]\nid = \"examples/part\"\nuri = \"docker://example/pkg\"\n",
                "[[order]]\n[[order.group]]\nid = \"examples/comp\"\n");
        PacklabException id = assertThrows(PacklabException.class, () -> create(stub, mismatch));
        assertEquals(2, id.exitCode());
        assertTrue(id.getMessage().startsWith(mismatch + ":2:"), id.getMessage());
        assertTrue(id.getMessage().contains("does not match the id examples/comp in the buildpackage example/pkg"),
                id.getMessage());
    }

    @Test
    void aPackageTakesAnImageDependencyWithAllItHolds() throws Exception {
        EngineStub stub = withPackage();
        Path outer = buildpack("examples/outer", "[[order]]\n[[order.group]]\nid = \"examples/comp\"\nversion ="
                + " \"1.0.0\"\n");
        Path config = Files.writeString(outer.resolve("package.toml"), "[buildpack]\nuri = \".\"\n[[dependencies]]\n"
                + "image = \"example/pkg\"\n");
        RecordingReporter out = new RecordingReporter();
        new BuiltinPlatform(stub.engine(), out, Map.of(), "test")
                .run(new Requests.PackageBuildpack("example/outer", config), Cancellation.none());
        assertEquals(List.of("examples/comp@1.0.0", "examples/outer@1.0.0", "examples/part@1.0.0"), layersLabel(stub));
        assertTrue(out.lines.contains("Adding dependency examples/part@1.0.0 from image example/pkg"), out.lines
                .toString());

        Path wrong = Files.writeString(outer.resolve("package.toml"), "[buildpack]\nuri = \".\"\n\n[[dependencies]]\n"
                + "uri = \"docker://run\"\n");
        PacklabException e = assertThrows(PacklabException.class, () -> new BuiltinPlatform(stub.engine(),
                new RecordingReporter(), Map.of(), "test").run(new Requests.PackageBuildpack("example/outer", wrong),
                        Cancellation.none()));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().startsWith(wrong + ":5:1: [[dependencies]] of package.toml: the image run is not a"
                + " buildpackage"), e.getMessage());
    }
}
