package io.packlab.cnb.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.engine.Cancellation;
import io.packlab.engine.Engine;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * One image as a {@code docker load} tarball in the legacy {@code docker save} layout:
 * {@code <sha256 of config>.json}, one {@code <diff-id hex>.tar} per new layer, a zero-size
 * {@code blank_<index>} entry per layer the daemon already has (it accepts those when it holds the
 * same layers in the same order below; the containerd image store does not), and
 * {@code manifest.json}. Only the new layers travel. Layers are given bottom first, as
 * {@code rootfs.diff_ids} lists them.
 */
public final class ImageArchive {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(String diffId, LayerTar layer) {
    }

    private final byte[] config;
    private final List<String> configDiffIds;
    private final List<String> repoTags;
    private final List<Entry> layers = new ArrayList<>();

    private ImageArchive(ImageConfig config, List<String> repoTags) {
        this.config = config.toBytes();
        this.configDiffIds = config.diffIds();
        this.repoTags = repoTags.stream().map(ImageArchive::withTag).toList();
    }

    /** {@code name} with {@code :latest} when it has no tag, as {@code docker load} wants its RepoTags. */
    static String withTag(String name) {
        int slash = name.lastIndexOf('/');
        return name.indexOf(':', slash + 1) >= 0 || name.contains("@") ? name : name + ":latest";
    }

    /** An archive of the image with this config (its bytes fixed now), tagged with {@code repoTags}. */
    public static ImageArchive of(ImageConfig config, List<String> repoTags) {
        return new ImageArchive(config, repoTags);
    }

    /** The next layer up is one the daemon has already (a base image layer): sent as an empty entry. */
    public ImageArchive existingLayer(String diffId) {
        layers.add(new Entry(diffId, null));
        return this;
    }

    /** The next layer up is new: its tar travels in the archive. */
    public ImageArchive newLayer(Layer layer) {
        return newLayer(LayerTar.of(layer));
    }

    /** The next layer up is new: its tar is written into the archive when the archive is written. */
    public ImageArchive newLayer(LayerTar layer) {
        layers.add(new Entry(layer.diffId(), layer));
        return this;
    }

    /** The image ID the daemon will give the image: sha256 of the config bytes. */
    public String imageId() {
        return Tars.sha256(config);
    }

    public byte[] configBytes() {
        return config.clone();
    }

    /** Writes the archive; the stream is flushed, not closed. */
    public void writeTo(OutputStream out) throws IOException {
        List<String> given = layers.stream().map(Entry::diffId).toList();
        if (!given.equals(configDiffIds)) {
            throw new IllegalStateException("The image config lists the layers " + configDiffIds
                    + " but the archive was given " + given + ": they must be the same, bottom first.");
        }
        String configName = imageId().substring("sha256:".length()) + ".json";
        ArrayNode manifest = JSON.createArrayNode();
        ObjectNode image = manifest.addObject();
        image.put("Config", configName);
        ArrayNode tags = image.putArray("RepoTags");
        repoTags.forEach(tags::add);
        ArrayNode names = image.putArray("Layers");

        try (TarArchiveOutputStream tar = Tars.open(Tars.unclosable(out))) {
            put(tar, configName, config);
            Set<String> written = new HashSet<>();
            for (int i = 0; i < layers.size(); i++) {
                Entry entry = layers.get(i);
                if (entry.layer() == null) {
                    String name = "blank_" + i;
                    put(tar, name, new byte[0]);
                    names.add(name);
                    continue;
                }
                String name = entry.diffId().substring(entry.diffId().indexOf(':') + 1) + ".tar";
                names.add(name);
                if (written.add(name)) {
                    TarArchiveEntry e = Tars.entry(name, TarConstants.LF_NORMAL, 0, 0, 0644);
                    e.setSize(entry.layer().size());
                    tar.putArchiveEntry(e); // docker load wants the size before the content: it is known
                    entry.layer().content().writeTo(Tars.unclosable(tar));
                    tar.closeArchiveEntry(); // fails when the content was not the size announced
                }
            }
            put(tar, "manifest.json", json(manifest));
            tar.finish();
        }
    }

    /**
     * Loads the archive into the engine, streaming it through a pipe from a writer thread, and
     * returns the image ID. A failure of the writer is what is thrown, even when the engine then
     * failed too (it saw a broken stream).
     */
    public static String load(Engine engine, ImageArchive archive) throws IOException {
        return load(engine, archive, Cancellation.none());
    }

    /**
     * Like {@link #load(Engine, ImageArchive)}; a cancel while the archive streams cuts the stream, so
     * the engine refuses the truncated archive and loads nothing, and this throws
     * {@link InterruptedIOException}.
     */
    public static String load(Engine engine, ImageArchive archive, Cancellation cancel) throws IOException {
        return load(engine, archive::writeTo, archive.imageId(), cancel);
    }

    /** What writes a load archive into a stream (flushed, not closed). */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Like {@link #load(Engine, ImageArchive, Cancellation)} for an archive that {@code archive} writes, of the image
     * {@code imageId}: the stream goes through the same pipe, and failures are told the same way.
     */
    public static String load(Engine engine, Writer archive, String imageId, Cancellation cancel) throws IOException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean readerGone = new AtomicBoolean();
        PipedInputStream pipe = new PipedInputStream(64 * 1024);
        PipedOutputStream sink = new PipedOutputStream(pipe);
        // PipedInputStream wakes a waiting reader only on flush (or once a second): flush every chunk
        OutputStream chunks = new BufferedOutputStream(new FilterOutputStream(sink) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (cancel.isCancelled()) {
                    throw new InterruptedIOException("cancelled");
                }
                sink.write(b, off, len);
                sink.flush();
            }
        }, 32 * 1024);
        Thread writer = new Thread(() -> {
            try {
                archive.writeTo(chunks);
                chunks.flush();
            } catch (Throwable e) {
                if (!readerGone.get()) { // else only the echo of the engine's own failure
                    failure.set(e); // before the close below, so that the reader sees it instead of an end
                }
            } finally {
                try {
                    sink.close();
                } catch (IOException e) {
                    // the reader has gone: it reports why
                }
            }
        }, "packlab-image-writer");
        writer.setDaemon(true);
        writer.start();
        RuntimeException engineFailure = null;
        try {
            engine.loadImage(new WriterAwareStream(pipe, failure));
        } catch (RuntimeException e) {
            engineFailure = e;
        } finally {
            readerGone.set(true);
            pipe.close(); // unblocks a writer the engine stopped reading from
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing an image to the engine");
            }
        }
        Throwable writerFailure = failure.get();
        if (cancel.isCancelled() && (writerFailure != null || engineFailure != null)) {
            throw new InterruptedIOException("cancelled while the image was sent to the engine");
        }
        if (writerFailure instanceof IOException io) {
            throw new IOException("Writing the image archive failed: " + io.getMessage(), io);
        }
        if (writerFailure instanceof RuntimeException r) {
            throw r;
        }
        if (writerFailure != null) {
            throw new IOException("Writing the image archive failed: " + writerFailure, writerFailure);
        }
        if (engineFailure != null) {
            throw engineFailure;
        }
        return imageId;
    }

    /** One regular file of {@code content}, owned by root, mode 0644 (the config and manifest of a load archive). */
    static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = Tars.entry(name, TarConstants.LF_NORMAL, 0, 0, 0644);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The read end of the pipe: a writer failure surfaces as an error, never as a clean end of the tar. */
    private static final class WriterAwareStream extends InputStream {

        private final PipedInputStream pipe;
        private final AtomicReference<Throwable> failure;

        WriterAwareStream(PipedInputStream pipe, AtomicReference<Throwable> failure) {
            this.pipe = pipe;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            int b = pipe.read();
            return b < 0 ? end() : b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = pipe.read(b, off, len);
            return n < 0 ? end() : n;
        }

        private int end() throws IOException {
            Throwable e = failure.get();
            if (e != null) {
                throw new IOException("the image archive writer failed: " + e.getMessage(), e);
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            pipe.close();
        }
    }
}
