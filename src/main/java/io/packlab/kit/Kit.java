package io.packlab.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.cnb.platform.LifecycleImage;
import io.packlab.cnb.platform.Reporter;
import io.packlab.config.BaseImages;
import io.packlab.config.PacklabConfig;
import io.packlab.engine.Cancellation;
import io.packlab.engine.Created;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import io.packlab.error.PacklabException;
import io.packlab.term.Console;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The offline kit: every image the tutorial needs in one gzip-compressed {@code docker save} archive
 * ({@link #save}), and back into an engine ({@link #load}), so a room can work without any registry.
 * Nothing of an image is held in memory: the archive streams from the engine to the file and back.
 */
public final class Kit {

    /** The stack and builder images the lessons make, saved with {@code --with-stack} when the engine has them. */
    public static final List<String> STACK_IMAGES =
            List.of("distroless-python:build", "distroless-python:run", "python:distroless");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STATUS_EVERY_NANOS = 200_000_000L;

    private final Supplier<Engine> engine;
    private final PacklabConfig config;
    private final Console console;

    /** A kit; while streaming it keeps the console's status line updated when the console is a terminal. */
    public Kit(Supplier<Engine> engine, PacklabConfig config, Console console) {
        this.engine = engine;
        this.config = config;
        this.console = console;
    }

    /** What a saved archive holds. */
    public record Saved(Path file, List<String> images, long imageBytes, long fileBytes, Duration took) {
    }

    /**
     * What was loaded: the images of the archive's manifest, as the engine now has them, and what the
     * load created (images the engine did not have, tags that did not name them before).
     */
    public record Loaded(Path file, List<String> images, long fileBytes, Duration took, List<Created> created) {
        public Loaded {
            images = List.copyOf(images);
            created = List.copyOf(created);
        }
    }

    /** One image of an archive's manifest.json: its ID (from the config file name) and its tags. */
    public record ManifestEntry(String id, List<String> repoTags) {
        public ManifestEntry {
            repoTags = List.copyOf(repoTags);
        }
    }

    /**
     * The images the tutorial needs: the local bases of {@code packlab.toml}, packlab's launcher image,
     * and with {@code withStack} also the stack and builder images that the engine has. The bases are
     * returned even when missing ({@link #save} names the missing ones; it builds the launcher image).
     */
    public List<String> images(boolean withStack) {
        LinkedHashSet<String> images = new LinkedHashSet<>();
        config.bases().locals().stream().map(BaseImages.LocalBase::image).forEach(images::add);
        images.add(LifecycleImage.reference());
        if (withStack) {
            List<String> absent = new ArrayList<>();
            for (String image : STACK_IMAGES) {
                if (engine.get().inspectImage(image).isPresent()) {
                    images.add(image);
                } else {
                    absent.add(image);
                }
            }
            if (!absent.isEmpty()) {
                console.note("the kit goes without " + String.join(", ", absent) + ": the Docker engine does not have"
                        + " them (the lessons stack, package and builder make them).");
            }
        }
        return List.copyOf(images);
    }

    /**
     * Writes {@code images} to {@code file} as one gzip-compressed {@code docker save} archive, through
     * {@code FILE.tmp} in the same folder, renamed at the end; the temp file is removed on failure,
     * cancellation and JVM shutdown (Ctrl-C). Fails (exit 1) naming the images the engine does not have.
     */
    public Saved save(List<String> images, Path file, Cancellation cancellation) {
        if (images.isEmpty()) {
            throw PacklabException.usage("there are no images to put in the kit: packlab.toml lists no [[bases.local]].");
        }
        Path target = file.toAbsolutePath().normalize();
        Path folder = target.getParent();
        if (Files.isDirectory(target)) {
            throw PacklabException.usage(file + " is a folder; give the name of the archive to write, e.g. "
                    + file + "/packlab-kit.tar.gz.");
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw PacklabException.usage("cannot write " + file + ": the folder " + folder + " does not exist.");
        }
        Engine e = engine.get();
        List<ImageInfo> infos = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String launcher = LifecycleImage.reference();
        for (String image : images) {
            Optional<ImageInfo> info = e.inspectImage(image);
            info.ifPresentOrElse(infos::add, () -> missing.add(image));
        }
        if (missing.equals(List.of(launcher))) { // built here, once the bases are known to be there
            ensureLauncher(e, file, cancellation);
            infos.clear();
            missing.clear();
            images.forEach(i -> e.inspectImage(i).ifPresentOrElse(infos::add, () -> missing.add(i)));
        }
        if (!missing.isEmpty()) {
            throw PacklabException.failed(missingMessage(missing.size() > 1
                    ? missing.stream().filter(m -> !m.equals(launcher)).toList() : missing));
        }
        int width = images.stream().mapToInt(String::length).max().orElse(10);
        long imageBytes = 0;
        console.println("Saving " + images.size() + " image(s) to " + file + ":");
        for (int i = 0; i < images.size(); i++) {
            ImageInfo info = infos.get(i);
            imageBytes += info.size();
            console.println(String.format(Locale.ROOT, "  %-" + width + "s  %s  %9s", images.get(i), info.shortId(),
                    size(info.size())));
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        AtomicBoolean finished = new AtomicBoolean();
        Thread cleanup = new Thread(() -> {
            if (!finished.get()) {
                deleteQuietly(tmp);
            }
        }, "packlab-kit-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        long start = System.nanoTime();
        Status status = new Status("saving", start, -1);
        try (InputStream saved = e.saveImages(images)) {
            Runnable stop = () -> closeQuietly(saved);
            cancellation.onCancel(stop);
            try (CountingOutputStream counted = new CountingOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16));
                    GZIPOutputStream gzip = new GZIPOutputStream(counted, 1 << 16)) {
                byte[] buffer = new byte[1 << 16];
                long read = 0;
                for (int n; (n = read(saved, buffer, cancellation, file)) >= 0;) {
                    gzip.write(buffer, 0, n);
                    read += n;
                    status.update(read, counted.count);
                }
                gzip.finish();
                counted.flush();
                if (read == 0) {
                    throw PacklabException.failed("the Docker engine sent an empty archive for " + String.join(", ", images)
                            + "; nothing was written.");
                }
            } finally {
                cancellation.forget(stop);
                status.clear();
            }
            if (cancellation.isCancelled()) {
                throw PacklabException.failed("kit save was cancelled; nothing was written to " + file + ".");
            }
            move(tmp, target);
            finished.set(true);
        } catch (IOException ex) {
            throw PacklabException.failed(cancellation.isCancelled()
                    ? "kit save was cancelled; nothing was written to " + file + "."
                    : "could not write the kit " + file + ": " + ex.getMessage() + ". Nothing was written; check the"
                            + " free space and permissions of " + folder + ".");
        } finally {
            if (!finished.get()) {
                deleteQuietly(tmp);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long fileBytes = sizeOf(target);
        console.pass("Wrote " + file + ": " + size(fileBytes) + " (gzip) for " + images.size() + " image(s) of "
                + size(imageBytes) + ", in " + seconds(took) + ".");
        return new Saved(target, List.copyOf(images), imageBytes, fileBytes, took);
    }

    /** Builds packlab's launcher image on the build stack's base, as packlab.toml and PACKLAB_BASES choose it. */
    private void ensureLauncher(Engine e, Path file, Cancellation cancellation) {
        BaseImages bases = config.bases();
        LifecycleImage.Base base = new LifecycleImage.Base(bases.localFor(BaseImages.BUILD_STACK_CONTEXT),
                bases.mode() == BaseImages.Mode.LOCAL);
        try {
            LifecycleImage.ensure(e, base, new Reporter() {
                @Override
                public void info(String line) {
                    console.println(line);
                }

                @Override
                public void output(String line) {
                    console.output(line);
                }
            }, cancellation);
        } catch (InterruptedException ex) {
            throw PacklabException.failed("kit save was cancelled; nothing was written to " + file + ".");
        }
    }

    /**
     * Loads a kit (gzip-compressed or plain {@code docker save} tar) into the engine, then checks that every
     * image of its manifest is there with the archive's ID. A missing or unreadable file, or one that is not
     * such an archive, fails with exit code 2 before anything reaches the engine.
     */
    public Loaded load(Path file, Cancellation cancellation) {
        if (!Files.isRegularFile(file)) {
            throw PacklabException.usage("there is no kit " + file + (Files.isDirectory(file) ? " (it is a folder)" : "")
                    + ". Give the file that `./packlab kit save FILE` wrote.");
        }
        long fileBytes = sizeOf(file);
        long start = System.nanoTime();
        List<ManifestEntry> manifest = readManifest(file);
        console.println("Loading " + file + " (" + size(fileBytes) + "): " + manifest.stream()
                .map(m -> m.repoTags().isEmpty() ? ImageInfo.shortDigest(m.id()) : String.join(", ", m.repoTags()))
                .reduce((a, b) -> a + ", " + b).orElse("no images"));
        Engine e = engine.get();
        Map<String, Optional<String>> before = new HashMap<>();
        for (ManifestEntry entry : manifest) {
            before.put(entry.id(), e.inspectImage(entry.id()).map(ImageInfo::id));
            entry.repoTags().forEach(t -> before.put(t, e.inspectImage(t).map(ImageInfo::id)));
        }
        Status status = new Status("loading", start, fileBytes);
        try (CountingInputStream counted = new CountingInputStream(
                new BufferedInputStream(Files.newInputStream(file), 1 << 16), status);
                InputStream tar = decompressed(counted)) {
            Runnable stop = () -> closeQuietly(counted);
            cancellation.onCancel(stop);
            try {
                e.loadImage(tar);
            } finally {
                cancellation.forget(stop);
                status.clear();
            }
        } catch (IOException ex) {
            throw PacklabException.usage("cannot read the kit " + file + ": " + ex.getMessage() + ".");
        }
        if (cancellation.isCancelled()) {
            throw PacklabException.failed("kit load was cancelled; some images of " + file + " may be loaded already.");
        }
        List<String> loaded = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int width = manifest.stream().flatMap(m -> m.repoTags().stream()).mapToInt(String::length).max().orElse(12);
        for (ManifestEntry entry : manifest) {
            List<String> names = entry.repoTags().isEmpty() ? List.of(entry.id()) : entry.repoTags();
            for (String name : names) {
                Optional<ImageInfo> info = e.inspectImage(name);
                if (info.isEmpty()) {
                    problems.add(name + " is not in the engine");
                } else if (!info.get().id().equals(entry.id())) {
                    problems.add(name + " is " + info.get().shortId() + ", not " + ImageInfo.shortDigest(entry.id()));
                } else {
                    loaded.add(name);
                    console.pass(String.format(Locale.ROOT, "%-" + width + "s  %s  %9s", name, info.get().shortId(),
                            size(info.get().size())));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw PacklabException.failed("the Docker engine accepted " + file + ", but " + String.join("; ", problems)
                    + ". Run `./packlab kit load " + file + "` again; if it persists, save the kit again.");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        console.println("Loaded " + loaded.size() + " image(s) from " + file + " in " + seconds(took) + ".");
        return new Loaded(file, List.copyOf(loaded), fileBytes, took, created(manifest, before));
    }

    /** The images new to the engine (with their tags), and the tags that named something else before. */
    static List<Created> created(List<ManifestEntry> manifest, Map<String, Optional<String>> before) {
        List<Created> created = new ArrayList<>();
        for (ManifestEntry entry : manifest) {
            List<String> newTags = entry.repoTags().stream()
                    .filter(t -> !before.get(t).equals(Optional.of(entry.id()))).toList();
            if (before.get(entry.id()).isEmpty()) {
                created.add(Created.image(entry.id(), newTags));
            } else {
                newTags.forEach(t -> created.add(Created.tag(entry.id(), t)));
            }
        }
        return created;
    }

    /**
     * Reads the whole archive once (which also checks the gzip checksum) and returns its manifest.json;
     * exit code 2 when it is not a readable {@code docker save} archive.
     */
    static List<ManifestEntry> readManifest(Path file) {
        try (InputStream in = decompressed(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            return readManifest(in).orElseThrow(() -> notAKit(file, "it has no manifest.json"));
        } catch (IOException | RuntimeException ex) {
            if (ex instanceof PacklabException p) {
                throw p;
            }
            throw notAKit(file, ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
        }
    }

    /** The manifest.json of a {@code docker save} tar stream; reads the stream to its end. */
    static Optional<List<ManifestEntry>> readManifest(InputStream tarStream) throws IOException {
        List<ManifestEntry> manifest = null;
        TarArchiveInputStream tar = new TarArchiveInputStream(tarStream);
        int entries = 0;
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null;) {
            entries++;
            if (entry.getName().equals("manifest.json") || entry.getName().equals("./manifest.json")) {
                manifest = parseManifest(JSON.readTree(tar.readAllBytes()));
            }
        }
        if (entries == 0) {
            throw new IOException("it holds no tar entries");
        }
        tarStream.transferTo(OutputStream.nullOutputStream()); // to the end: GZIPInputStream checks its trailer
        return Optional.ofNullable(manifest);
    }

    private static List<ManifestEntry> parseManifest(JsonNode json) throws IOException {
        if (!json.isArray() || json.isEmpty()) {
            throw new IOException("its manifest.json is not a list of images");
        }
        List<ManifestEntry> entries = new ArrayList<>();
        for (JsonNode image : json) {
            String config = image.path("Config").asText("");
            if (config.isEmpty()) {
                throw new IOException("an image of its manifest.json has no Config");
            }
            String hex = config.replaceFirst("^blobs/sha256/", "").replaceFirst("\\.json$", "");
            List<String> tags = new ArrayList<>();
            image.path("RepoTags").forEach(t -> tags.add(t.asText()));
            entries.add(new ManifestEntry("sha256:" + hex, tags));
        }
        return entries;
    }

    /** A gzip stream decompressed on the fly, any other stream as it is. */
    static InputStream decompressed(InputStream in) throws IOException {
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    }

    private static PacklabException notAKit(Path file, String reason) {
        return PacklabException.usage(file + " is not a packlab kit (a docker save archive, gzip-compressed or not): "
                + reason + ". It may be truncated or damaged; copy it again, or make one with"
                + " `./packlab kit save FILE` on a machine that has the images.");
    }

    private String missingMessage(List<String> missing) {
        List<String> bases = config.bases().locals().stream().map(BaseImages.LocalBase::image).toList();
        List<String> missingBases = missing.stream().filter(bases::contains).toList();
        List<String> missingStack = missing.stream().filter(STACK_IMAGES::contains).toList();
        List<String> other = missing.stream().filter(m -> !bases.contains(m) && !STACK_IMAGES.contains(m)).toList();
        StringBuilder sb = new StringBuilder("the kit needs image(s) that the Docker engine does not have: ")
                .append(String.join(", ", missing)).append(".");
        if (!missingBases.isEmpty()) {
            sb.append(" Make the base images from Debian packages with `sudo scripts/make-bases.sh`.");
        }
        if (!missingStack.isEmpty()) {
            sb.append(" Make the stack and the builder with `./packlab run stack`, `./packlab run package` and"
                    + " `./packlab run builder`.");
        }
        if (!other.isEmpty()) {
            sb.append(" Build or pull ").append(String.join(", ", other)).append(" first.");
        }
        return sb.append(" Nothing was written.").toString();
    }

    /** Reads from the engine's stream; its failures are the engine's (or a cancellation), not the file's. */
    private static int read(InputStream saved, byte[] buffer, Cancellation cancellation, Path file) {
        try {
            return saved.read(buffer);
        } catch (IOException e) {
            throw PacklabException.failed(cancellation.isCancelled()
                    ? "kit save was cancelled; nothing was written to " + file + "."
                    : "the Docker engine stopped sending the images: " + e.getMessage() + ". Nothing was written to "
                            + file + ".");
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: a temp file we could not remove is named FILE.tmp next to FILE
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing only to stop the transfer
        }
    }

    /** Bytes in decimal units, as {@code docker images} prints sizes. */
    public static String size(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** The console's status line while streaming (terminals only); at most five updates a second. */
    private final class Status {
        private final String verb;
        private final long start;
        private final long total;
        private long last;

        Status(String verb, long start, long total) {
            this.verb = verb;
            this.start = start;
            this.total = total;
        }

        synchronized void update(long in, long out) {
            if (!console.live()) {
                return;
            }
            long now = System.nanoTime();
            if (last != 0 && now - last < STATUS_EVERY_NANOS) {
                return;
            }
            last = now;
            String elapsed = (now - start) / 1_000_000_000L + " s";
            String text = total > 0
                    ? String.format(Locale.ROOT, "  %s: %3d%%  %s of %s  %s", verb, Math.min(100, in * 100 / total),
                            size(in), size(total), elapsed)
                    : String.format(Locale.ROOT, "  %s: %s of images, %s written  %s", verb, size(in), size(out), elapsed);
            console.status(text);
        }

        synchronized void clear() {
            console.clearStatus();
        }
    }

    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        private final Status status;
        private long count;

        CountingInputStream(InputStream in, Status status) {
            super(in);
            this.status = status;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                status.update(++count, 0);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                status.update(count, 0);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            count += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
