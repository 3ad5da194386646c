package io.packlab.cnb.platform;

import io.packlab.cnb.descriptor.ModuleSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one {@code pack build --buildpack} names, told apart in pack's order ({@code GetLocatorType}): {@code from=builder}
 * (the builder's order in that place); {@code urn:cnb:builder:ID[@VERSION]} (or the older {@code from=builder:}), which
 * must be on the builder; {@code urn:cnb:registry:} and other URIs ({@code docker://REF} a buildpackage image,
 * {@code file://} a path); then a bare word: a file or folder, an id ({@code ID} or {@code ID@VERSION}) of a buildpack on
 * the builder, a Buildpack Registry id ({@code namespace/name[@x.y.z]}), an image reference. The built-in platform
 * reaches no network: what pack would download (registry ids, http archives) is refused (exit code 2) with what to
 * write instead, as is a builder id the builder does not have, naming the buildpacks it has.
 */
sealed interface BuildpackLocator {

    /** {@code from=builder}: the builder's order groups, with the buildpacks named before and after around each. */
    record FromBuilder() implements BuildpackLocator {
    }

    /** A buildpack already on the builder; {@code version} empty when the locator names none. */
    record BuilderId(String id, String version) implements BuildpackLocator {
    }

    /** A buildpack folder or archive on this machine. */
    record Local(Path path) implements BuildpackLocator {
    }

    /** A buildpackage image, by its reference without {@code docker://}. */
    record Package(String image) implements BuildpackLocator {
    }

    String FROM_BUILDER = "from=builder";
    String BUILDER_URN = "urn:cnb:builder:";
    String REGISTRY_URN = "urn:cnb:registry:";
    String DOCKER = "docker:/";

    /**
     * Classifies {@code locator} as pack does.
     *
     * @param baseDir   what relative paths are relative to; null when the caller has made every path absolute already
     * @param builder   the builder's name, for messages
     * @param onBuilder the buildpacks on the builder, by id, each with its versions
     */
    static BuildpackLocator classify(String locator, Path baseDir, String builder, Map<String, List<String>> onBuilder) {
        if (locator.equals(FROM_BUILDER)) {
            return new FromBuilder();
        }
        if (locator.startsWith(BUILDER_URN) || locator.startsWith(FROM_BUILDER + ":")) {
            String naked = locator.substring(locator.startsWith(BUILDER_URN) ? BUILDER_URN.length()
                    : FROM_BUILDER.length() + 1);
            BuilderId id = idOf(naked);
            if (!found(id, onBuilder)) {
                throw PlatformException.refused("--buildpack " + locator + " names a buildpack of the builder, and "
                        + notOnBuilder(id, builder, onBuilder) + " Name one of those, or give the buildpack's folder or"
                        + " its buildpackage image (docker://<image>).");
            }
            return id;
        }
        if (locator.startsWith(REGISTRY_URN)) {
            throw PlatformException.refused("--buildpack " + locator + " names a buildpack of the Buildpack Registry,"
                    + " which pack looks up on the internet; the built-in platform reaches no network. Give the"
                    + " buildpack's folder, or its buildpackage image in the Docker engine as docker://<image>.");
        }
        if (locator.matches("(?s).+:/.*")) {
            if (locator.startsWith(DOCKER)) {
                String image = locator.replaceFirst("^docker:/{0,2}", "");
                if (!ModuleSource.isImageReference(image)) {
                    throw PlatformException.refused("--buildpack " + locator + ": `" + image + "` is not an image"
                            + " reference; write docker://[registry/]name[:tag], for example docker://example/my-cnb.");
                }
                return new Package(image);
            }
            if (locator.toLowerCase(Locale.ROOT).startsWith("file:")) {
                try {
                    return new Local(Path.of(URI.create(locator)).normalize());
                } catch (IllegalArgumentException e) {
                    throw PlatformException.refused("--buildpack " + locator + " is not a file URI (" + e.getMessage()
                            + "); give the buildpack's folder or archive as a path.");
                }
            }
            throw PlatformException.refused("--buildpack " + locator + " is a URL, which pack downloads; the built-in"
                    + " platform reaches no network. Download the buildpack archive yourself and give its path, or"
                    + " give the buildpack's folder.");
        }
        Path path = baseDir == null ? Path.of(locator) : baseDir.resolve(locator);
        if ((baseDir != null || path.isAbsolute()) && Files.exists(path)) {
            return new Local(path.normalize());
        }
        BuilderId id = idOf(locator);
        if (found(id, onBuilder)) {
            return id;
        }
        boolean otherVersion = !id.version().isEmpty() && onBuilder.containsKey(id.id());
        if (ModuleSource.isRegistryId(locator)) {
            throw PlatformException.refused("--buildpack " + locator + " is not on this machine, and "
                    + notOnBuilder(id, builder, onBuilder) + " pack reads namespace/name[@version] as an id of the"
                    + " Buildpack Registry and looks it up on the internet, which the built-in platform cannot."
                    + (otherVersion ? " Name a version the builder has, or give the buildpack's folder."
                            : " For the buildpackage image of that name in the Docker engine, write docker://"
                            + id.id() + "; for a folder, a path such as ./" + id.id() + "."));
        }
        if (ModuleSource.isImageReference(locator)) {
            return new Package(locator);
        }
        throw PlatformException.refused("--buildpack " + locator + " is no file or folder here, no image reference,"
                + " and " + notOnBuilder(id, builder, onBuilder) + " Give a buildpack folder or archive, ID[@VERSION]"
                + " of a buildpack on the builder, or a buildpackage image (docker://<image>).");
    }

    /** {@code ID[@VERSION]} split as pack splits it: at the one {@code @}, else all of it is the id. */
    private static BuilderId idOf(String naked) {
        String[] parts = naked.split("@", -1);
        return parts.length == 2 ? new BuilderId(parts[0], parts[1]) : new BuilderId(naked, "");
    }

    private static boolean found(BuilderId id, Map<String, List<String>> onBuilder) {
        List<String> versions = onBuilder.get(id.id());
        return versions != null && (id.version().isEmpty() || versions.contains(id.version()));
    }

    /** The sentence saying that the builder lacks {@code id} (or its version), and what it has. */
    private static String notOnBuilder(BuilderId id, String builder, Map<String, List<String>> onBuilder) {
        List<String> versions = onBuilder.get(id.id());
        if (versions != null) {
            return "builder " + builder + " has " + id.id() + " only in version " + String.join(", ", versions)
                    + ", not " + id.version() + ".";
        }
        List<String> all = new ArrayList<>();
        onBuilder.forEach((bp, vs) -> vs.forEach(v -> all.add(bp + "@" + v)));
        return "builder " + builder + " has no buildpack " + id.id() + " (it has " + (all.isEmpty() ? "none"
                : String.join(", ", all)) + ").";
    }

    /** The buildpacks of a builder's {@code io.buildpacks.buildpack.layers} modules, by id, each with its versions. */
    static Map<String, List<String>> byId(Collection<DetectionOrder.Module> modules) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        modules.forEach(m -> out.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(m.version()));
        return out;
    }
}
