package io.packlab.cnb.platform;

import io.packlab.engine.BuildRequest;
import io.packlab.engine.Cancellation;
import io.packlab.engine.ContainerSpec;
import io.packlab.engine.Engine;
import io.packlab.engine.EngineException;
import io.packlab.engine.ImageInfo;
import io.packlab.engine.Owner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * packlab's launcher image, {@code packlab/lifecycle:<hash>}: {@code /cnb/lifecycle/launcher}, a
 * static program compiled from the C source that ships in the jar ({@code src/main/lifecycle}) with
 * Debian's gcc inside a {@code docker build}, the first time it is needed. The tag is a hash of the
 * source and its Dockerfile, so a changed launcher is a new image.
 *
 * <p>The launcher reads {@code /layers/config/metadata.toml}, which the exporter writes:
 *
 * <pre>
 * buildpack-default-process-type = "web"      # optional; the entrypoint link decides
 *
 * [[buildpacks]]                              # in build order; the layers' env applies in this order
 * id = "examples/python"                      # its layers are in /layers/&lt;id, / as _&gt;/
 * version = "0.1.0"
 * api = "0.10"                                # decides unsuffixed env files and user arguments
 *
 * [[processes]]
 * type = "web"                                # /cnb/process/web links to the launcher
 * command = ["python3", "app.py"]             # an array; a string is one command (older Platform APIs)
 * args = ["--port", "8080"]                   # default arguments
 * direct = true                               # false: through bash (or sh) after profile.d
 * default = true                              # informational
 * working-dir = "/workspace"                  # optional; the app folder when absent
 * buildpack-id = "examples/python"
 * </pre>
 *
 * Strings are TOML basic or literal strings (JSON-escaped text is fine); unknown keys and tables are
 * ignored.
 */
public final class LifecycleImage {

    /** The repository of the launcher image; the tag is {@link #tag()}. */
    public static final String REPOSITORY = "packlab/lifecycle";
    /** Where the launcher is, in the launcher image and in app images and builders. */
    public static final String LAUNCHER = "/cnb/lifecycle/launcher";
    /** The label with the full hash of the source the image was compiled from. */
    public static final String LABEL_SOURCE = "io.packlab.lifecycle.source";
    /** The build arg of the Dockerfile that names its Debian base. */
    public static final String BASE_ARG = "BASE_IMAGE";

    private static final String RESOURCES = "/io/packlab/lifecycle/";
    private static final List<String> FILES = List.of("Dockerfile", "launcher.c");

    private LifecycleImage() {
    }

    /**
     * The Debian base to compile on: a local image (made by scripts/make-bases.sh) and whether it is
     * required, or none (the Dockerfile's public default, {@code debian:bookworm-slim}).
     */
    public record Base(Optional<String> local, boolean required) {

        /** The Dockerfile's own default base. */
        public static Base publicDefault() {
            return new Base(Optional.empty(), false);
        }

        /** packlab.toml's shipped local Debian base when the engine has it, else the public default. */
        public static Base auto() {
            return new Base(Optional.of("packlab-base/debian:bookworm-slim"), false);
        }
    }

    /** The launcher's bytes by the ID of the image they were copied from: copied out once per process. */
    private static final Map<String, byte[]> LAUNCHERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The full hash of the launcher's source and Dockerfile. */
    public static String sourceHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String file : FILES) {
                byte[] bytes = resource(file);
                sha.update(file.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Long.toString(bytes.length).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tag of the image of this packlab's launcher. */
    public static String tag() {
        return sourceHash().substring(0, 12);
    }

    /** {@code packlab/lifecycle:<tag>}. */
    public static String reference() {
        return REPOSITORY + ":" + tag();
    }

    /** The version the build metadata names for the launcher. */
    public static String version() {
        return "0.1.0+packlab." + tag();
    }

    /**
     * Makes sure the engine has the launcher image, building it when it does not (output lines go to
     * {@code out.output}, a summary to {@code out.info}); returns its reference.
     */
    public static String ensure(Engine engine, Base base, Reporter out, Cancellation cancel)
            throws InterruptedException {
        String reference = reference();
        Optional<ImageInfo> present = engine.inspectImage(reference);
        if (present.isPresent()) {
            return reference;
        }
        Map<String, String> args = new LinkedHashMap<>();
        if (base.local().isPresent()) {
            String image = base.local().get();
            if (engine.inspectImage(image).isPresent()) {
                args.put(BASE_ARG, image);
            } else if (base.required()) {
                throw new PlatformException("packlab's launcher image " + reference + " is compiled on the local base "
                        + image + ", which is missing (PACKLAB_BASES or packlab.toml say `local`). Make it with `sudo"
                        + " scripts/make-bases.sh`, or use the public bases with PACKLAB_BASES=public.");
            }
        }
        out.info("Building packlab's launcher image " + reference + " (once: gcc from Debian's packages compiles"
                + " /cnb/lifecycle/launcher on " + args.getOrDefault(BASE_ARG, "debian:bookworm-slim") + ")");
        Path context;
        try {
            context = Owner.tempDirectory("lifecycle");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary folder for the launcher's build", e);
        }
        Deque<String> tail = new ArrayDeque<>();
        try {
            for (String file : FILES) {
                Files.write(context.resolve(file), resource(file));
            }
            engine.build(new BuildRequest(context, Optional.empty(), List.of(reference), args,
                    Map.of(LABEL_SOURCE, sourceHash()), false, false), line -> {
                        if (tail.size() == 20) {
                            tail.removeFirst();
                        }
                        tail.addLast(line);
                        if (line.startsWith("Step ")) {
                            out.output(line);
                        }
                    }, cancel);
        } catch (EngineException e) {
            throw new PlatformException("could not build packlab's launcher image " + reference + ": "
                    + e.getMessage() + (tail.isEmpty() ? "" : " (last output: " + String.join(" / ", tail) + ")")
                    + ". It is compiled with Debian's gcc, which apt-get fetches from the Debian mirror the first time;"
                    + " without network, load a kit saved on a machine that has it (`./packlab kit load FILE`).");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the launcher's build context", e);
        } finally {
            try {
                AppBuilder.deleteTree(context);
            } catch (IOException e) {
                // a temp folder left behind is harmless
            }
        }
        removeOlder(engine, out);
        return reference;
    }

    /**
     * Removes the launcher images of earlier sources (done when this one is built): the tags
     * {@code packlab/lifecycle:*} other than {@link #reference()} on images that carry {@link #LABEL_SOURCE}
     * and that no container (running or not) was made from. Each tag is removed by name, without
     * force, so an image that also has a tag of someone else's keeps that tag, and one a container
     * uses is refused by the engine and kept; an image without the label is never touched.
     */
    public static void removeOlder(Engine engine, Reporter out) {
        String current = reference();
        java.util.Set<String> used = new java.util.HashSet<>();
        engine.listContainers(List.of()).forEach(c -> used.add(c.image()));
        for (io.packlab.engine.ImageSummary image : engine.listImages(List.of(LABEL_SOURCE))) {
            if (used.contains(image.id()) || image.repoTags().stream().anyMatch(used::contains)
                    || image.repoTags().contains(current)) {
                continue;
            }
            for (String tag : image.repoTags()) {
                if (!tag.startsWith(REPOSITORY + ":")) {
                    continue;
                }
                try {
                    if (engine.removeImage(tag, false)) {
                        out.info("Removed " + tag + ", packlab's launcher image of an earlier source");
                    }
                } catch (EngineException e) {
                    // in use after all (a container made meanwhile): kept, as the engine says
                }
            }
        }
    }

    /**
     * The launcher program itself, copied out of the launcher image (made first if needed) through a
     * container that is created, never started, and removed; {@code labels} go on that container.
     */
    public static byte[] launcher(Engine engine, Base base, Reporter out, Map<String, String> labels,
            Cancellation cancel) throws InterruptedException {
        Optional<ImageInfo> present = engine.inspectImage(reference()); // one look when it is there, as it mostly is
        String reference = present.isPresent() ? reference() : ensure(engine, base, out, cancel);
        String id = present.or(() -> engine.inspectImage(reference)).map(ImageInfo::id).orElseThrow(
                () -> new PlatformException("packlab's launcher image " + reference + " went away while it was being"
                        + " used; run the step again."));
        byte[] cached = LAUNCHERS.computeIfAbsent(id, LifecycleImage::fromDisk);
        if (cached != null) {
            return cached;
        }
        String container = engine.createContainer(new ContainerSpec(reference, null, null, Map.of(), labels, null,
                null, null, Map.of(), Map.of()));
        try {
            InputStream tar = engine.copyFromContainer(container, LAUNCHER).orElseThrow(() -> new PlatformException(
                    "packlab's launcher image " + reference + " has no " + LAUNCHER + "; remove it (`docker rmi "
                    + reference + "`) so that packlab builds it again."));
            try (TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
                for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null;) {
                    if (entry.isFile() && entry.getName().equals("launcher")) {
                        byte[] bytes = in.readAllBytes();
                        LAUNCHERS.put(id, bytes);
                        toDisk(id, bytes);
                        return bytes;
                    }
                }
            }
            throw new PlatformException("packlab's launcher image " + reference + " has no program at " + LAUNCHER
                    + "; remove it (`docker rmi " + reference + "`) so that packlab builds it again.");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LAUNCHER + " from " + reference, e);
        } finally {
            engine.removeContainer(container);
        }
    }

    /**
     * The launcher of image {@code id} as an earlier packlab process copied it out, kept in
     * {@code ~/.cache/packlab/launcher-<id>} (the image ID names its content, so the file never goes
     * stale): a build then costs no container to copy it out (about 0.1 s). Null when not kept.
     */
    private static byte[] fromDisk(String id) {
        Path file = diskCache(id);
        try {
            return file != null && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            return null; // copied out again
        }
    }

    /** Keeps the launcher for later processes, written whole or not at all; a folder that cannot be written is skipped. */
    private static void toDisk(String id, byte[] bytes) {
        Path file = diskCache(id);
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "launcher-", ".tmp");
            try {
                Files.write(temp, bytes);
                Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | RuntimeException e) {
            // only a cache: the next process copies it out again
        }
    }

    private static Path diskCache(String id) {
        String home = System.getProperty("user.home");
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        if (home == null || home.isEmpty() || !hex.matches("[0-9a-f]{12,64}")) {
            return null;
        }
        return Path.of(home, ".cache", "packlab", "launcher-" + hex);
    }

    private static byte[] resource(String file) {
        try (InputStream in = LifecycleImage.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + RESOURCES + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
