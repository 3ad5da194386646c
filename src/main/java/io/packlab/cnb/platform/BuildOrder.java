package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.descriptor.ModuleRef;
import io.packlab.cnb.descriptor.OrderGroup;
import io.packlab.engine.ImageDetails;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What detection tries: the builder's order, or for {@code --buildpack} one group of the given buildpacks, with
 * composite buildpacks resolved into their components as the lifecycle does ({@link DetectionOrder}); and the
 * {@code --buildpack} references that are on this machine, each with its folder (archives extracted) and descriptor.
 */
record BuildOrder(List<List<GroupMember>> groups, Map<String, Local> local) {

    /** A {@code --buildpack} on this machine: its folder and its buildpack.toml, read and checked. */
    record Local(Path dir, BuildpackDescriptor descriptor) {
    }

    BuildOrder {
        groups = List.copyOf(groups);
        local = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(local));
    }

    static BuildOrder of(Requests.Build req, ImageDetails builder, Path temp) throws IOException {
        String where = "builder " + req.builder();
        JsonNode layers = Images.jsonLabel(builder, req.builder(), Cnb.LABEL_BUILDPACK_LAYERS);
        List<DetectionOrder.Module> modules = new ArrayList<>(DetectionOrder.fromLayersLabel(layers, where));
        List<OrderGroup> groups = new ArrayList<>();
        Map<String, Local> local = new LinkedHashMap<>();
        if (!req.buildpacks().isEmpty()) {
            List<ModuleRef> group = new ArrayList<>();
            for (String ref : req.buildpacks()) {
                if (BuildpackSource.isLocal(Path.of(ref))) {
                    Path dir = BuildpackSource.folder(Path.of(ref), temp);
                    BuildpackDescriptor d = BuildpackDescriptor.read(dir.resolve("buildpack.toml"));
                    local.put(ref, new Local(dir, d));
                    modules.add(DetectionOrder.Module.of(d));
                    group.add(new ModuleRef(d.id(), d.version(), false));
                } else {
                    int at = ref.indexOf('@');
                    group.add(new ModuleRef(at < 0 ? ref : ref.substring(0, at), at < 0 ? "" : ref.substring(at + 1),
                            false));
                }
            }
            groups.add(new OrderGroup(group));
            where = where + " and the --buildpack folders";
        } else {
            groups.addAll(DetectionOrder.orderOf(Images.jsonLabel(builder, req.builder(), Cnb.LABEL_BUILDPACK_ORDER)));
            if (groups.isEmpty()) {
                throw new PlatformException("builder " + req.builder() + " has an empty order: no buildpack to run.");
            }
        }
        List<List<GroupMember>> order = new ArrayList<>();
        for (List<DetectionOrder.Member> group : new DetectionOrder(modules, where).flatten(groups)) {
            order.add(group.stream().map(GroupMember::of).toList());
        }
        return new BuildOrder(order, local);
    }

    /** The {@code clear-env} of each buildpack whose descriptor this order read, by {@code id@version}. */
    Map<String, Boolean> clearEnv() {
        Map<String, Boolean> known = new LinkedHashMap<>();
        local.values().forEach(l -> known.put(l.descriptor().id() + "@" + l.descriptor().version(),
                l.descriptor().clearEnv()));
        return known;
    }
}
