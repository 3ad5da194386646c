package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.cnb.descriptor.ModuleRef;
import io.packlab.cnb.descriptor.OrderGroup;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ImageDetails;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order a build with {@code --buildpack} runs, as pack makes it: the named buildpacks in one group, from=builder's
 * groups in its place, buildpacks of the builder by id, and buildpackage images read from a stub engine (a package that
 * the platform made, with a composite and its member).
 */
class BuildOrderTest {

    @TempDir
    Path dir;

    private static ImageDetails builder() {
        return Fixtures.image("sha256:builder", List.of("PATH=/usr/bin:/bin", "CNB_USER_ID=1000", "CNB_GROUP_ID=1001"),
                Map.of(Cnb.LABEL_BUILDER, "{}",
                        Cnb.LABEL_BUILDPACK_LAYERS, "{\"examples/web\": {\"1.0.0\": {\"api\": \"0.10\"}},"
                                + " \"examples/api\": {\"1.0.0\": {\"api\": \"0.10\"}, \"2.0.0\": {\"api\": \"0.10\"}}}",
                        Cnb.LABEL_BUILDPACK_ORDER, "[{\"group\": [{\"id\": \"examples/web\"}]}, {\"group\": [{\"id\":"
                                + " \"examples/api\", \"version\": \"2.0.0\", \"optional\": true}]}]"),
                List.of("sha256:b1"));
    }

    private Path buildpack(String id, String extra) throws Exception {
        Path bp = Files.createDirectories(dir.resolve("src").resolve(id.replace('/', '_')));
        Files.writeString(bp.resolve("buildpack.toml"), "api = \"0.10\"\n[buildpack]\nid = \"" + id + "\"\nversion ="
                + " \"1.0.0\"\n" + extra);
        if (extra.isEmpty()) {
            Files.createDirectories(bp.resolve("bin"));
            for (String f : List.of("detect", "build")) {
                Path p = Files.writeString(bp.resolve("bin/" + f), "#!/bin/sh\nexit 0\n");
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return bp;
    }

    /** A stub engine holding the builder and {@code example/pkg}: composite examples/comp whose order is examples/part. */
    private EngineStub withPackage() throws Exception {
        buildpack("examples/part", "");
        Path comp = buildpack("examples/comp", "[[order]]\n[[order.group]]\nid = \"examples/part\"\nversion ="
                + " \"1.0.0\"\n");
        Path config = Files.writeString(comp.resolve("package.toml"), "[buildpack]\nuri = \".\"\n[[dependencies]]\n"
                + "uri = \"../examples_part\"\n");
        EngineStub stub = new EngineStub(new MemoryContainer(dir.resolve("root"))).image("my-builder", builder());
        new BuiltinPlatform(stub.engine(), new RecordingReporter(), Map.of(), "test")
                .run(new Requests.PackageBuildpack("example/pkg", config), Cancellation.none());
        return stub.image("example/pkg", new ImageDetails("sha256:pkg", stub.lastConfig));
    }

    private BuildOrder order(EngineStub stub, String... buildpacks) throws Exception {
        return BuildOrder.of(new Requests.Build("app", "my-builder", List.of(buildpacks), Map.of(), dir,
                Optional.empty(), false, Optional.empty()), builder(), Files.createTempDirectory(dir, "temp"),
                stub.engine());
    }

    private static List<List<String>> keys(BuildOrder order) {
        return order.groups().stream().map(g -> g.stream().map(m -> m.id() + "@" + m.version()
                + (m.optional() ? "?" : "")).toList()).toList();
    }

    @Test
    void fromBuilderTakesTheBuildersGroupsInItsPlace() throws Exception {
        EngineStub stub = new EngineStub(new MemoryContainer(dir.resolve("root")));
        assertEquals(List.of(List.of("examples/web@1.0.0"), List.of("examples/api@2.0.0?")),
                keys(order(stub, "from=builder")));
        assertEquals(List.of(List.of("examples/api@1.0.0", "examples/web@1.0.0"), List.of("examples/api@1.0.0")),
                keys(order(stub, "examples/api@1.0.0", "from=builder")), "each builder group after the buildpack named"
                        + " before (an id met again in a group is left out, as the lifecycle skips it)");
        assertEquals(List.of(List.of("examples/web@1.0.0", "examples/api@1.0.0"),
                List.of("examples/api@2.0.0?")), keys(order(stub, "from=builder", "urn:cnb:builder:examples/api@1.0.0")),
                "a buildpack named after from=builder goes at the end of every group (the id met again is left out)");
        assertEquals(List.of(List.of("examples/web@1.0.0")), keys(order(stub, "examples/web")));
        assertEquals(List.of(), order(stub, "examples/web").added(), "a buildpack of the builder adds nothing");
    }

    @Test
    void fromBuilderTwiceAfterItMadeSeveralGroupsIsRefusedAsPackRefusesIt() {
        List<OrderGroup> builderOrder = List.of(new OrderGroup(List.of(new ModuleRef("a", "1", false))),
                new OrderGroup(List.of(new ModuleRef("b", "1", false))));
        List<List<ModuleRef>> once = BuildOrder.withBuilderOrder(List.of(List.of()), builderOrder);
        assertEquals(2, once.size());
        PlatformException e = assertThrows(PlatformException.class, () -> BuildOrder.withBuilderOrder(once,
                builderOrder));
        assertEquals(2, e.exitCode());
        assertEquals("buildpacks from builder can only be defined once: --buildpack from=builder is given twice, and the"
                + " builder's order has 2 groups. Name from=builder once.", e.getMessage());
    }

    @Test
    void aVersionlessIdWithTwoVersionsOnTheBuilderNamesBoth() {
        EngineStub stub = new EngineStub(new MemoryContainer(dir.resolve("root")));
        PlatformException e = assertThrows(PlatformException.class, () -> order(stub, "examples/api"));
        assertTrue(e.getMessage().startsWith("unable to resolve version: builder my-builder and the --buildpack"
                + " buildpacks has more than one version of examples/api (1.0.0, 2.0.0)"), e.getMessage());
    }

    @Test
    void aBuildpackageImageBringsItsCompositeAndMembersAndTheGroupNamesItsEntry() throws Exception {
        EngineStub stub = withPackage();
        BuildOrder order = order(stub, "examples/web", "docker://example/pkg");
        assertEquals(List.of(List.of("examples/web@1.0.0", "examples/part@1.0.0")), keys(order),
                "the composite is resolved into its member, after the builder's buildpack named before it");
        assertEquals(List.of("examples/comp@1.0.0 from image example/pkg", "examples/part@1.0.0 from image example/pkg"),
                order.added().stream().map(a -> a.descriptor().fullName() + " from " + a.from()).sorted().toList());
        for (BuildOrder.Added a : order.added()) {
            assertTrue(a.dir().endsWith(Path.of("cnb/buildpacks", Cnb.escape(a.descriptor().id()), "1.0.0")), a.dir()
                    .toString());
            assertTrue(Files.isRegularFile(a.dir().resolve("buildpack.toml")));
        }
        BuildOrder.Added part = order.added().stream().filter(a -> a.descriptor().id().equals("examples/part"))
                .findFirst().orElseThrow();
        assertTrue(Files.isExecutable(part.dir().resolve("bin/detect")), "the layer's modes are kept");
        stub.image("example/pkg:latest", stub.images.get("example/pkg"));
        assertEquals(keys(order), keys(order(stub, "examples/web", "example/pkg:latest")), "a bare image reference (one"
                + " that is no namespace/name registry id) is the same");
    }

    @Test
    void anImageThatIsNoBuildpackageOrNotInTheEngineIsAParagraph() throws Exception {
        EngineStub stub = new EngineStub(new MemoryContainer(dir.resolve("root"))).image("my-builder", builder());
        PlatformException absent = assertThrows(PlatformException.class, () -> order(stub, "docker://example/none"));
        assertEquals(1, absent.exitCode());
        assertEquals("the buildpackage image example/none (--buildpack docker://example/none) is not in the Docker"
                + " engine, and the built-in platform pulls nothing, whatever the --pull-policy. Make it with `pack"
                + " buildpack package example/none --config <package.toml>` (lesson package), or load it with docker pull"
                + " or docker load.", absent.getMessage());

        stub.image("python:distroless", builder());
        PlatformException builderImage = assertThrows(PlatformException.class, () -> order(stub,
                "docker://python:distroless"));
        assertEquals(2, builderImage.exitCode());
        assertEquals("--buildpack docker://python:distroless: the image python:distroless is not a buildpackage: it has"
                + " no label io.buildpacks.buildpackage.metadata (pack: could not find label"
                + " 'io.buildpacks.buildpackage.metadata'). It is a builder: name it with --builder. A buildpackage is"
                + " what `pack buildpack package` makes; give one, or the buildpack's folder.", builderImage.getMessage());
    }
}
