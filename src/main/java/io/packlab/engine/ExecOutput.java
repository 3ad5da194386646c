package io.packlab.engine;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns the frames of an exec's attached stream into lines, one buffer per stream so that
 * stdout and stderr never mix within a line; bytes are decoded only once a line is complete, so a
 * character split across frames stays whole. Lines go to the consumer on docker-java's stream thread.
 */
final class ExecOutput extends ResultCallback.Adapter<Frame> {

    private final Consumer<String> lines;
    private final EngineWaits.Progress progress;
    private final Map<StreamType, ByteArrayOutputStream> pending = new EnumMap<>(StreamType.class);

    ExecOutput(Consumer<String> lines) {
        this(lines, new EngineWaits.Progress());
    }

    /** Each frame touches {@code progress}. */
    ExecOutput(Consumer<String> lines, EngineWaits.Progress progress) {
        this.lines = lines;
        this.progress = progress;
    }

    @Override
    public synchronized void onNext(Frame frame) {
        progress.touch();
        byte[] payload = frame.getPayload();
        if (payload == null) {
            return;
        }
        ByteArrayOutputStream buffer = pending.computeIfAbsent(frame.getStreamType(), t -> new ByteArrayOutputStream());
        for (byte b : payload) {
            if (b == '\n') {
                emit(buffer);
            } else {
                buffer.write(b);
            }
        }
    }

    /** Emits what is left of unfinished lines (output that did not end with a newline). */
    synchronized void flush() {
        pending.values().forEach(buffer -> {
            if (buffer.size() > 0) {
                emit(buffer);
            }
        });
    }

    private void emit(ByteArrayOutputStream buffer) {
        String line = buffer.toString(StandardCharsets.UTF_8);
        buffer.reset();
        lines.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
}
