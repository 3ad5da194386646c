package io.packlab.cnb.platform;

import io.packlab.cnb.descriptor.BuildpackScaffold;
import io.packlab.cnb.descriptor.Target;
import io.packlab.cnb.registry.RegistryClient;
import io.packlab.engine.Cancellation;
import io.packlab.engine.Created;
import io.packlab.engine.Engine;
import io.packlab.engine.Owner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * packlab's stand-in for {@code pack}: the operations of the tutorial performed on the Docker
 * Engine API. Every image, container and volume it creates carries {@code extraLabels}. Temporary
 * files live in a folder removed when the operation ends, whatever the outcome.
 */
public final class BuiltinPlatform {

    private final Engine engine;
    private final Reporter out;
    private final Map<String, String> extraLabels;
    private final String version;
    private LifecycleImage.Base lifecycleBase = LifecycleImage.Base.auto();

    public BuiltinPlatform(Engine engine, Reporter out, Map<String, String> extraLabels, String version) {
        this.engine = engine;
        this.out = out;
        this.extraLabels = Map.copyOf(extraLabels);
        this.version = version;
    }

    /** The Debian base that packlab's launcher image is compiled on when a build or builder needs it first. */
    public BuiltinPlatform lifecycleBase(LifecycleImage.Base base) {
        this.lifecycleBase = base;
        return this;
    }

    /** Runs one parsed pack request; returns a one-line summary. */
    public String run(Requests request, Cancellation cancel) throws InterruptedException {
        if (request instanceof Requests.NewBuildpack r) {
            List<Path> files = newBuildpack(r);
            return "created " + files.size() + " files in " + r.path();
        }
        if (request instanceof Requests.PackageBuildpack r) {
            String id = withTemp(t -> new Distribution(engine, out, extraLabels, version).packageBuildpack(r, t));
            out.event(new PlatformEvent.ResourceCreated(Created.image(id, List.of(r.name()))));
            return "packaged " + r.name() + " (" + id + ")";
        }
        if (request instanceof Requests.CreateBuilder r) {
            String id = withTempInterruptible(t -> new Distribution(engine, out, extraLabels, version)
                    .launcher(() -> LifecycleImage.launcher(engine, lifecycleBase, out, extraLabels, cancel))
                    .createBuilder(r, t));
            out.event(new PlatformEvent.ResourceCreated(Created.image(id, List.of(r.name()))));
            return "created builder " + r.name() + " (" + id + ")";
        }
        if (request instanceof Requests.Build r) {
            String id = withTempInterruptible(t -> new AppBuilder(engine, out, extraLabels).lifecycleBase(lifecycleBase)
                    .build(r, t, cancel));
            return "built " + r.image() + " (" + id + ")";
        }
        if (request instanceof Requests.Rebase r) {
            Rebaser.Result result = rebase(r);
            return "rebased " + r.image() + (r.publish() ? " in the registry (" : " (") + result.newId() + ")";
        }
        throw new IllegalStateException("a kind of pack request that run does not handle: " + request);
    }

    public List<Path> newBuildpack(Requests.NewBuildpack r) {
        if (Files.exists(r.path())) {
            throw io.packlab.error.PacklabException.usage("directory " + r.path() + " exists: pack buildpack new scaffolds only into a"
                    + " new folder, so nothing of yours is overwritten. Move it away (mv " + r.path().getFileName()
                    + " " + r.path().getFileName() + ".old) or choose another --path.");
        }
        List<Path> files = BuildpackScaffold.create(r.path(), new BuildpackScaffold.Options(r.id(), r.api(), r.version(),
                r.stacks(), r.targets().stream().map(Target::parse).toList()));
        files.forEach(f -> out.info("    " + r.path().relativize(f)));
        out.info("Successfully created " + r.id());
        return files;
    }

    /** {@code pack rebase}: in the Docker engine, or with {@code --publish} in the registry (no engine needed). */
    public Rebaser.Result rebase(Requests.Rebase r) {
        if (r.publish()) {
            RegistryClient registry = new RegistryClient(Set.copyOf(r.insecureRegistries()));
            return withTemp(t -> new RegistryRebaser(registry, out, extraLabels).rebase(r, t));
        }
        Rebaser.Result result;
        try {
            result = new Rebaser(engine, out, extraLabels).rebase(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!result.newId().equals(result.oldId())) { // else nothing was written: the image is as it was
            out.event(new PlatformEvent.ResourceCreated(Created.image(result.newId(), List.of(r.image()))));
        }
        return result;
    }

    private interface Work<T> {
        T run(Path temp) throws IOException;
    }

    private interface InterruptibleWork<T> {
        T run(Path temp) throws IOException, InterruptedException;
    }

    private static <T> T withTemp(Work<T> work) {
        try {
            return withTempInterruptible(work::run);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted");
        }
    }

    private static <T> T withTempInterruptible(InterruptibleWork<T> work) throws InterruptedException {
        Path temp;
        try {
            temp = Owner.tempDirectory("");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary folder", e);
        }
        try {
            return work.run(temp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                AppBuilder.deleteTree(temp);
            } catch (IOException e) {
                // a temp folder left behind is harmless; the OS cleans /tmp
            }
        }
    }
}
