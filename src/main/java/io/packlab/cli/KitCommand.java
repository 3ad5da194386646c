package io.packlab.cli;

import io.packlab.config.PacklabConfig;
import io.packlab.kit.Kit;
import io.packlab.workshop.Session;
import io.packlab.workshop.Settings;
import io.packlab.workshop.Workshop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kit save FILE [--with-stack]} and {@code kit load FILE}: the offline kit, every image the
 * tutorial needs in one archive, so a room can work with no registry at all.
 */
@Command(name = "kit", description = "The offline kit: save the images the tutorial needs to one archive, or load them.",
        subcommands = {KitCommand.Save.class, KitCommand.Load.class})
final class KitCommand implements Callable<Integer> {

    private final Session ctx;

    KitCommand(Session ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        throw io.packlab.error.PacklabException.usage("give `kit save FILE [--with-stack]` or `kit load FILE`.");
    }

    /** A kit for the session's workshop: its engine, and the {@code packlab.toml} of its work folder (else of packlab's folder). */
    static Kit kit(Session ctx) {
        Workshop workshop = ctx.workshop();
        Settings s = workshop.settings();
        Path toml = s.workdir().resolve("packlab.toml");
        if (!Files.isRegularFile(toml)) {
            toml = s.home().resolve("packlab.toml");
        }
        return new Kit(workshop::engine, PacklabConfig.load(toml, s.env()), ctx.console());
    }

    @Command(name = "save", description = "Write the base images (and with --with-stack the stack and builder)"
            + " to FILE, a gzip-compressed docker save archive.")
    static final class Save implements Callable<Integer> {
        private final Session ctx;

        @Parameters(paramLabel = "FILE", description = "The archive to write, e.g. packlab-kit.tar.gz.")
        Path file;

        @Option(names = "--with-stack", description = "Also the stack images distroless-python:build and :run and the"
                + " builder python:distroless, when the engine has them.")
        boolean withStack;

        Save(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Kit kit = kit(ctx);
            kit.save(kit.images(withStack), file, ctx.cancellation());
            return 0;
        }
    }

    @Command(name = "load", description = "Load the images of a kit (gzip-compressed or plain docker save tar) and"
            + " check that each is there.")
    static final class Load implements Callable<Integer> {
        private final Session ctx;

        @Parameters(paramLabel = "FILE", description = "The archive that `kit save` wrote.")
        Path file;

        Load(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.workshop().recordLoaded(kit(ctx).load(file, ctx.cancellation()).created());
            return 0;
        }
    }
}
