package io.packlab.check;

import io.packlab.cnb.descriptor.BuildpackDescriptor;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.ExecResult;
import io.packlab.error.PacklabException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code buildpack PATH valid}: buildpack.toml is a valid descriptor for its API and the scripts are
 * executable. {@code buildpack PATH detects APP on IMAGE}: bin/detect passes on the app when run in
 * a container of the build image, as the image's user; for a composite buildpack, a group of its
 * order passes ({@link CompositeDetect}).
 */
final class BuildpackVerb implements CheckVerb {

    @Override
    public String name() {
        return "buildpack";
    }

    @Override
    public List<String> synopsis() {
        return List.of("buildpack PATH valid", "buildpack PATH detects APPDIR on IMAGE");
    }

    @Override
    public Check parse(Tokens t) {
        String path = t.next("the buildpack's folder");
        String what = t.expect("valid", "detects");
        if (what.equals("valid")) {
            t.end();
            return new LineCheck(t) {
                @Override
                public CheckResult evaluate(CheckContext context) {
                    Path toml = context.workdir().resolve(path).resolve("buildpack.toml").normalize();
                    if (!Files.isRegularFile(toml)) {
                        return CheckResult.fail(this, "a buildpack in " + path, "no buildpack.toml in " + path);
                    }
                    try {
                        BuildpackDescriptor d = BuildpackDescriptor.read(toml);
                        return CheckResult.pass(this, d.id() + "@" + d.version() + ", Buildpack API " + d.api());
                    } catch (PacklabException e) {
                        return CheckResult.fail(this, "a valid buildpack descriptor", e.getMessage());
                    }
                }
            };
        }
        String app = t.next("the app folder");
        t.expect("on");
        String image = t.next("the build image");
        t.end();
        return new LineCheck(t) {
            @Override
            public CheckResult evaluate(CheckContext context) {
                Path bp = context.workdir().resolve(path).normalize();
                Path appDir = context.workdir().resolve(app).normalize();
                Optional<BuildpackDescriptor> composite = composite(bp);
                CompositeDetect compositeDetect = new CompositeDetect(this, path, app, image);
                String expected = composite.isPresent() ? compositeDetect.expected()
                        : path + "/bin/detect passes on " + app + " in " + image;
                if (context.image(image).isEmpty()) {
                    return CheckResult.fail(this, expected, "no image " + image + " in the engine");
                }
                if (composite.isPresent()) {
                    return !Files.isDirectory(appDir) ? CheckResult.fail(this, expected, "no folder " + app)
                            : compositeDetect.evaluate(context, composite.get(), appDir, context.image(image).get());
                }
                if (!Files.isExecutable(bp.resolve("bin/detect")) && Files.isDirectory(appDir)
                        && Files.isRegularFile(bp.resolve("buildpack.toml"))) { // say why it is not a composite
                    try {
                        BuildpackDescriptor.read(bp.resolve("buildpack.toml"));
                    } catch (PacklabException e) {
                        return CheckResult.fail(this, expected, "no executable " + path + "/bin/detect, and "
                                + e.getMessage());
                    }
                }
                if (!Files.isExecutable(bp.resolve("bin/detect")) || !Files.isDirectory(appDir)) {
                    return CheckResult.fail(this, expected, !Files.isDirectory(appDir) ? "no folder " + app
                            : "no executable " + path + "/bin/detect");
                }
                try {
                    return detect(context, bp, appDir, image, expected);
                } catch (IOException | InterruptedException e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    return CheckResult.fail(this, expected, "could not run detect: " + e.getMessage());
                }
            }

            private CheckResult detect(CheckContext context, Path bp, Path appDir, String image, String expected)
                    throws IOException, InterruptedException {
                var engine = context.engine();
                String user = context.image(image).get().user();
                String c = engine.createContainer(ContainerSpec.idle(image, Map.of(context.label(), "check")));
                Path tar = io.packlab.engine.Owner.tempFile("detect", ".tar");
                try {
                    engine.startContainer(c);
                    int[] ids = ids(user);
                    int uid = ids[0];
                    int gid = ids[1];
                    LayerBuilder files = new LayerBuilder();
                    files.directory("tmp/packlab-check", uid, gid, 0755);
                    files.directory("tmp/packlab-check/platform", uid, gid, 0755);
                    files.tree(bp, "tmp/packlab-check/buildpack", uid, gid);
                    files.tree(appDir, "tmp/packlab-check/app", uid, gid);
                    files.file("tmp/packlab-check/plan.toml", new byte[0], uid, gid, 0644);
                    try (InputStream in = Files.newInputStream(files.write(tar).path())) {
                        engine.copyToContainer(c, in, "/");
                    }
                    List<String> output = new ArrayList<>();
                    String dir = "/tmp/packlab-check";
                    ExecResult r = engine.exec(c, List.of(dir + "/buildpack/bin/detect", dir + "/platform",
                            dir + "/plan.toml"), null, Map.of("CNB_BUILDPACK_DIR", dir + "/buildpack",
                            "CNB_PLATFORM_DIR", dir + "/platform", "CNB_BUILD_PLAN_PATH", dir + "/plan.toml"),
                            dir + "/app", output::add, Cancellation.none());
                    String said = output.isEmpty() ? "" : " (" + String.join(" / ", output) + ")";
                    return CheckResult.of(this, r.ok(), expected, "detect exited with " + r.exitCode()
                            + (r.exitCode() == 100 ? ", \"does not apply\"" : "") + said);
                } finally {
                    Files.deleteIfExists(tar);
                    engine.removeContainer(c);
                }
            }
        };
    }

    /**
     * The buildpack at {@code bp} when its buildpack.toml reads as a composite ({@code [[order]]}); empty for any other
     * buildpack, and for one whose buildpack.toml is missing or does not read (the bin/detect path judges those).
     */
    private static Optional<BuildpackDescriptor> composite(Path bp) {
        Path toml = bp.resolve("buildpack.toml");
        if (!Files.isRegularFile(toml)) {
            return Optional.empty();
        }
        try {
            return Optional.of(BuildpackDescriptor.read(toml)).filter(BuildpackDescriptor::isComposite);
        } catch (PacklabException e) {
            return Optional.empty();
        }
    }

    /** The numeric uid and gid of an image's user ({@code uid[:gid]}); 0 for a name or none. */
    static int[] ids(String user) {
        String[] ids = user == null ? new String[] {""} : user.split(":");
        if (!ids[0].matches("\\d+")) {
            return new int[] {0, 0};
        }
        int uid = Integer.parseInt(ids[0]);
        return new int[] {uid, ids.length > 1 && ids[1].matches("\\d+") ? Integer.parseInt(ids[1]) : uid};
    }
}
