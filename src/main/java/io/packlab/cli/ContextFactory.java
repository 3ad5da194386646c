package io.packlab.cli;

import io.packlab.workshop.Session;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Creates commands that take a {@link Context} in their constructor; others as picocli would. */
public final class ContextFactory implements CommandLine.IFactory {

    private final Session context;

    public ContextFactory(Session context) {
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        for (Constructor<?> c : cls.getDeclaredConstructors()) {
            if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Session.class) {
                c.setAccessible(true);
                return cls.cast(c.newInstance(context));
            }
        }
        return CommandLine.defaultFactory().create(cls);
    }
}
