package io.packlab.cnb.platform;

import io.packlab.cnb.descriptor.FilePatterns;
import io.packlab.cnb.descriptor.ModuleSource;
import io.packlab.cnb.descriptor.ProjectDescriptor;
import io.packlab.cnb.image.PathFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What project.toml changes in a build, as pack applies it: its buildpacks replace the builder's
 * order when the command line names none (by id from the builder, folders and archives relative to
 * the project, buildpackage images, inline scripts made into buildpacks), its build env is user-provided env under the
 * command line's {@code --env}, its include/exclude patterns decide which app files reach
 * /workspace, and its declared version and source url become {@code io.buildpacks.project.metadata}.
 */
final class ProjectBuild {

    private ProjectBuild() {
    }

    /** The build request with the descriptor's buildpacks and env merged in; pack's warnings about the file are reported. */
    static Requests.Build apply(Requests.Build req, ProjectDescriptor project, Path temp, Reporter out)
            throws IOException {
        project.notes().forEach(out::warn);
        List<String> buildpacks = req.buildpacks();
        if (buildpacks.isEmpty() && !project.group().isEmpty()) {
            buildpacks = new ArrayList<>();
            int inline = 0;
            for (ProjectDescriptor.Buildpack bp : project.group()) {
                buildpacks.add(locator(project, bp, temp.resolve("inline-buildpack-" + (++inline))));
            }
            out.info("Using the buildpacks of " + project.file().getFileName() + " instead of the builder's order");
        }
        Map<String, String> env = new LinkedHashMap<>();
        project.env().forEach(e -> env.put(e.name(), e.value()));
        env.putAll(req.env());
        return new Requests.Build(req.image(), req.builder(), List.copyOf(buildpacks), env, req.appDir(),
                req.runImage(), req.clearCache(), req.defaultProcess());
    }

    /** What a group entry is as a --buildpack: a local path, id@version of the builder, or an inline buildpack made in {@code dir}. */
    private static String locator(ProjectDescriptor project, ProjectDescriptor.Buildpack bp, Path dir)
            throws IOException {
        if (bp.script().isPresent()) {
            return inline(bp, bp.script().get(), dir).toString();
        }
        if (bp.uri().isPresent()) {
            ModuleSource source = bp.uri().get();
            if (source instanceof ModuleSource.Local local) {
                return local.path().toString();
            }
            if (source instanceof ModuleSource.Image image) {
                return "docker://" + image.reference();
            }
            if (source.toString().startsWith("urn:cnb:builder:")) {
                return source.toString();
            }
            throw PlatformException.refused(project.file() + ":" + bp.line() + ":" + bp.column() + ": the buildpack at"
                    + " uri " + source + " is not on this machine; the built-in platform takes buildpacks from folders,"
                    + " archives, buildpackage images in the Docker engine (docker://) and the builder, not from"
                    + " registries or URLs. Give a folder, an image, an id of the builder's buildpacks, or install"
                    + " pack.");
        }
        return bp.version().isEmpty() ? bp.id() : bp.id() + "@" + bp.version();
    }

    /** An inline buildpack as pack makes it: bin/detect passes, bin/build runs the script with its shell. */
    private static Path inline(ProjectDescriptor.Buildpack bp, ProjectDescriptor.Script script, Path dir)
            throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        String version = bp.version().isEmpty() ? "0.0.0" : bp.version();
        Files.writeString(dir.resolve("buildpack.toml"), "api = " + TomlWriter.string(script.api()) + "\n\n[buildpack]\nid = "
                + TomlWriter.string(bp.id()) + "\nversion = " + TomlWriter.string(version) + "\n");
        executable(dir.resolve("bin/build"), "#!" + script.shell() + "\n\n" + script.inline() + "\n");
        executable(dir.resolve("bin/detect"), "#!" + script.shell() + "\n\nexit 0\n");
        return dir;
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Which app files a build takes: all, or as the descriptor's include or exclude say. */
    static PathFilter filter(Optional<ProjectDescriptor> project) {
        if (project.isEmpty() || project.get().include().isEmpty() && project.get().exclude().isEmpty()) {
            return PathFilter.ALL;
        }
        boolean include = !project.get().include().isEmpty();
        FilePatterns patterns = FilePatterns.of(include ? project.get().include() : project.get().exclude());
        return new PathFilter() {
            @Override
            public boolean takes(String path, boolean directory) {
                return patterns.matches(path, directory) == include;
            }

            @Override
            public boolean looksInside(String directory) {
                return include; // an excluded folder excludes all it holds; a folder not included may hold included files
            }
        };
    }

    /** The value of {@code io.buildpacks.project.metadata}: {@code {}} without a descriptor or a declared version/source. */
    static String label(Optional<ProjectDescriptor> project) {
        return Images.text(Images.JSON.valueToTree(project.map(ProjectDescriptor::projectMetadata).orElse(Map.of())));
    }
}
