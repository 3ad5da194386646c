package io.packlab.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What packlab reads of an image: its ID, tags, config (labels, env, user, working dir, entrypoint)
 * and its layers as diff IDs, bottom first.
 */
public record ImageInfo(
        String id,
        List<String> repoTags,
        Map<String, String> labels,
        List<String> env,
        String user,
        String workingDir,
        List<String> entrypoint,
        List<String> cmd,
        List<String> layers,
        long size) {

    public ImageInfo {
        repoTags = List.copyOf(repoTags);
        labels = Map.copyOf(labels);
        env = List.copyOf(env);
        user = user == null ? "" : user;
        workingDir = workingDir == null ? "" : workingDir;
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        layers = List.copyOf(layers);
    }

    /** The value of an environment variable in the image config, if set. */
    public Optional<String> envValue(String name) {
        String prefix = name + "=";
        return env.stream().filter(e -> e.startsWith(prefix)).map(e -> e.substring(prefix.length())).findFirst();
    }

    public Optional<String> label(String key) {
        return Optional.ofNullable(labels.get(key));
    }

    /** The diff ID of the top layer, if the image has layers. */
    public Optional<String> topLayer() {
        return layers.isEmpty() ? Optional.empty() : Optional.of(layers.get(layers.size() - 1));
    }

    /** The short form of the image ID, as {@code docker images} prints it. */
    public String shortId() {
        return shortDigest(id);
    }

    /** The first 12 hex digits of a {@code sha256:} digest (an image ID or a diff ID). */
    public static String shortDigest(String digest) {
        String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
