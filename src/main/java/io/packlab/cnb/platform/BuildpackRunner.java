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

    /**
     * Builds with the group detection passed; each buildpack's layers folder is read back into {@code layers}. After
     * the last buildpack's build, the restored layers of {@code cached} are fingerprinted again (in the same shell line
     * as its staging), so that the exporter knows which are unchanged.
     */
    void build(Detector.Detected detected, Path layers, CachedLayers cached) throws IOException, InterruptedException {
        LaunchEnv buildEnv = new LaunchEnv(List.of());
        BuildPlan plan = detected.plan();
        List<GroupMember> group = detected.group();
        List<String> restored = cached.restored();
        for (GroupMember bp : group) {
            runBuild(bp, plan.entriesFor(bp.id()), buildEnv);
            String stage = stageScript(bp);
            if (bp == group.get(group.size() - 1) && !restored.isEmpty()) {
                stage = "{ " + stage + "; } && cd " + Cnb.LAYERS_DIR + " && {\n" + CachedLayers.fingerprints(restored)
                        + "\n}";
            }
            container.root(stage, cached::builtLine);
            container.extract(STAGE + "/" + Cnb.escape(bp.id()), layers);
            Path bpLayers = layers.resolve(Cnb.escape(bp.id()));
            plan = plan.afterBuild(bp.id(), bp.key(), BuildpackOutput.unmet(bpLayers.resolve("build.toml"), bp.key()));
            for (BuildpackOutput.LayerToml l : BuildpackOutput.layers(bpLayers, bp.key(), out)) {
                if (l.build()) {
                    buildEnv.apply(bpLayers.resolve(l.name()), bp.layersDir() + "/" + l.name(), "build");
                }
            }
        }
    }

    /** Where, in the build container, the part of a buildpack's layers folder the host reads is staged. */
    static final String STAGE = BuildContainer.WORK + "/host-layers";

    /**
     * The shell line that stages, in the container, what of {@code /layers/<id>} the platform reads on the host: the
     * entries at its top ({@code <layer>.toml}, {@code launch.toml}, {@code build.toml}, {@code store.toml}...; symlinks
     * kept), each layer's folder with its {@code bin} and {@code lib} folders (empty: their presence puts a layer on
     * PATH and LD_LIBRARY_PATH) and its env folders with their files. Layer content stays where it is, and is never
     * read through the engine here: the exporter reads it once, from the container. Hidden names count too.
     */
    static String stageScript(GroupMember bp) {
        String from = AppBuilder.quoted(bp.layersDir());
        String to = AppBuilder.quoted(STAGE + "/" + Cnb.escape(bp.id()));
        return "rm -rf " + to + " && mkdir -p " + to + " && if cd " + from + "; then for f in * .[!.]* ..?*; do"
                + " if [ -d \"$f\" ] && [ ! -L \"$f\" ]; then mkdir " + to + "/\"$f\" || exit 1;"
                + " for e in bin lib; do if [ -d \"$f/$e\" ]; then mkdir " + to + "/\"$f/$e\" || exit 1; fi; done;"
                + " for e in env env.build env.launch; do if [ -d \"$f/$e\" ]; then cp -pR \"$f/$e\" " + to
                + "/\"$f/\" || exit 1; fi; done;"
                + " elif [ -e \"$f\" ] || [ -L \"$f\" ]; then cp -pP \"$f\" " + to + "/ || exit 1; fi; done; fi";
    }

    private void runBuild(GroupMember bp, List<BuildPlan.Require> entries, LaunchEnv buildEnv)
            throws InterruptedException, IOException {
        out.info("Running the build of " + bp.id() + " " + bp.version());
        String plan = BuildContainer.WORK + "/bpplan-" + Cnb.escape(bp.id()) + ".toml";
        CnbUser user = container.user();
        LayerBuilder planTar = new LayerBuilder();
        planTar.file(plan.substring(1), BuildPlan.toml(entries).getBytes(StandardCharsets.UTF_8), user.uid(),
                user.gid(), 0644);
        // the buildpack's layers folder, the CNB user's, comes with its plan (kept with what the restore put in it)
        planTar.directory(bp.layersDir().substring(1), user.uid(), user.gid(), 0755);
        Path tmp = Owner.tempFile("plan", ".tar");
        try {
            container.copyIn(planTar, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
        Map<String, String> vars = env.build(bp, buildEnv, plan);
        ExecResult r = container.run(List.of(bp.dir() + "/bin/build", bp.layersDir(), Cnb.PLATFORM_DIR, plan), vars,
                out::output);
        if (!r.ok()) {
            throw new PlatformException("buildpack " + bp.key() + " failed to build: bin/build exited with code "
                    + r.exitCode() + " (its output is above). No image was made.");
        }
    }
}
