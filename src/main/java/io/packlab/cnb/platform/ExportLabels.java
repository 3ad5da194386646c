package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.cnb.descriptor.ProjectDescriptor;
import io.packlab.cnb.metadata.BuildMetadata;
import io.packlab.cnb.metadata.LifecycleMetadata;
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
    static LifecycleMetadata lifecycle(List<Contribution> contributions, LifecycleLayers own, RunImage run,
            String topLayer) {
        List<LifecycleMetadata.BuildpackEntry> buildpacks = contributions.stream().map(c -> {
            Map<String, LifecycleMetadata.LayerMetadata> layers = new LinkedHashMap<>();
            c.layers().forEach(l -> layers.put(l.name(), LifecycleMetadata.LayerMetadata.launchLayer(l.diffId(),
                    Images.JSON.valueToTree(l.data()), l.build(), l.cache())));
            return new LifecycleMetadata.BuildpackEntry(c.buildpack().id(), c.buildpack().version(), layers,
                    c.store().orElse(null));
        }).toList();
        return LifecycleMetadata.exported(own.app(), own.config(), own.launcher(), own.processTypes(), buildpacks,
                new LifecycleMetadata.RunImage(topLayer, run.details().id(), run.reference(), null));
    }

    /** {@code io.buildpacks.build.metadata}. */
    static BuildMetadata build(List<GroupMember> group, List<BuildpackOutput.Process> processes, String defaultType) {
        return BuildMetadata.exported(group.stream().map(bp -> new BuildMetadata.Buildpack(bp.id(), bp.version(),
                bp.api().toString(), bp.homepage())).toList(), LifecycleImage.version(), Cnb.PLATFORM_NAME,
                processes.stream().map(p -> new BuildMetadata.Process(p.type(), p.command(), p.args(), p.direct(),
                        p.type().equals(defaultType), p.buildpackId(), p.workingDir())).toList(), defaultType);
    }

    /** All labels of the image, in the order they are written. */
    static Map<String, String> all(Map<String, String> launchLabels, LifecycleMetadata lifecycle, BuildMetadata build,
            Optional<ProjectDescriptor> project, Map<String, String> extraLabels) {
        Map<String, String> labels = new LinkedHashMap<>(launchLabels);
        labels.put(LifecycleMetadata.LABEL, lifecycle.toLabel());
        labels.put(BuildMetadata.LABEL, build.toLabel());
        labels.put(Cnb.LABEL_PROJECT, ProjectBuild.label(project));
        labels.putAll(extraLabels);
        return labels;
    }
}
