package io.packlab.cnb.platform;

import io.packlab.cnb.image.LayerBuilder;
import io.packlab.engine.ExecResult;
import io.packlab.engine.Owner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle's build phase: bin/build of each buildpack of the group, in order, as the CNB user, with its share of
 * the build plan and the env of its API; its {@code /layers/<id>} comes back to the host after it, so that the build
 * layers it made are in the env of the buildpacks after it and its unmet plan entries pass on.
 */
final class BuildpackRunner {

    private final BuildContainer container;
    private final BuildpackEnv env;
    private final Reporter out;

    BuildpackRunner(BuildContainer container, BuildpackEnv env, Reporter out) {
        this.container = container;
        this.env = env;
        this.out = out;
    }

    /** Builds with the group detection passed; each buildpack's layers folder is read back into {@code layers}. */
    void build(Detector.Detected detected, Path layers) throws IOException, InterruptedException {
        LaunchEnv buildEnv = new LaunchEnv(List.of());
        BuildPlan plan = detected.plan();
        for (GroupMember bp : detected.group()) {
            runBuild(bp, plan.entriesFor(bp.id()), buildEnv);
            container.extract(bp.layersDir(), layers, BuildpackRunner::readOnHost);
            Path bpLayers = layers.resolve(Cnb.escape(bp.id()));
            plan = plan.afterBuild(bp.id(), bp.key(), BuildpackOutput.unmet(bpLayers.resolve("build.toml"), bp.key()));
            for (BuildpackOutput.LayerToml l : BuildpackOutput.layers(bpLayers, bp.key(), out)) {
                if (l.build()) {
                    buildEnv.apply(bpLayers.resolve(l.name()), bp.layersDir() + "/" + l.name(), "build");
                }
            }
        }
    }

    /**
     * What of {@code /layers/<id>} the platform reads on the host (names as {@code <id>/...}): the files at its top
     * ({@code <layer>.toml}, {@code launch.toml}, {@code build.toml}, {@code store.toml}...), each layer's folder
     * (empty), the {@code bin} and {@code lib} entries whose presence puts a layer on PATH and LD_LIBRARY_PATH, and the
     * env folders with their files. Layer content stays in the container: the exporter reads it from there.
     */
    static boolean readOnHost(String name) {
        String[] parts = name.split("/");
        return switch (parts.length) {
            case 1, 2 -> true;
            case 3 -> List.of("bin", "lib", "env", "env.build", "env.launch").contains(parts[2]);
            case 4 -> List.of("env", "env.build", "env.launch").contains(parts[2]);
            default -> false;
        };
    }

    private void runBuild(GroupMember bp, List<BuildPlan.Require> entries, LaunchEnv buildEnv)
            throws InterruptedException, IOException {
        out.info("Running the build of " + bp.id() + " " + bp.version());
        String plan = BuildContainer.WORK + "/bpplan-" + Cnb.escape(bp.id()) + ".toml";
        CnbUser user = container.user();
        LayerBuilder planTar = new LayerBuilder();
        planTar.file(plan.substring(1), BuildPlan.toml(entries).getBytes(StandardCharsets.UTF_8), user.uid(),
                user.gid(), 0644);
        Path tmp = Owner.tempFile("plan", ".tar");
        try {
            container.copyIn(planTar, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
        container.asUser("mkdir -p " + bp.layersDir());
        Map<String, String> vars = env.build(bp, buildEnv, plan);
        ExecResult r = container.run(List.of(bp.dir() + "/bin/build", bp.layersDir(), Cnb.PLATFORM_DIR, plan), vars,
                out::output);
        if (!r.ok()) {
            throw new PlatformException("buildpack " + bp.key() + " failed to build: bin/build exited with code "
                    + r.exitCode() + " (its output is above). No image was made.");
        }
    }
}
