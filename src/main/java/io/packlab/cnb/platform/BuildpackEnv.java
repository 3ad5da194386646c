package io.packlab.cnb.platform;

import io.packlab.cnb.image.ImageConfig;
import io.packlab.engine.ImageDetails;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * The env of a buildpack's bin/detect and bin/build, beyond the builder's (which they inherit from the container): what
 * build layers of earlier buildpacks set, the platform env (user-provided unless the buildpack has {@code clear-env},
 * then operator-defined), and the {@code CNB_*} variables of its Buildpack API.
 */
final class BuildpackEnv {

    private final BuildContainer container;
    private final ImageDetails builder;
    private final PlatformEnv platformEnv;
    /** Each buildpack's {@code clear-env} by {@code id@version}: from descriptors already read, else the container's. */
    private final Map<String, Boolean> clearEnv;

    BuildpackEnv(BuildContainer container, ImageDetails builder, PlatformEnv platformEnv, Map<String, Boolean> clearEnv) {
        this.container = container;
        this.builder = builder;
        this.platformEnv = platformEnv;
        this.clearEnv = new LinkedHashMap<>(clearEnv);
    }

    /** bin/detect's env; {@code plan} is the plan file it writes. */
    Map<String, String> detect(GroupMember bp, String plan) throws IOException {
        Map<String, String> env = withPlatformEnv(bp, Map.of());
        env.putAll(cnbEnv(bp));
        if (bp.api().cnbEnv()) {
            env.put("CNB_PLATFORM_DIR", Cnb.PLATFORM_DIR);
            env.put("CNB_BUILD_PLAN_PATH", plan);
        }
        return env;
    }

    /** bin/build's env after the build layers of the buildpacks before it; {@code plan} is the plan it reads. */
    Map<String, String> build(GroupMember bp, LaunchEnv buildLayers, String plan) throws IOException {
        Map<String, String> layerEnv = new LinkedHashMap<>(buildLayers.asMap());
        String path = buildLayers.get("PATH");
        if (path != null) {
            layerEnv.put("PATH", path + ":" + ImageConfig.of(builder).envValue("PATH").orElse("/usr/bin:/bin"));
        }
        Map<String, String> env = withPlatformEnv(bp, layerEnv);
        env.putAll(cnbEnv(bp));
        if (bp.api().cnbEnv()) {
            env.put("CNB_LAYERS_DIR", bp.layersDir());
            env.put("CNB_PLATFORM_DIR", Cnb.PLATFORM_DIR);
            env.put("CNB_BP_PLAN_PATH", plan);
        }
        return env;
    }

    /** {@code layerEnv} over the builder's env, then the platform env; only what differs from the builder's env. */
    private Map<String, String> withPlatformEnv(GroupMember bp, Map<String, String> layerEnv) throws IOException {
        Map<String, String> image = new LinkedHashMap<>(new LaunchEnv(ImageConfig.of(builder).env()).asMap());
        Map<String, String> base = new LinkedHashMap<>(image);
        base.putAll(layerEnv);
        boolean clear = clearEnv(bp);
        Map<String, String> env = new LinkedHashMap<>();
        platformEnv.apply(base, clear).forEach((k, v) -> {
            if (!v.equals(image.get(k))) {
                env.put(k, v);
            }
        });
        return env;
    }

    /** The env every buildpack gets, by its API. */
    private Map<String, String> cnbEnv(GroupMember bp) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNB_BUILDPACK_DIR", bp.dir());
        if (bp.api().hasTargets()) {
            env.put("CNB_TARGET_OS", builder.config().path("os").asText("linux"));
            env.put("CNB_TARGET_ARCH", builder.config().path("architecture").asText("amd64"));
            if (builder.config().hasNonNull("variant")) {
                env.put("CNB_TARGET_ARCH_VARIANT", builder.config().get("variant").asText());
            }
            Map<String, String> labels = ImageConfig.of(builder).labels();
            Optional.ofNullable(labels.get("io.buildpacks.base.distro.name"))
                    .ifPresent(v -> env.put("CNB_TARGET_DISTRO_NAME", v));
            Optional.ofNullable(labels.get("io.buildpacks.base.distro.version"))
                    .ifPresent(v -> env.put("CNB_TARGET_DISTRO_VERSION", v));
        }
        if (bp.api().execEnv()) {
            env.put("CNB_EXEC_ENV", "production");
        }
        return env;
    }

    /**
     * The buildpack's {@code clear-env}: known from the descriptor read on this machine ({@code --buildpack} folders),
     * else read once from its buildpack.toml in the build container (the builder's buildpacks: its labels do not carry
     * the flag).
     */
    private boolean clearEnv(GroupMember bp) throws IOException {
        Boolean known = clearEnv.get(bp.key());
        if (known != null) {
            return known;
        }
        Path dir = io.packlab.engine.Owner.tempDirectory("descriptor");
        boolean clear;
        try {
            container.extract(bp.dir() + "/buildpack.toml", dir);
            clear = clearEnv(dir.resolve("buildpack.toml"));
        } finally {
            AppBuilder.deleteTree(dir);
        }
        clearEnv.put(bp.key(), clear);
        return clear;
    }

    /** The {@code clear-env} of a buildpack.toml; false when the file is missing or unreadable. */
    static boolean clearEnv(Path toml) throws IOException {
        if (!Files.isRegularFile(toml)) {
            return false;
        }
        TomlParseResult p = Toml.parse(toml);
        return !p.hasErrors() && Boolean.TRUE.equals(p.getBoolean("buildpack.clear-env"));
    }
}
