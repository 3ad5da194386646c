package io.packlab.cnb.descriptor;

import java.util.ArrayList;
import java.util.List;
import org.tomlj.TomlTable;

/** Tables that buildpack.toml, package.toml and builder.toml share: {@code [[targets]]} and {@code [[order]]}. */
final class CommonTables {

    /** The keys pack's {@code ModuleInfo} takes, which builder.toml allows in buildpacks and order groups. */
    static final List<String> MODULE_INFO_KEYS = List.of("id", "name", "version", "description", "homepage", "keywords",
            "exec-env", "licenses", "clear-env");

    private CommonTables() {
    }

    static List<Target> targets(TomlDocument doc, TomlTable parent) {
        List<Target> out = new ArrayList<>();
        for (TomlDocument.Element e : doc.tables(parent, "", "targets")) {
            TomlTable t = e.table();
            doc.allowOnly(t, "targets", e.position(), List.of("os", "arch", "variant", "distros"),
                    "[[targets]] takes os, arch, variant and [[targets.distros]] with name and version");
            String os = doc.string(t, "targets", "os", "os = \"linux\"");
            String arch = doc.string(t, "targets", "arch", "arch = \"amd64\"");
            String variant = doc.string(t, "targets", "variant", "variant = \"v8\"");
            List<Distro> distros = new ArrayList<>();
            for (TomlDocument.Element d : doc.tables(t, "targets", "distros")) {
                doc.allowOnly(d.table(), "targets.distros", d.position(), List.of("name", "version"),
                        "[[targets.distros]] takes name and version");
                distros.add(new Distro(doc.string(d.table(), "targets.distros", "name", "name = \"ubuntu\""),
                        doc.string(d.table(), "targets.distros", "version", "version = \"24.04\"")));
            }
            out.add(new Target(os, arch, variant, distros));
        }
        return List.copyOf(out);
    }

    /**
     * {@code [[order]]} with {@code [[order.group]]} entries; {@code versionRequired}: the spec's rule for buildpack.toml
     * (pack lets builder.toml leave versions out).
     */
    static List<OrderGroup> order(TomlDocument doc, TomlTable parent, boolean versionRequired, List<String> groupKeys) {
        List<OrderGroup> out = new ArrayList<>();
        for (TomlDocument.Element entry : doc.tables(parent, "", "order")) {
            doc.allowOnly(entry.table(), "order", entry.position(), List.of("group"), "[[order]] takes only [[order.group]]");
            List<TomlDocument.Element> group = doc.tables(entry.table(), "order", "group");
            if (group.isEmpty()) {
                throw doc.error(entry.position(), "this [[order]] has no [[order.group]]. Add the buildpacks it tries, each as"
                        + " [[order.group]] with id = \"<buildpack id>\""
                        + (versionRequired ? " and version = \"<version>\"" : "")
                        + ".");
            }
            List<ModuleRef> refs = new ArrayList<>();
            for (TomlDocument.Element g : group) {
                TomlTable t = g.table();
                doc.allowOnly(t, "order.group", g.position(), groupKeys, "[[order.group]] takes id, version and optional");
                String id = doc.required(t, "order.group", "id", g.position(), "id = \"example/python\"",
                        "Every [[order.group]] names a buildpack: add id = \"<buildpack id>\".");
                String version = versionRequired
                        ? doc.required(t, "order.group", "version", g.position(), "version = \"0.0.1\"",
                                "A buildpack in a group of buildpack.toml needs its version too: add version ="
                                        + " \"<version of " + id + ">\".")
                        : doc.string(t, "order.group", "version", "version = \"0.0.1\"");
                refs.add(new ModuleRef(id, version, doc.bool(t, "order.group", "optional")));
            }
            out.add(new OrderGroup(refs));
        }
        return List.copyOf(out);
    }
}
