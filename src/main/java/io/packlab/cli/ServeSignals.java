package io.packlab.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGINT, SIGTERM and SIGHUP for a command that runs until stopped ({@code classroom serve}): each
 * runs {@code stop}, so the command ends normally (exit 0) instead of the JVM exiting with 128 +
 * the signal. Caught with {@code sun.misc.Signal} through reflection, as {@link SignalStop} does; where
 * that is not allowed, a shutdown hook runs {@code stop} as the JVM exits.
 */
final class ServeSignals {

    private ServeSignals() {
    }

    static void onStop(Runnable stop) {
        boolean caught = handle("INT", stop) & handle("TERM", stop);
        handle("HUP", stop);
        if (!caught) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "packlab-serve-stop"));
        }
    }

    private static boolean handle(String signal, Runnable stop) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object sig = signalClass.getConstructor(String.class).newInstance(signal);
            InvocationHandler h = (Object proxy, Method m, Object[] args) -> switch (m.getName()) {
                case "handle" -> {
                    stop.run();
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "packlab serve " + signal + " handler";
            };
            Object handler = Proxy.newProxyInstance(ServeSignals.class.getClassLoader(), new Class<?>[] {handlerClass}, h);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, sig, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
