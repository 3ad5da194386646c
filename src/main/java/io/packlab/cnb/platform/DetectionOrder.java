package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.cnb.descriptor.BuildpackApi;
import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.descriptor.ModuleRef;
import io.packlab.cnb.descriptor.OrderGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The lifecycle's order resolution: an order whose groups may name composite buildpacks (an {@code [[order]]} of their
 * own, nested to any depth) becomes the list of groups of component buildpacks that detection tries, in the spec's
 * order: a composite's groups are expanded depth-first, left to right, in place of its entry ({@code [E, O, F]} with
 * {@code O = [[A, B], [C, D]]} gives {@code [E, A, B, F]} then {@code [E, C, D, F]}); an optional composite adds, after
 * them, the group without it; members keep their own {@code optional} flag; a buildpack id met again later in the same
 * group is left out, as the lifecycle skips an id it has already processed.
 */
final class DetectionOrder {

    /** More groups than this is an order that multiplies out of hand (composites of composites of alternatives). */
    static final int MAX_GROUPS = 1000;

    /** A buildpack an order can name: a component buildpack, or a composite with the order it stands for. */
    record Module(String id, String version, BuildpackApi api, String homepage, List<OrderGroup> order) {
        Module {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(api, "api");
            order = List.copyOf(order);
        }

        static Module of(BuildpackDescriptor d) {
            return new Module(d.id(), d.version(), d.api(), d.homepage().orElse(null), d.order());
        }

        boolean isComposite() {
            return !order.isEmpty();
        }

        String key() {
            return id + "@" + version;
        }
    }

    /** A component buildpack in a group that detection tries. */
    record Member(String id, String version, BuildpackApi api, String homepage, boolean optional) {
        String key() {
            return id + "@" + version;
        }
    }

    private final Map<String, Map<String, Module>> modules = new LinkedHashMap<>();
    private final String where;

    /**
     * @param modules the buildpacks the order may name; a later one with the same id and version replaces an earlier one
     *                (a {@code --buildpack} folder replaces the builder's copy)
     * @param where   what holds them, for messages ({@code "builder my-builder"})
     */
    DetectionOrder(Collection<Module> modules, String where) {
        for (Module m : modules) {
            this.modules.computeIfAbsent(m.id(), k -> new LinkedHashMap<>()).put(m.version(), m);
        }
        this.where = where;
    }

    /** The buildpacks of an {@code io.buildpacks.buildpack.layers} label ({@code id -> version -> {api, order, ...}}). */
    static List<Module> fromLayersLabel(JsonNode layers, String where) {
        List<Module> out = new ArrayList<>();
        layers.fields().forEachRemaining(byId -> byId.getValue().fields().forEachRemaining(byVersion -> {
            JsonNode info = byVersion.getValue();
            String api = info.path("api").asText("");
            BuildpackApi parsed;
            try {
                parsed = BuildpackApi.parse(api);
            } catch (IllegalArgumentException e) {
                throw new PlatformException("the io.buildpacks.buildpack.layers label of " + where + " gives buildpack "
                        + byId.getKey() + "@" + byVersion.getKey() + " the API \"" + api + "\", which is not a Buildpack"
                        + " API version. Re-create it with `pack builder create`.");
            }
            out.add(new Module(byId.getKey(), byVersion.getKey(), parsed, info.hasNonNull("homepage")
                    ? info.get("homepage").asText() : null, orderOf(info.path("order"))));
        }));
        return out;
    }

    /** An order as the labels write it ({@code [{"group": [{"id", "version", "optional"}]}]}). */
    static List<OrderGroup> orderOf(JsonNode order) {
        List<OrderGroup> groups = new ArrayList<>();
        for (JsonNode g : order) {
            List<ModuleRef> refs = new ArrayList<>();
            for (JsonNode e : g.path("group")) {
                refs.add(new ModuleRef(e.path("id").asText(), e.path("version").asText(""),
                        e.path("optional").asBoolean(false)));
            }
            groups.add(new OrderGroup(refs));
        }
        return groups;
    }

    /**
     * The buildpack a group entry names: its version, or the only version there is when the entry gives none.
     *
     * @param context who names it, for messages ({@code "the builder's order"}, {@code "composite buildpack x@1"})
     */
    Module resolve(ModuleRef ref, String context) {
        Map<String, Module> versions = modules.get(ref.id());
        if (versions == null || versions.isEmpty()) {
            throw new PlatformException("buildpack " + ref.fullName() + ", which " + context + " names, is not in " + where
                    + " (it has " + (modules.isEmpty() ? "none" : String.join(", ", keys())) + "). Give its folder with"
                    + " --buildpack, or add it to the builder.");
        }
        if (ref.version().isEmpty()) {
            if (versions.size() > 1) {
                throw new PlatformException("unable to resolve version: " + where + " has more than one version of "
                        + ref.id() + " (" + String.join(", ", versions.keySet()) + ") and " + context + " names none."
                        + " Name the version (" + ref.id() + "@<version>).");
            }
            return versions.values().iterator().next();
        }
        Module m = versions.get(ref.version());
        if (m == null) {
            throw new PlatformException("buildpack " + ref.fullName() + ", which " + context + " names, is not in " + where
                    + ": it has " + ref.id() + " in version " + String.join(", ", versions.keySet()) + ". Name one of"
                    + " those, or give the folder of " + ref.fullName() + " with --buildpack.");
        }
        return m;
    }

    /** The groups of component buildpacks that {@code order} resolves to, in the order detection tries them. */
    List<List<Member>> flatten(List<OrderGroup> order) {
        Set<List<Member>> out = new LinkedHashSet<>();
        for (List<Member> group : expandOrder(order, new ArrayList<>(), "the order")) {
            Set<String> seen = new HashSet<>();
            List<Member> unique = group.stream().filter(m -> seen.add(m.id())).toList();
            if (!unique.isEmpty()) {
                out.add(unique);
            }
        }
        return List.copyOf(out);
    }

    private List<List<Member>> expandOrder(List<OrderGroup> order, List<String> path, String context) {
        List<List<Member>> out = new ArrayList<>();
        for (OrderGroup g : order) {
            out.addAll(expandGroup(g.group(), path, context));
            if (out.size() > MAX_GROUPS) {
                throw tooMany();
            }
        }
        return out;
    }

    private List<List<Member>> expandGroup(List<ModuleRef> refs, List<String> path, String context) {
        List<List<Member>> prefixes = new ArrayList<>();
        prefixes.add(List.of());
        for (ModuleRef ref : refs) {
            Module m = resolve(ref, context);
            List<List<Member>> parts;
            if (m.isComposite()) {
                if (path.contains(m.key())) {
                    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(m.key()), path.size()));
                    cycle.add(m.key());
                    throw new PlatformException("composite buildpack " + m.key() + " names itself through its order ("
                            + String.join(" -> ", cycle) + "), so its groups never end. Remove that entry from the"
                            + " [[order]] of one of them.");
                }
                path.add(m.key());
                parts = new ArrayList<>(expandOrder(m.order(), path, "composite buildpack " + m.key()));
                path.remove(path.size() - 1);
                if (ref.optional()) {
                    parts.add(List.of());
                }
            } else {
                parts = List.of(List.of(new Member(m.id(), m.version(), m.api(), m.homepage(), ref.optional())));
            }
            if ((long) prefixes.size() * parts.size() > MAX_GROUPS) {
                throw tooMany();
            }
            List<List<Member>> next = new ArrayList<>();
            for (List<Member> prefix : prefixes) {
                for (List<Member> part : parts) {
                    List<Member> joined = new ArrayList<>(prefix);
                    joined.addAll(part);
                    next.add(joined);
                }
            }
            prefixes = next;
        }
        return prefixes;
    }

    private PlatformException tooMany() {
        return new PlatformException("the order of " + where + " resolves to more than " + MAX_GROUPS + " groups"
                + " (composite buildpacks multiply their groups); detection would take too long. Give fewer"
                + " alternatives, or use --buildpack to choose the buildpacks.");
    }

    private List<String> keys() {
        List<String> out = new ArrayList<>();
        modules.values().forEach(v -> v.values().forEach(m -> out.add(m.key())));
        return out;
    }
}
