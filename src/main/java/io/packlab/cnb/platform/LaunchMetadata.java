package io.packlab.cnb.platform;

import java.util.List;

/**
 * {@code /layers/config/metadata.toml}, what the exporter tells the launcher: the buildpacks in build
 * order and the processes (the format is described at {@link LifecycleImage}).
 */
final class LaunchMetadata {

    /** A buildpack of the group, in build order. */
    record Buildpack(String id, String version, String api) {
    }

    private LaunchMetadata() {
    }

    /** The file's text; {@code defaultType} may be null (no default process). */
    static String toml(List<BuildpackOutput.Process> processes, String defaultType, List<Buildpack> buildpacks) {
        StringBuilder toml = new StringBuilder();
        if (defaultType != null) {
            toml.append("buildpack-default-process-type = ").append(string(defaultType)).append("\n\n");
        }
        for (Buildpack bp : buildpacks) {
            toml.append("[[buildpacks]]\nid = ").append(string(bp.id())).append("\nversion = ")
                    .append(string(bp.version())).append("\napi = ").append(string(bp.api())).append("\n\n");
        }
        for (BuildpackOutput.Process p : processes) {
            toml.append("[[processes]]\ntype = ").append(string(p.type()))
                    .append("\ncommand = ").append(array(p.command()))
                    .append("\nargs = ").append(array(p.args()))
                    .append("\ndirect = ").append(p.direct())
                    .append("\ndefault = ").append(p.type().equals(defaultType));
            if (p.workingDir() != null) {
                toml.append("\nworking-dir = ").append(string(p.workingDir()));
            }
            toml.append("\nbuildpack-id = ").append(string(p.buildpackId())).append("\n\n");
        }
        return toml.toString();
    }

    /** A TOML basic string: JSON's escapes are TOML's. */
    private static String string(String text) {
        return Images.text(Images.JSON.getNodeFactory().textNode(text));
    }

    private static String array(List<String> items) {
        return Images.text(Images.JSON.valueToTree(items));
    }
}
