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
 * a container of the build image, as the image's user (for a composite buildpack, a group of its
 * order passes: {@link CompositeDetect}); {@code skips}: it exits with 100 there;
 * {@code builds}: detect passes, then bin/build leaves a launch layer (a folder and a
 * {@code <name>.toml} with {@code [types] launch = true}) and a process in {@code launch.toml}.
 */
final class BuildpackVerb implements CheckVerb {

    @Override
    public String name() {
        return "buildpack";
    }

    @Override
    public List<String> synopsis() {
        return List.of("buildpack PATH valid", "buildpack PATH detects APPDIR on IMAGE",
                "buildpack PATH skips APPDIR on IMAGE", "buildpack PATH builds APPDIR on IMAGE");
    }

    @Override
    public Check parse(Tokens t) {
        String path = t.next("the buildpack's folder");
        String what = t.expect("valid", "detects", "skips", "builds");
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
                Optional<BuildpackDescriptor> composite = what.equals("detects") ? composite(bp) : Optional.empty();
                CompositeDetect compositeDetect = new CompositeDetect(this, path, app, image);
                String expected = composite.isPresent() ? compositeDetect.expected() : switch (what) {
                    case "detects" -> path + "/bin/detect passes on " + app + " in " + image;
                    case "skips" -> path + "/bin/detect exits with 100 (\"does not apply\") on " + app + " in " + image;
                    default -> path + "/bin/build makes a launch layer and a process for " + app + " in " + image;
                };
                if (context.image(image).isEmpty()) {
                    return CheckResult.fail(this, expected, "no image " + image + " in the engine");
                }
                if (composite.isPresent()) {
                    return !Files.isDirectory(appDir) ? CheckResult.fail(this, expected, "no folder " + app)
                            : compositeDetect.evaluate(context, composite.get(), appDir, context.image(image).get());
                }
                String script = what.equals("builds") && !Files.isExecutable(bp.resolve("bin/build")) ? "build" : "detect";
                if (!Files.isExecutable(bp.resolve("bin/" + script)) && Files.isDirectory(appDir)
                        && Files.isRegularFile(bp.resolve("buildpack.toml"))) { // say why it is not a composite
                    try {
                        BuildpackDescriptor.read(bp.resolve("buildpack.toml"));
                    } catch (PacklabException e) {
                        return CheckResult.fail(this, expected, "no executable " + path + "/bin/" + script + ", and "
                                + e.getMessage());
                    }
                }
                if (!Files.isExecutable(bp.resolve("bin/" + script)) || !Files.isDirectory(appDir)) {
                    return CheckResult.fail(this, expected, !Files.isDirectory(appDir) ? "no folder " + app
                            : "no executable " + path + "/bin/" + script);
                }
                try {
                    return run(context, bp, appDir, image, expected);
                } catch (IOException | InterruptedException e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    return CheckResult.fail(this, expected, "could not run the buildpack: " + e.getMessage());
                }
            }

            private CheckResult run(CheckContext context, Path bp, Path appDir, String image, String expected)
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
                    files.directory("tmp/packlab-check/layers", uid, gid, 0755);
                    files.tree(bp, "tmp/packlab-check/buildpack", uid, gid);
                    files.tree(appDir, "tmp/packlab-check/app", uid, gid);
                    files.file("tmp/packlab-check/plan.toml", new byte[0], uid, gid, 0644);
                    files.file("tmp/packlab-check/bpplan.toml", new byte[0], uid, gid, 0644);
                    try (InputStream in = Files.newInputStream(files.write(tar).path())) {
                        engine.copyToContainer(c, in, "/");
                    }
                    List<String> output = new ArrayList<>();
                    String dir = "/tmp/packlab-check";
                    ExecResult r = engine.exec(c, List.of(dir + "/buildpack/bin/detect", dir + "/platform",
                            dir + "/plan.toml"), null, Map.of("CNB_BUILDPACK_DIR", dir + "/buildpack",
                            "CNB_PLATFORM_DIR", dir + "/platform", "CNB_BUILD_PLAN_PATH", dir + "/plan.toml"),
                            dir + "/app", output::add, Cancellation.none());
                    String said = said(output);
                    String detected = "detect exited with " + r.exitCode()
                            + (r.exitCode() == 100 ? ", \"does not apply\"" : "") + said;
                    if (what.equals("detects")) {
                        return CheckResult.of(this, r.ok(), expected, detected);
                    }
                    if (what.equals("skips")) {
                        return CheckResult.of(this, r.exitCode() == 100, expected, r.ok()
                                ? "detect exited with 0: it passes here too, where there is nothing for it to build" + said
                                : detected);
                    }
                    if (!r.ok()) {
                        return CheckResult.fail(this, expected, detected + "; build runs only after detect passes");
                    }
                    output.clear();
                    r = engine.exec(c, List.of(dir + "/buildpack/bin/build", dir + "/layers", dir + "/platform",
                            dir + "/bpplan.toml"), null, Map.of("CNB_BUILDPACK_DIR", dir + "/buildpack",
                            "CNB_PLATFORM_DIR", dir + "/platform", "CNB_LAYERS_DIR", dir + "/layers",
                            "CNB_BP_PLAN_PATH", dir + "/bpplan.toml"), dir + "/app", output::add, Cancellation.none());
                    if (!r.ok()) {
                        return CheckResult.fail(this, expected, "build exited with " + r.exitCode() + said(output));
                    }
                    List<String> listing = new ArrayList<>();
                    engine.exec(c, List.of("/bin/sh", "-c", "cd " + dir + "/layers && for f in *; do"
                            + " if [ -d \"$f\" ]; then echo \"### dir $f\"; elif [ -f \"$f\" ]; then"
                            + " echo \"### file $f\"; cat \"$f\"; echo; fi; done"), null, Map.of(), dir,
                            listing::add, Cancellation.none());
                    return built(BuildOutput.parse(listing), expected);
                } finally {
                    Files.deleteIfExists(tar);
                    engine.removeContainer(c);
                }
            }

            private CheckResult built(BuildOutput out, String expected) {
                List<String> launch = out.launchLayers();
                List<String> processes = out.processes();
                List<String> missing = new ArrayList<>();
                if (launch.isEmpty()) {
                    missing.add(out.layerFiles().isEmpty() ? (out.files().isEmpty() && out.folders().isEmpty()
                            ? "no layer: the layers folder stays empty" : "no layer: the layers folder holds only "
                            + String.join(", ", out.files()) + (out.folders().isEmpty() ? "" : ", folders "
                            + String.join(", ", out.folders())) + ", and no <name>.toml")
                            : "no launch layer: " + String.join(", ", out.layerFiles())
                                    + " without [types] launch = true, or without its folder");
                }
                if (processes.isEmpty()) {
                    missing.add(out.files().contains("launch.toml") ? "launch.toml declares no [[processes]] with a type"
                            + " and a command" : "no launch.toml: no process declared");
                }
                return missing.isEmpty()
                        ? CheckResult.pass(this, "launch layer " + String.join(", ", launch) + "; process "
                                + String.join(", ", processes))
                        : CheckResult.fail(this, expected, String.join("; ", missing));
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

    private static String said(List<String> output) {
        List<String> last = output.size() > 6 ? output.subList(output.size() - 6, output.size()) : output;
        return last.isEmpty() ? "" : " (" + String.join(" / ", last) + ")";
    }

    /** What bin/build left in the layers folder: folders, and the text of each file. */
    record BuildOutput(List<String> folders, Map<String, String> texts) {

        static BuildOutput parse(List<String> listing) {
            List<String> folders = new ArrayList<>();
            Map<String, String> texts = new java.util.LinkedHashMap<>();
            String file = null;
            StringBuilder text = new StringBuilder();
            for (String line : listing) {
                if (line.startsWith("### dir ")) {
                    folders.add(line.substring(8));
                } else if (line.startsWith("### file ")) {
                    if (file != null) {
                        texts.put(file, text.toString());
                    }
                    file = line.substring(9);
                    text.setLength(0);
                } else if (file != null) {
                    text.append(line).append('\n');
                }
            }
            if (file != null) {
                texts.put(file, text.toString());
            }
            return new BuildOutput(folders, texts);
        }

        List<String> files() {
            return List.copyOf(texts.keySet());
        }

        /** The {@code <name>.toml} files of layers (not launch.toml, build.toml, store.toml). */
        List<String> layerFiles() {
            return texts.keySet().stream().filter(f -> f.endsWith(".toml"))
                    .filter(f -> !List.of("launch.toml", "build.toml", "store.toml").contains(f)).toList();
        }

        List<String> launchLayers() {
            List<String> out = new ArrayList<>();
            for (String f : layerFiles()) {
                String name = f.substring(0, f.length() - 5);
                org.tomlj.TomlParseResult toml = org.tomlj.Toml.parse(texts.get(f));
                if (!toml.hasErrors() && Boolean.TRUE.equals(toml.getBoolean("types.launch")) && folders.contains(name)) {
                    out.add(name);
                }
            }
            return out;
        }

        List<String> processes() {
            List<String> out = new ArrayList<>();
            String launch = texts.get("launch.toml");
            if (launch == null) {
                return out;
            }
            org.tomlj.TomlParseResult toml = org.tomlj.Toml.parse(launch);
            org.tomlj.TomlArray procs = toml.hasErrors() ? null : toml.getArray("processes");
            for (int i = 0; procs != null && i < procs.size(); i++) {
                if (procs.get(i) instanceof org.tomlj.TomlTable p && p.getString("type") != null
                        && p.get("command") != null) {
                    Object cmd = p.get("command");
                    out.add(p.getString("type") + " (" + (cmd instanceof org.tomlj.TomlArray a ? String.join(" ",
                            a.toList().stream().map(String::valueOf).toList()) : cmd) + ")");
                }
            }
            return out;
        }
    }
}
