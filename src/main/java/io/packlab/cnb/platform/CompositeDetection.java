package io.packlab.cnb.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.cnb.descriptor.BuildpackApi;
import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.descriptor.ModuleRef;
import io.packlab.cnb.descriptor.OrderGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A composite buildpack's detection outside a build (for the {@code buildpack PATH detects} check): its order resolved
 * into groups of component buildpacks as the lifecycle resolves it ({@link DetectionOrder}), the components found as
 * folders on this machine or as an image's buildpacks, and each group judged from its components' detect runs as the
 * lifecycle judges it ({@link BuildPlan#resolve}: non-optional ones pass, then the build plan matches).
 */
public final class CompositeDetection {

    /**
     * A component buildpack of a group.
     *
     * @param folder   its folder on this machine, when it was found there
     * @param imageDir else its folder in the image ({@code /cnb/buildpacks/<id>/<version>})
     */
    public record Component(String id, String version, BuildpackApi api, boolean optional, Optional<Path> folder,
            String imageDir) {
        /** {@code id@version}. */
        public String key() {
            return id + "@" + version;
        }
    }

    /** One component's detect: exit code, what it printed, and the plan it wrote (empty unless it passed). */
    public record Run(Component component, int exitCode, List<String> output, String planText) {
    }

    /**
     * The verdict on one group: whether it passed, the lifecycle's lines for it ({@code pass:}, {@code fail:}, ... and
     * the buildpacks that take part), why it did not pass, and whether a detect errored (exit code not 0 or 100).
     */
    public record Verdict(boolean passed, List<String> lines, String reason, boolean errored) {
    }

    private CompositeDetection() {
    }

    /**
     * The groups that detection of {@code composite} tries, in order. A buildpack of its order (or of a composite in it)
     * is taken from {@code local} (buildpacks on this machine), else from the image whose labels are {@code imageLabels}
     * (its {@code io.buildpacks.buildpack.layers}).
     *
     * @param where what was searched, for messages ({@code "the folders next to buildpacks/universe or image b:1"})
     * @throws PlatformException when the order names a buildpack found nowhere (the message names it, and what was
     *                           searched), names itself, has ambiguous versions, or multiplies out of hand
     */
    public static List<List<Component>> groups(BuildpackDescriptor composite, List<BuildpackDescriptor> local,
            Map<String, String> imageLabels, String where) {
        List<DetectionOrder.Module> modules = new ArrayList<>(imageModules(imageLabels, where));
        Map<String, Path> folders = new LinkedHashMap<>();
        for (BuildpackDescriptor d : local) {
            modules.add(DetectionOrder.Module.of(d));
            folders.put(d.fullName(), d.dir());
        }
        modules.add(DetectionOrder.Module.of(composite));
        folders.put(composite.fullName(), composite.dir());
        DetectionOrder order = new DetectionOrder(modules, where);
        List<String> missing = missing(order, modules, composite.order(), "composite buildpack " + composite.fullName(),
                where, new HashSet<>());
        if (!missing.isEmpty()) {
            throw new PlatformException(String.join("; ", missing) + ".");
        }
        List<OrderGroup> self = List.of(new OrderGroup(List.of(new ModuleRef(composite.id(), composite.version(),
                false))));
        List<List<Component>> out = new ArrayList<>();
        for (List<DetectionOrder.Member> group : order.flatten(self)) {
            out.add(group.stream().map(m -> new Component(m.id(), m.version(), m.api(), m.optional(),
                    Optional.ofNullable(folders.get(m.key())), Cnb.BUILDPACKS_DIR + "/" + Cnb.escape(m.id()) + "/"
                    + m.version())).toList());
        }
        return out;
    }

    /** Judges one group from the detect runs of its components, in group order. */
    public static Verdict judge(List<Run> runs) {
        List<BuildPlan.Run> plan = runs.stream().map(r -> new BuildPlan.Run(new DetectionOrder.Member(
                r.component().id(), r.component().version(), r.component().api(), null,
                r.component().optional()), r.exitCode(), r.output(), r.planText())).toList();
        BuildPlan.Verdict v = BuildPlan.resolve(plan);
        return new Verdict(v.passed(), v.lines(), v.reason(), v.errored());
    }

    /** The entries of {@code order} (and of the composites it names, found) that no module answers, in words. */
    private static List<String> missing(DetectionOrder order, List<DetectionOrder.Module> modules,
            List<OrderGroup> groups, String context, String where, Set<String> visited) {
        List<String> out = new ArrayList<>();
        for (OrderGroup g : groups) {
            for (ModuleRef ref : g.group()) {
                boolean found = modules.stream().anyMatch(m -> m.id().equals(ref.id())
                        && (ref.version().isEmpty() || m.version().equals(ref.version())));
                if (!found) {
                    out.add(context + " names " + ref.fullName() + (ref.optional() ? " (optional)" : "")
                            + ", which is not in " + where);
                    continue;
                }
                DetectionOrder.Module m;
                try {
                    m = order.resolve(ref, context);
                } catch (PlatformException e) {
                    continue; // an ambiguous version: flatten says so
                }
                if (m.isComposite() && visited.add(m.key())) {
                    out.addAll(missing(order, modules, m.order(), "composite buildpack " + m.key(), where, visited));
                }
            }
        }
        return out;
    }

    private static List<DetectionOrder.Module> imageModules(Map<String, String> labels, String where) {
        String text = labels.get(Cnb.LABEL_BUILDPACK_LAYERS);
        if (text == null || text.isBlank()) {
            return List.of();
        }
        JsonNode layers;
        try {
            layers = Images.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PlatformException("the label " + Cnb.LABEL_BUILDPACK_LAYERS + " of " + where + " is not valid"
                    + " JSON (" + e.getOriginalMessage() + ").");
        }
        return DetectionOrder.fromLayersLabel(layers, where);
    }
}
