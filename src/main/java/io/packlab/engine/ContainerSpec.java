package io.packlab.engine;

import java.util.List;
import java.util.Map;

/**
 * A container to create: image, user, env, labels (packlab always adds {@link Engine#LESSON_LABEL}
 * through the caller), entrypoint and command, working dir, volume mounts, published ports.
 *
 * @param mounts volume name -> path in the container
 * @param ports  container port (e.g. 8080) -> host port (0: the engine picks one)
 */
public record ContainerSpec(String image, String name, String user, Map<String, String> env,
        Map<String, String> labels, List<String> entrypoint, List<String> cmd, String workingDir,
        Map<String, String> mounts, Map<Integer, Integer> ports) {

    public ContainerSpec {
        env = Map.copyOf(env);
        labels = Map.copyOf(labels);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        mounts = Map.copyOf(mounts);
        ports = Map.copyOf(ports);
    }

    /** A container of {@code image} that idles (so steps can be exec'd in it), with the given labels. */
    public static ContainerSpec idle(String image, Map<String, String> labels) {
        return new ContainerSpec(image, null, null, Map.of(), labels, List.of("sleep"), List.of("infinity"), null,
                Map.of(), Map.of());
    }
}
