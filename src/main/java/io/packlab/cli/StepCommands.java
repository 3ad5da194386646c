package io.packlab.cli;

import io.packlab.workshop.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * One step from the command line, as the shell runs it: {@code docker build ...} and {@code pack ...};
 * their relative paths start at the caller's folder, as with docker and pack themselves.
 */
final class StepCommands {

    private StepCommands() {
    }

    @Command(name = "docker", description = "Run one `docker build` step through the Docker Engine API.",
            subcommands = DockerBuildCommand.class)
    static final class DockerCommand {
    }

    @Command(name = "build", description = "docker build [-t NAME] [-f FILE] [--build-arg K=V] [--label K=V] CONTEXT")
    static final class DockerBuildCommand implements Callable<Integer> {
        private final Session ctx;

        @Unmatched
        List<String> args = new ArrayList<>();

        DockerBuildCommand(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.workshop().dockerBuild(args, ctx.workingFolder(), ctx.cancellation());
            return 0;
        }
    }

    @Command(name = "pack", description = "Run one pack step as the shell runs it.")
    static final class PackCommand implements Callable<Integer> {
        private final Session ctx;

        @Unmatched
        List<String> args = new ArrayList<>();

        PackCommand(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            StringBuilder line = new StringBuilder("pack");
            args.forEach(a -> line.append(' ').append(quote(a)));
            ctx.workshop().runLine(line.toString(), ctx.workingFolder(), ctx.cancellation());
            return 0;
        }
    }

    @Command(name = "picture", description = "Draw the builder, the build or the rebase from your images:"
            + " picture builder|build|rebase [IMAGE].")
    static final class PictureCommand implements Callable<Integer> {
        private final Session ctx;

        @picocli.CommandLine.Parameters(paramLabel = "builder|build|rebase [IMAGE]", arity = "1..2",
                description = "What to draw, and the image (default: python:distroless for builder, webapp otherwise).")
        List<String> args = new ArrayList<>();

        PictureCommand(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            StringBuilder line = new StringBuilder("picture");
            args.forEach(a -> line.append(' ').append(quote(a)));
            ctx.workshop().runLine(line.toString(), ctx.workingFolder(), ctx.cancellation());
            return 0;
        }
    }

    static String quote(String word) {
        return word.matches("[A-Za-z0-9_./:=@%+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
