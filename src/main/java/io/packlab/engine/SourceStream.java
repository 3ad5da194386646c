package io.packlab.engine;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The caller's stream as the HTTP transport reads it, remembering a failure of the stream itself so
 * that it is not mistaken for a lost connection to the engine.
 */
final class SourceStream extends FilterInputStream {

    private volatile IOException failure;
    private final EngineWaits.Progress progress;

    SourceStream(InputStream in) {
        this(in, new EngineWaits.Progress());
    }

    /** Each read that moves touches {@code progress}: bytes going to (or coming from) the engine. */
    SourceStream(InputStream in, EngineWaits.Progress progress) {
        super(in);
        this.progress = progress;
    }

    IOException failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        try {
            int b = super.read();
            progress.touch();
            return b;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = super.read(b, off, len);
            progress.touch();
            return n;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }
}
