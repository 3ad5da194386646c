package io.packlab.cnb.platform;

import io.packlab.engine.Created;
import java.util.ArrayList;
import java.util.List;

/** A reporter that keeps what the platform reported: its events, every line it printed, and buildpacks' output. */
final class RecordingReporter implements Reporter {

    final List<PlatformEvent> events = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    final List<String> output = new ArrayList<>();
    final List<Created> created = new ArrayList<>();

    @Override
    public void event(PlatformEvent event) {
        events.add(event);
        Reporter.super.event(event);
    }

    @Override
    public void info(String line) {
        lines.add(line);
    }

    @Override
    public void output(String line) {
        output.add(line);
    }

    @Override
    public void created(Created resource) {
        created.add(resource);
    }

    /** The events of one type, in order. */
    <T extends PlatformEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
