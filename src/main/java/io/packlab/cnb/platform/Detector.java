package io.packlab.cnb.platform;

import io.packlab.engine.ExecResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle's detect phase: runs bin/detect of the buildpacks of each group (each buildpack once, as the lifecycle
 * caches its runs) and keeps the first group that {@link BuildPlan#resolve} passes, with its build plan; prints the
 * pass/skip/fail lines as the lifecycle logs them.
 */
final class Detector {

    /** What detect found: the buildpacks that take part, in order, and the build plan that matched them. */
    record Detected(List<GroupMember> group, BuildPlan plan) {
    }

    private final BuildContainer container;
    private final BuildpackEnv env;
    private final Reporter out;

    Detector(BuildContainer container, BuildpackEnv env, Reporter out) {
        this.container = container;
        this.env = env;
        this.out = out;
    }

    /** The first group of {@code order} that passes; {@code appDir} is named when none does. */
    Detected detect(List<List<GroupMember>> order, Path appDir) throws IOException, InterruptedException {
        Map<String, BuildPlan.Run> runs = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        boolean errored = false;
        int g = 0;
        for (List<GroupMember> group : order) {
            g++;
            List<BuildPlan.Run> groupRuns = new ArrayList<>();
            for (GroupMember bp : group) {
                BuildPlan.Run run = runs.get(bp.key());
                if (run == null) {
                    run = runDetect(bp, runs.size() + 1);
                    runs.put(bp.key(), run);
                }
                groupRuns.add(new BuildPlan.Run(bp.member(), run.exitCode(), run.output(), run.planText()));
            }
            BuildPlan.Verdict verdict = BuildPlan.resolve(groupRuns);
            verdict.lines().forEach(out::info);
            if (verdict.passed()) {
                BuildPlan plan = verdict.plan().get();
                List<GroupMember> passed = group.stream().filter(bp -> plan.group().stream().anyMatch(m -> m.key()
                        .equals(bp.key()))).toList();
                return new Detected(passed, plan);
            }
            errored |= verdict.errored();
            reasons.add((order.size() > 1 ? "group " + g + " (" + String.join(", ", group.stream()
                    .map(GroupMember::key).toList()) + "): " : "") + verdict.reason());
        }
        throw new PlatformException("No buildpack groups passed detection" + (errored ? " (a buildpack's detect"
                + " errored)" : "") + ": " + String.join("; ", reasons) + ". Please check that you are running against"
                + " the correct path: the app folder was " + appDir + " (run pack build in the app's folder, or give"
                + " --path).");
    }

    /**
     * The plan files detect hands to the buildpacks of {@code order}, one per buildpack in the order they first
     * appear: the build makes them, empty and owned by the CNB user, before detect (with its other folders, in one
     * shell line), as the lifecycle gives each bin/detect an empty plan file.
     */
    static List<String> planFiles(List<List<GroupMember>> order) {
        long buildpacks = order.stream().flatMap(List::stream).map(GroupMember::key).distinct().count();
        List<String> plans = new ArrayList<>();
        for (int n = 1; n <= buildpacks; n++) {
            plans.add(planFile(n));
        }
        return plans;
    }

    private static String planFile(int n) {
        return BuildContainer.WORK + "/plan-" + n + ".toml";
    }

    /** One buildpack's bin/detect, as the CNB user, with the arguments and env of its API; its output is shown live. */
    private BuildPlan.Run runDetect(GroupMember bp, int n) throws IOException, InterruptedException {
        String plan = planFile(n);
        Map<String, String> vars = env.detect(bp, plan);
        List<String> lines = new ArrayList<>();
        ExecResult r = container.run(List.of(bp.dir() + "/bin/detect", Cnb.PLATFORM_DIR, plan), vars, line -> {
            lines.add(line);
            out.output(line);
        });
        return new BuildPlan.Run(bp.member(), r.exitCode(), lines, r.exitCode() == 0 ? container.readText(plan) : "");
    }
}
