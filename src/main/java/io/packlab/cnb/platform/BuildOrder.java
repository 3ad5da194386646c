package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.descriptor.ModuleRef;
import io.packlab.cnb.descriptor.OrderGroup;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageDetails;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What detection tries: the builder's order, or for {@code --buildpack} the order pack makes of them (one group of the
 * given buildpacks in the given order; {@code from=builder} puts the builder's groups in its place), with composite
 * buildpacks resolved into their components as the lifecycle does ({@link DetectionOrder}); and the buildpacks the
 * build brings to the builder (folders, archives extracted, buildpackage images with all they hold), each with its
 * folder and descriptor, which go to /cnb/buildpacks of the build container.
 */
record BuildOrder(List<List<GroupMember>> groups, List<Added> added) {

    /** A buildpack the build adds to the builder: its folder, its buildpack.toml read and checked, where it came from. */
    record Added(Path dir, BuildpackDescriptor descriptor, String from) {
    }

    BuildOrder {
        groups = List.copyOf(groups);
        added = List.copyOf(added);
    }

    static BuildOrder of(Requests.Build req, ImageDetails builder, Path temp, Engine engine) throws IOException {
        String where = "builder " + req.builder();
        JsonNode layers = Images.jsonLabel(builder, req.builder(), Cnb.LABEL_BUILDPACK_LAYERS);
        List<DetectionOrder.Module> onBuilder = DetectionOrder.fromLayersLabel(layers, where);
        List<DetectionOrder.Module> modules = new ArrayList<>(onBuilder);
        List<OrderGroup> groups = new ArrayList<>();
        List<Added> added = new ArrayList<>();
        if (!req.buildpacks().isEmpty()) {
            Map<String, List<String>> ids = BuildpackLocator.byId(onBuilder);
            List<List<ModuleRef>> order = new ArrayList<>(List.of(List.of()));
            for (String ref : req.buildpacks()) {
                BuildpackLocator locator = BuildpackLocator.classify(ref, null, req.builder(), ids);
                ModuleRef named;
                if (locator instanceof BuildpackLocator.FromBuilder) {
                    order = withBuilderOrder(order, builderOrder(builder, req.builder()));
                    continue;
                } else if (locator instanceof BuildpackLocator.BuilderId id) {
                    named = new ModuleRef(id.id(), id.version(), false);
                } else if (locator instanceof BuildpackLocator.Local local) {
                    Path dir = BuildpackSource.folder(local.path(), temp);
                    BuildpackDescriptor d = BuildpackDescriptor.read(dir.resolve("buildpack.toml"));
                    added.add(new Added(dir, d, ref));
                    modules.add(DetectionOrder.Module.of(d));
                    named = new ModuleRef(d.id(), d.version(), false);
                } else {
                    BuildpackageImage image = BuildpackageImage.read(engine,
                            ((BuildpackLocator.Package) locator).image(), ref, temp);
                    added.addAll(image.buildpacks());
                    image.buildpacks().forEach(b -> modules.add(DetectionOrder.Module.of(b.descriptor())));
                    named = new ModuleRef(image.entry().id(), image.entry().version(), false);
                }
                order = order.stream().map(g -> {
                    List<ModuleRef> longer = new ArrayList<>(g);
                    longer.add(named);
                    return List.copyOf(longer);
                }).toList();
            }
            order.forEach(g -> groups.add(new OrderGroup(g)));
            where = where + " and the --buildpack buildpacks";
        } else {
            groups.addAll(builderOrder(builder, req.builder()));
        }
        if (groups.isEmpty() || groups.stream().allMatch(g -> g.group().isEmpty())) {
            throw new PlatformException("builder " + req.builder() + " has an empty order: no buildpack to run.");
        }
        List<List<GroupMember>> order = new ArrayList<>();
        for (List<DetectionOrder.Member> group : new DetectionOrder(modules, where).flatten(groups)) {
            order.add(group.stream().map(GroupMember::of).toList());
        }
        return new BuildOrder(order, added);
    }

    private static List<OrderGroup> builderOrder(ImageDetails builder, String name) {
        return DetectionOrder.orderOf(Images.jsonLabel(builder, name, Cnb.LABEL_BUILDPACK_ORDER));
    }

    /**
     * {@code from=builder} as pack places it: with nothing named before, the builder's groups; after buildpacks named in
     * one group, each builder group with those in front; a second {@code from=builder} after the first made several
     * groups is refused, as pack refuses it.
     */
    static List<List<ModuleRef>> withBuilderOrder(List<List<ModuleRef>> order, List<OrderGroup> builderOrder) {
        if (order.isEmpty() || order.get(0).isEmpty()) {
            return builderOrder.stream().map(OrderGroup::group).map(List::copyOf).toList();
        }
        if (order.size() > 1) {
            throw PlatformException.refused("buildpacks from builder can only be defined once: --buildpack from=builder"
                    + " is given twice, and the builder's order has " + builderOrder.size() + " groups. Name"
                    + " from=builder once.");
        }
        List<List<ModuleRef>> out = new ArrayList<>();
        for (OrderGroup g : builderOrder) {
            List<ModuleRef> joined = new ArrayList<>(order.get(0));
            joined.addAll(g.group());
            out.add(List.copyOf(joined));
        }
        return out;
    }

    /** The {@code clear-env} of each buildpack the build adds, by {@code id@version}. */
    Map<String, Boolean> clearEnv() {
        Map<String, Boolean> known = new LinkedHashMap<>();
        added.forEach(a -> known.put(a.descriptor().id() + "@" + a.descriptor().version(), a.descriptor().clearEnv()));
        return known;
    }
}
