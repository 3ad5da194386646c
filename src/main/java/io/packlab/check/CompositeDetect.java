package io.packlab.check;

import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.cnb.platform.Cnb;
import io.packlab.cnb.platform.CompositeDetection;
import io.packlab.cnb.platform.CompositeDetection.Component;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.Engine;
import io.packlab.engine.ExecResult;
import io.packlab.engine.ImageInfo;
import io.packlab.engine.Owner;
import io.packlab.error.PacklabException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code buildpack PATH detects APP on IMAGE} for a composite buildpack (an {@code [[order]]}, no bin/): the groups of
 * its order, with its buildpacks taken from the folders next to PATH or else from IMAGE's buildpacks (a builder's
 * {@code /cnb/buildpacks}), are tried in order in one container of IMAGE, each buildpack's bin/detect run once; the
 * check passes when a group passes as the lifecycle judges one. A buildpack of the order found nowhere is a failed check
 * that says so, rather than a guess.
 */
final class CompositeDetect {

    private static final String DIR = "/tmp/packlab-check";

    private final Check check;
    private final String path;
    private final String app;
    private final String image;

    CompositeDetect(Check check, String path, String app, String image) {
        this.check = check;
        this.path = path;
        this.app = app;
        this.image = image;
    }

    String expected() {
        return "a group of the order of composite buildpack " + path + " passes detect on " + app + " in " + image;
    }

    CheckResult evaluate(CheckContext context, BuildpackDescriptor composite, Path appDir, ImageInfo info) {
        Path parent = composite.dir().getParent();
        List<BuildpackDescriptor> local = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        if (parent != null) {
            try (Stream<Path> siblings = Files.list(parent)) {
                for (Path dir : siblings.sorted().toList()) {
                    Path toml = dir.resolve("buildpack.toml");
                    if (dir.equals(composite.dir()) || !Files.isRegularFile(toml)) {
                        continue;
                    }
                    try {
                        local.add(BuildpackDescriptor.read(toml));
                    } catch (PacklabException e) {
                        unreadable.add(context.workdir().relativize(dir.toAbsolutePath()) + " (" + e.getMessage()
                                + ")");
                    }
                }
            } catch (IOException e) {
                unreadable.add(parent + " (" + e.getMessage() + ")");
            }
        }
        String folder = parent == null ? "/" : context.workdir().relativize(parent.toAbsolutePath()).toString();
        boolean builder = info.labels().containsKey(Cnb.LABEL_BUILDPACK_LAYERS);
        String where = "the folders next to " + path + " (in " + (folder.isEmpty() ? "." : folder) + ")"
                + (builder ? " or the buildpacks of " + image : " or " + image + ", which holds no buildpacks");
        List<List<Component>> groups;
        try {
            groups = CompositeDetection.groups(composite, local, info.labels(), where);
        } catch (PacklabException e) {
            return CheckResult.fail(check, expected(), "cannot judge: " + e.getMessage() + " Put the folder of each"
                    + " buildpack of its order next to " + path + ", or check on a builder image that has them."
                    + (unreadable.isEmpty() ? "" : " Not read: " + String.join("; ", unreadable) + "."));
        }
        try {
            return run(context, groups, appDir, info.user());
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return CheckResult.fail(check, expected(), "could not run detect: " + e.getMessage());
        }
    }

    private CheckResult run(CheckContext context, List<List<Component>> groups, Path appDir, String user)
            throws IOException, InterruptedException {
        Engine engine = context.engine();
        int[] ids = BuildpackVerb.ids(user);
        int uid = ids[0];
        int gid = ids[1];
        Map<String, String> dirs = new LinkedHashMap<>();
        LayerBuilder files = new LayerBuilder();
        files.directory("tmp/packlab-check", uid, gid, 0755);
        files.directory("tmp/packlab-check/platform", uid, gid, 0755);
        files.directory("tmp/packlab-check/buildpacks", uid, gid, 0755);
        files.tree(appDir, "tmp/packlab-check/app", uid, gid);
        for (List<Component> group : groups) {
            for (Component c : group) {
                if (dirs.containsKey(c.key())) {
                    continue;
                }
                if (c.folder().isPresent()) {
                    String escaped = "tmp/packlab-check/buildpacks/" + Cnb.escape(c.id());
                    if (dirs.values().stream().noneMatch(d -> d.startsWith("/" + escaped + "/"))) {
                        files.directory(escaped, uid, gid, 0755);
                    }
                    files.tree(c.folder().get(), escaped + "/" + c.version(), uid, gid);
                    dirs.put(c.key(), "/" + escaped + "/" + c.version());
                } else {
                    dirs.put(c.key(), c.imageDir());
                }
                files.file("tmp/packlab-check/plan-" + dirs.size() + ".toml", new byte[0], uid, gid, 0644);
            }
        }
        String container = engine.createContainer(ContainerSpec.idle(image, Map.of(context.label(), "check")));
        Path tar = Owner.tempFile("detect", ".tar");
        try {
            engine.startContainer(container);
            try (InputStream in = Files.newInputStream(files.write(tar).path())) {
                engine.copyToContainer(container, in, "/");
            }
            List<String> keys = new ArrayList<>(dirs.keySet());
            Map<String, CompositeDetection.Run> runs = new LinkedHashMap<>();
            List<String> reasons = new ArrayList<>();
            int n = 0;
            for (List<Component> group : groups) {
                n++;
                List<CompositeDetection.Run> groupRuns = new ArrayList<>();
                for (Component c : group) {
                    CompositeDetection.Run run = runs.get(c.key());
                    if (run == null) {
                        run = detect(engine, container, c, dirs.get(c.key()), keys.indexOf(c.key()) + 1);
                        runs.put(c.key(), run);
                    }
                    groupRuns.add(new CompositeDetection.Run(c, run.exitCode(), run.output(), run.planText()));
                }
                CompositeDetection.Verdict v = CompositeDetection.judge(groupRuns);
                String name = "group " + n + " (" + String.join(", ", group.stream().map(Component::key).toList())
                        + ")";
                if (v.passed()) {
                    return CheckResult.pass(check, name + " passed: " + String.join(" / ", v.lines()));
                }
                reasons.add(name + ": " + v.reason());
            }
            return CheckResult.fail(check, expected(), "no group passed: " + String.join("; ", reasons));
        } finally {
            Files.deleteIfExists(tar);
            engine.removeContainer(container);
        }
    }

    private CompositeDetection.Run detect(Engine engine, String container, Component c, String dir, int n)
            throws IOException, InterruptedException {
        String plan = DIR + "/plan-" + n + ".toml";
        List<String> output = new ArrayList<>();
        ExecResult r = engine.exec(container, List.of(dir + "/bin/detect", DIR + "/platform", plan), null,
                Map.of("CNB_BUILDPACK_DIR", dir, "CNB_PLATFORM_DIR", DIR + "/platform", "CNB_BUILD_PLAN_PATH", plan),
                DIR + "/app", output::add, Cancellation.none());
        return new CompositeDetection.Run(c, r.exitCode(), output, r.ok() ? read(engine, container, plan) : "");
    }

    /** The text of a file in the container (empty when it is not there). */
    private static String read(Engine engine, String container, String file) throws IOException {
        Optional<InputStream> stream = engine.copyFromContainer(container, file);
        if (stream.isEmpty()) {
            return "";
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(stream.get())) {
            return tar.getNextTarEntry() == null ? "" : new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
