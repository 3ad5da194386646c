package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.cnb.descriptor.BuildpackApi;
import io.packlab.cnb.descriptor.ModuleRef;
import io.packlab.cnb.descriptor.OrderGroup;
import io.packlab.cnb.platform.DetectionOrder.Member;
import io.packlab.cnb.platform.DetectionOrder.Module;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionOrderTest {

    private static final BuildpackApi API = BuildpackApi.parse("0.10");

    private static Module component(String key) {
        String[] idVersion = key.split("@");
        return new Module(idVersion[0], idVersion[1], API, null, List.of());
    }

    private static Module composite(String key, OrderGroup... order) {
        String[] idVersion = key.split("@");
        return new Module(idVersion[0], idVersion[1], API, null, Arrays.asList(order));
    }

    /** A group of refs written {@code "a@1"}, {@code "b@1?"} (optional) or {@code "c"} (no version). */
    private static OrderGroup group(String... refs) {
        List<ModuleRef> out = new ArrayList<>();
        for (String r : refs) {
            boolean optional = r.endsWith("?");
            String ref = optional ? r.substring(0, r.length() - 1) : r;
            int at = ref.indexOf('@');
            out.add(new ModuleRef(at < 0 ? ref : ref.substring(0, at), at < 0 ? "" : ref.substring(at + 1), optional));
        }
        return new OrderGroup(out);
    }

    /** The flattened groups written as keys, {@code ?} after an optional member. */
    private static List<List<String>> keys(List<List<Member>> groups) {
        return groups.stream().map(g -> g.stream().map(m -> m.key() + (m.optional() ? "?" : "")).toList()).toList();
    }

    private static DetectionOrder order(Module... modules) {
        return new DetectionOrder(List.of(modules), "builder test");
    }

    @Test
    void anOrderOfComponentsStaysAsItIs() {
        DetectionOrder o = order(component("a@1"), component("b@1"));
        assertEquals(List.of(List.of("a@1", "b@1?"), List.of("b@1")),
                keys(o.flatten(List.of(group("a@1", "b@1?"), group("b@1")))));
    }

    @Test
    void aCompositeIsReplacedByEachOfItsGroupsInPlace() {
        // the spec's example: [E, O, F] with O = [[A, B], [C, D]]
        DetectionOrder o = order(component("e@1"), component("f@1"), component("a@1"), component("b@1"),
                component("c@1"), component("d@1"), composite("o@1", group("a@1", "b@1"), group("c@1", "d@1")));
        assertEquals(List.of(List.of("e@1", "a@1", "b@1", "f@1"), List.of("e@1", "c@1", "d@1", "f@1")),
                keys(o.flatten(List.of(group("e@1", "o@1", "f@1")))));
    }

    @Test
    void twoCompositesInAGroupMultiplyLeftFirst() {
        // the spec's [O, P] = [A B E F], [A B G H], [C D E F], [C D G H]
        DetectionOrder o = order(component("a@1"), component("b@1"), component("c@1"), component("d@1"),
                component("e@1"), component("f@1"), component("g@1"), component("h@1"),
                composite("o@1", group("a@1", "b@1"), group("c@1", "d@1")),
                composite("p@1", group("e@1", "f@1"), group("g@1", "h@1")));
        assertEquals(List.of(List.of("a@1", "b@1", "e@1", "f@1"), List.of("a@1", "b@1", "g@1", "h@1"),
                List.of("c@1", "d@1", "e@1", "f@1"), List.of("c@1", "d@1", "g@1", "h@1")),
                keys(o.flatten(List.of(group("o@1", "p@1")))));
    }

    @Test
    void nestedCompositesExpandDepthFirst() {
        DetectionOrder o = order(component("world@1"), component("moon@1"), component("sun@1"),
                composite("planets@1", group("world@1", "moon@1?")),
                composite("universe@1", group("planets@1", "sun@1"), group("sun@1")));
        assertEquals(List.of(List.of("world@1", "moon@1?", "sun@1"), List.of("sun@1")),
                keys(o.flatten(List.of(group("universe@1")))));
    }

    @Test
    void anOptionalCompositeAddsTheGroupWithoutItAfterItsOwnGroups() {
        DetectionOrder o = order(component("a@1"), component("b@1"), component("c@1"), component("z@1"),
                composite("o@1", group("a@1"), group("b@1", "c@1?")));
        assertEquals(List.of(List.of("z@1", "a@1"), List.of("z@1", "b@1", "c@1?"), List.of("z@1")),
                keys(o.flatten(List.of(group("z@1", "o@1?")))));
    }

    @Test
    void membersKeepTheirOwnOptionalFlagNotTheComposites() {
        DetectionOrder o = order(component("a@1"), component("b@1"), composite("o@1", group("a@1", "b@1?")));
        assertEquals(List.of(List.of("a@1", "b@1?")), keys(o.flatten(List.of(group("o@1?")))),
                "the optional composite alone: its group, then the empty group, which is left out");
    }

    @Test
    void anIdMetAgainInTheSameGroupIsLeftOutAsTheLifecycleSkipsIt() {
        DetectionOrder o = order(component("a@1"), component("b@1"), component("a@2"),
                composite("o@1", group("a@2", "b@1")));
        assertEquals(List.of(List.of("a@1", "b@1")), keys(o.flatten(List.of(group("a@1", "o@1")))));
    }

    @Test
    void groupsThatComeOutTheSameAreTriedOnce() {
        DetectionOrder o = order(component("a@1"), component("b@1"), composite("o@1", group("a@1"), group("a@1")));
        assertEquals(List.of(List.of("a@1", "b@1")), keys(o.flatten(List.of(group("o@1", "b@1")))));
    }

    @Test
    void aRefWithoutVersionTakesTheOnlyVersionAndRefusesToChooseAmongSeveral() {
        DetectionOrder o = order(component("a@1"), component("b@1"), component("b@2"));
        assertEquals(List.of(List.of("a@1")), keys(o.flatten(List.of(group("a")))));
        assertEquals(List.of(List.of("b@2")), keys(o.flatten(List.of(group("b@2")))));
        PlatformException e = assertThrows(PlatformException.class, () -> o.flatten(List.of(group("b"))));
        assertEquals("unable to resolve version: builder test has more than one version of b (1, 2) and the order names"
                + " none. Name the version (b@<version>).", e.getMessage());
    }

    @Test
    void aMissingBuildpackOrVersionIsNamedWithWhoNamesIt() {
        DetectionOrder o = order(component("a@1"), composite("o@1", group("a@1", "moon@1")));
        PlatformException missing = assertThrows(PlatformException.class, () -> o.flatten(List.of(group("o@1"))));
        assertEquals("buildpack moon@1, which composite buildpack o@1 names, is not in builder test (it has a@1, o@1)."
                + " Give its folder with --buildpack, or add it to the builder.", missing.getMessage());
        PlatformException version = assertThrows(PlatformException.class, () -> o.flatten(List.of(group("a@9"))));
        assertTrue(version.getMessage().startsWith("buildpack a@9, which the order names, is not in builder test: it has"
                + " a in version 1."), version.getMessage());
        assertEquals(1, version.exitCode());
    }

    @Test
    void aCompositeThatNamesItselfIsRefused() {
        DetectionOrder o = order(component("a@1"), composite("x@1", group("y@1")), composite("y@1", group("a@1", "x@1")));
        PlatformException e = assertThrows(PlatformException.class, () -> o.flatten(List.of(group("x@1"))));
        assertEquals("composite buildpack x@1 names itself through its order (x@1 -> y@1 -> x@1), so its groups never"
                + " end. Remove that entry from the [[order]] of one of them.", e.getMessage());
    }

    @Test
    void anOrderThatMultipliesOutOfHandIsRefused() {
        List<Module> modules = new ArrayList<>();
        List<ModuleRef> top = new ArrayList<>();
        for (int level = 0; level < 11; level++) {
            modules.add(component("a" + level + "@1"));
            modules.add(component("b" + level + "@1"));
            modules.add(composite("c" + level + "@1", group("a" + level + "@1"), group("b" + level + "@1")));
            top.add(new ModuleRef("c" + level, "1", false));
        }
        DetectionOrder o = new DetectionOrder(modules, "builder test");
        PlatformException e = assertThrows(PlatformException.class, () -> o.flatten(List.of(new OrderGroup(top))));
        assertTrue(e.getMessage().startsWith("the order of builder test resolves to more than 1000 groups"),
                e.getMessage());
    }

    @Test
    void aLaterModuleOfTheSameVersionReplacesTheEarlierOne() {
        Module builders = new Module("a", "1", API, "builder's", List.of());
        Module folder = new Module("a", "1", BuildpackApi.parse("0.12"), "folder's", List.of());
        List<List<Member>> groups = new DetectionOrder(List.of(builders, folder), "x").flatten(List.of(group("a@1")));
        assertEquals(new Member("a", "1", BuildpackApi.parse("0.12"), "folder's", false), groups.get(0).get(0));
    }

    @Test
    void readsTheLabelsAsPackWritesThem() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Module> modules = DetectionOrder.fromLayersLabel(json.readTree("""
                {"samples/hello-universe": {"0.0.2": {"api": "0.10", "order": [{"group": [
                    {"id": "samples/hello-world", "version": "0.0.2"},
                    {"id": "samples/hello-moon", "version": "0.0.2", "optional": true}]}],
                  "layerDiffID": "sha256:1", "homepage": "https://example.com/universe"}},
                 "samples/hello-world": {"0.0.2": {"api": "0.11", "layerDiffID": "sha256:2"}},
                 "samples/hello-moon": {"0.0.2": {"api": "0.9", "layerDiffID": "sha256:3"}}}
                """), "builder b");
        assertEquals(3, modules.size());
        assertTrue(modules.get(0).isComposite());
        assertEquals("https://example.com/universe", modules.get(0).homepage());
        List<OrderGroup> order = DetectionOrder.orderOf(json.readTree("""
                [{"group": [{"id": "samples/hello-universe", "version": "0.0.2"}]}]"""));
        List<List<Member>> groups = new DetectionOrder(modules, "builder b").flatten(order);
        assertEquals(List.of(List.of(new Member("samples/hello-world", "0.0.2", BuildpackApi.parse("0.11"), null, false),
                new Member("samples/hello-moon", "0.0.2", BuildpackApi.parse("0.9"), null, true))), groups);

        PlatformException bad = assertThrows(PlatformException.class, () -> DetectionOrder.fromLayersLabel(json.readTree(
                "{\"x\": {\"1\": {\"api\": \"latest\"}}}"), "builder b"));
        assertTrue(bad.getMessage().contains("gives buildpack x@1 the API \"latest\""), bad.getMessage());
    }
}
