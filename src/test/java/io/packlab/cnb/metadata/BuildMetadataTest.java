package io.packlab.cnb.metadata;

import static io.packlab.cnb.metadata.LifecycleMetadataTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildMetadataTest {

    @ParameterizedTest
    @ValueSource(strings = {"build-lifecycle.json", "build-old.json"})
    void aLabelIsWrittenBackAsItWasRead(String fixture) throws Exception {
        String text = fixture(fixture);
        assertEquals(text, BuildMetadata.of(Map.of(BuildMetadata.LABEL, text), "app").toLabel());
    }

    @Test
    void theLifecyclesLabelIsReadIntoItsParts() throws Exception {
        BuildMetadata m = BuildMetadata.of(Map.of(BuildMetadata.LABEL, fixture("build-lifecycle.json")), "app");
        assertEquals(List.of(new BuildMetadata.Buildpack("samples/hello-world", "0.0.1", "0.10",
                "https://github.com/buildpacks/samples")), m.buildpackList());
        assertEquals("web", m.defaultProcessType());
        BuildMetadata.Process sys = m.processes().get(1);
        assertEquals(new BuildMetadata.Process("sys-info", List.of("bash"), List.of("-c", "uname"), false, false,
                "samples/hello-world", "/workspace/x"), sys);
        assertEquals("0.21.0", m.launcher().get("version").asText());

        BuildMetadata old = BuildMetadata.find(Map.of(BuildMetadata.LABEL, fixture("build-old.json"))).orElseThrow();
        assertEquals(List.of("ruby app.rb"), old.processes().get(0).command(), "a command string is one word");
    }

    @Test
    void theExportersValueIsWrittenInTheExportersOrder() {
        BuildMetadata m = BuildMetadata.exported(List.of(new BuildMetadata.Buildpack("examples/python", "0.1.0", "0.10",
                null)), "0.1.0+abc", "packlab built-in platform", List.of(new BuildMetadata.Process("web",
                        List.of("python", "app.py"), List.of(), true, true, "examples/python", null)), "web");
        assertEquals("{\"bom\":[],\"buildpacks\":[{\"id\":\"examples/python\",\"version\":\"0.1.0\",\"api\":\"0.10\"}],"
                + "\"launcher\":{\"version\":\"0.1.0+abc\",\"source\":{\"name\":\"packlab built-in platform\"}},"
                + "\"processes\":[{\"type\":\"web\",\"command\":[\"python\",\"app.py\"],\"args\":[],\"direct\":true,"
                + "\"default\":true,\"buildpackID\":\"examples/python\"}],\"buildpack-default-process-type\":\"web\"}",
                m.toLabel());
        assertEquals(m, BuildMetadata.find(Map.of(BuildMetadata.LABEL, m.toLabel())).orElseThrow());
    }

    @Test
    void errorsNameTheImageAndTheKey() {
        assertEquals("could not find label 'io.buildpacks.build.metadata' on image app.",
                assertThrows(MetadataException.class, () -> BuildMetadata.of(Map.of(), "app")).getMessage());
        assertTrue(assertThrows(MetadataException.class, () -> BuildMetadata.of(Map.of(BuildMetadata.LABEL,
                "{\"processes\":[{\"args\":[1]}]}"), "app")).getMessage().contains("(processes[0].args[0] is a number,"
                        + " not a string)"));
    }
}
