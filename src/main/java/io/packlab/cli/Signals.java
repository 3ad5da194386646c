package io.packlab.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * One signal's handler, installed with {@code sun.misc.Signal} through reflection (as JLine does): the JDK has no
 * public API for it, and a JVM may lack it or keep the signal for itself ({@code -Xrs}). Used by {@link SignalStop}
 * (steps) and {@link ServeSignals} (the classroom server).
 */
final class Signals {

    private Signals() {
    }

    /** Runs {@code action} on each {@code signal} ({@code INT}, {@code TERM}, {@code HUP}); false when not allowed. */
    static boolean handle(String signal, Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object sig = signalClass.getConstructor(String.class).newInstance(signal);
            InvocationHandler h = (Object proxy, Method m, Object[] args) -> switch (m.getName()) {
                case "handle" -> {
                    action.run();
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "packlab " + signal + " handler";
            };
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, h);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, sig, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false; // no sun.misc.Signal, or the signal is the VM's (-Xrs)
        }
    }
}
