package io.packlab.workshop;

import io.packlab.check.Check;
import io.packlab.check.CheckContext;
import io.packlab.check.CheckResult;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageSnapshot;
import io.packlab.error.PacklabException;
import io.packlab.lesson.Lesson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Evaluates a lesson's checks. They only read (images, labels, files, a throw-away container for
 * http), so they run side by side: a lesson's checks cost about as much as its slowest one, not the
 * sum; the results still come in the lesson's order.
 */
final class CheckRunner {

    /** How many checks run at once: enough to overlap the engine's answers, few enough for 2 cores. */
    static final int THREADS = 4;

    private final Supplier<Engine> engine;
    private final Path workdir;
    private final Function<String, Optional<ImageSnapshot>> snapshots;
    private final Optional<String> registry;

    /**
     * @param engine    the engine the checks read, asked for once per evaluation
     * @param snapshots the snapshots that steps kept, by name
     * @param registry  HOST:PORT when registry checks run too
     */
    CheckRunner(Supplier<Engine> engine, Path workdir, Function<String, Optional<ImageSnapshot>> snapshots,
            Optional<String> registry) {
        this.engine = engine;
        this.workdir = workdir;
        this.snapshots = snapshots;
        this.registry = registry;
    }

    /**
     * Evaluates a lesson's checks (and its registry checks when a registry is given), handing each
     * result to {@code onEach} in the lesson's order as soon as it and the ones before it are known.
     * A check that throws stops the evaluation with its exception.
     */
    CheckReport evaluate(Lesson lesson, Consumer<CheckResult> onEach) {
        return evaluate(lesson, (result, took) -> onEach.accept(result));
    }

    /** As {@link #evaluate(Lesson, Consumer)}, handing each result with how long its evaluation took. */
    CheckReport evaluate(Lesson lesson, BiConsumer<CheckResult, Duration> onEach) {
        CheckContext context = new CheckContext(engine.get(), workdir, snapshots, registry);
        List<Check> checks = new ArrayList<>(lesson.checks());
        if (registry.isPresent()) {
            checks.addAll(lesson.registryChecks());
        }
        List<CheckResult> results = new ArrayList<>();
        if (checks.size() < 2) {
            checks.forEach(c -> {
                Timed r = Timed.evaluate(c, context);
                results.add(r.result());
                onEach.accept(r.result(), r.took());
            });
            return new CheckReport(lesson, results);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, checks.size()), task -> {
            Thread t = new Thread(task, "packlab-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Timed>> pending = checks.stream().map(c -> pool.submit(() -> Timed.evaluate(c, context))).toList();
            for (Future<Timed> f : pending) {
                Timed r = await(f);
                results.add(r.result());
                onEach.accept(r.result(), r.took());
            }
        } finally {
            pool.shutdownNow();
        }
        return new CheckReport(lesson, results);
    }

    /** A check's result and how long its own evaluation took (checks run side by side: not the wait for it). */
    private record Timed(CheckResult result, Duration took) {
        static Timed evaluate(Check check, CheckContext context) {
            long start = System.nanoTime();
            CheckResult result = check.evaluate(context);
            return new Timed(result, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static Timed await(Future<Timed> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PacklabException(PacklabException.FAILED, "interrupted while the checks ran");
        }
    }
}
