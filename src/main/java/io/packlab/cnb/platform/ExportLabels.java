package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.descriptor.ProjectDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The labels the exporter writes on an app image: the buildpacks' {@code [[labels]]}, the lifecycle metadata (layers
 * by diff ID, run image), the build metadata (buildpacks, launcher, processes) and the project metadata.
 */
final class ExportLabels {

    /** A launch layer written into the image. */
    record LaunchLayer(String name, String diffId, Map<String, Object> data, boolean build, boolean cache) {
    }

    /** What the image holds of one buildpack of the group: its launch layers and its store.toml. */
    record Contribution(GroupMember buildpack, List<LaunchLayer> layers, Optional<ObjectNode> store) {
    }

    /** The diff IDs of the lifecycle's own layers ({@code processTypes} null when there are no processes). */
    record LifecycleLayers(String app, String config, String launcher, String processTypes) {
    }

    private ExportLabels() {
    }

    /** {@code io.buildpacks.lifecycle.metadata}. */
    static ObjectNode lifecycle(List<Contribution> contributions, LifecycleLayers own, RunImage run, String topLayer) {
        ObjectNode lifecycle = Images.JSON.createObjectNode();
        lifecycle.putArray("app").addObject().put("sha", own.app());
        lifecycle.putObject("config").put("sha", own.config());
        lifecycle.putObject("launcher").put("sha", own.launcher());
        if (own.processTypes() != null) {
            lifecycle.putObject("process-types").put("sha", own.processTypes());
        }
        ArrayNode buildpacks = lifecycle.putArray("buildpacks");
        for (Contribution c : contributions) {
            ObjectNode bpMeta = buildpacks.addObject();
            bpMeta.put("key", c.buildpack().id());
            bpMeta.put("version", c.buildpack().version());
            ObjectNode layerMeta = bpMeta.putObject("layers");
            c.store().ifPresent(store -> bpMeta.set("store", store));
            for (LaunchLayer l : c.layers()) {
                ObjectNode lm = layerMeta.putObject(l.name());
                lm.put("sha", l.diffId());
                lm.set("data", Images.JSON.valueToTree(l.data()));
                lm.put("launch", true);
                if (l.build()) {
                    lm.put("build", true);
                }
                if (l.cache()) {
                    lm.put("cache", true);
                }
            }
        }
        ObjectNode runImage = lifecycle.putObject("runImage");
        runImage.put("topLayer", topLayer);
        runImage.put("reference", run.details().id());
        runImage.put("image", run.reference());
        lifecycle.putObject("stack").putObject("runImage").put("image", run.reference()).putArray("mirrors");
        return lifecycle;
    }

    /** {@code io.buildpacks.build.metadata}. */
    static ObjectNode build(List<GroupMember> group, List<BuildpackOutput.Process> processes, String defaultType) {
        ObjectNode buildMeta = Images.JSON.createObjectNode();
        buildMeta.putArray("bom");
        ArrayNode bps = buildMeta.putArray("buildpacks");
        for (GroupMember bp : group) {
            ObjectNode bm = bps.addObject().put("id", bp.id()).put("version", bp.version())
                    .put("api", bp.api().toString());
            if (bp.homepage() != null) {
                bm.put("homepage", bp.homepage());
            }
        }
        buildMeta.putObject("launcher").put("version", LifecycleImage.version()).putObject("source")
                .put("name", Cnb.PLATFORM_NAME);
        ArrayNode procs = buildMeta.putArray("processes");
        for (BuildpackOutput.Process p : processes) {
            ObjectNode o = procs.addObject().put("type", p.type());
            ArrayNode cmd = o.putArray("command");
            p.command().forEach(cmd::add);
            ArrayNode args = o.putArray("args");
            p.args().forEach(args::add);
            o.put("direct", p.direct()).put("default", p.type().equals(defaultType)).put("buildpackID", p.buildpackId());
            if (p.workingDir() != null) {
                o.put("working-dir", p.workingDir());
            }
        }
        if (defaultType != null) {
            buildMeta.put("buildpack-default-process-type", defaultType);
        }
        return buildMeta;
    }

    /** All labels of the image, in the order they are written. */
    static Map<String, String> all(Map<String, String> launchLabels, ObjectNode lifecycle, ObjectNode build,
            Optional<ProjectDescriptor> project, Map<String, String> extraLabels) {
        Map<String, String> labels = new LinkedHashMap<>(launchLabels);
        labels.put(Cnb.LABEL_LIFECYCLE, Images.text(lifecycle));
        labels.put(Cnb.LABEL_BUILD, Images.text(build));
        labels.put(Cnb.LABEL_PROJECT, ProjectBuild.label(project));
        labels.putAll(extraLabels);
        return labels;
    }
}
