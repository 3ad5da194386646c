package io.packlab.cnb.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;

/**
 * A layer ready to go into an image archive: its diff ID, its size in bytes, and how its tar is written when it is
 * sent (from a file, or read again from where it came from); {@link Content#drop} lets go of what it holds when it is
 * not sent.
 */
public record LayerTar(String diffId, long size, Content content) {

    /** Writes the layer's tar, exactly {@code size} bytes, into a stream it does not close. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;

        /** The layer will not be sent (the engine has it): what it holds may go. */
        default void drop() throws IOException {
        }
    }

    /** A layer written to a file. */
    public static LayerTar of(Layer layer) {
        return new LayerTar(layer.diffId(), layer.size(), out -> {
            try (InputStream in = Files.newInputStream(layer.path())) {
                in.transferTo(out);
            }
        });
    }
}
