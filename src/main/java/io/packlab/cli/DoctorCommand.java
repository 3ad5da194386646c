package io.packlab.cli;

import io.packlab.workshop.Session;
import io.packlab.config.BaseImages;
import io.packlab.config.PacklabConfig;
import io.packlab.engine.EngineInfo;
import io.packlab.error.PacklabException;
import io.packlab.workshop.Orphans;
import io.packlab.workshop.Workshop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

/**
 * Is everything the tutorial needs here? Each finding with a fix; exit 0 only when the tutorial can
 * run, 3 when no engine answers, 1 for other problems.
 */
@Command(name = "doctor", description = "Check the set-up: Docker engine, disk space, pack, base images, lessons.")
final class DoctorCommand implements Callable<Integer> {

    private static final long LOW_DISK = 5L << 30;

    private final Session ctx;

    DoctorCommand(Session ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Workshop w = ctx.workshop();
        boolean ok = true;
        ctx.console().pass("lessons: " + w.lessons().lessons().size() + " in " + w.relative(w.lessons().folder()));
        EngineInfo info;
        int engineCode = PacklabException.NO_ENGINE;
        try {
            info = w.engineAsFound().info(); // doctor only looks: orphans are reported below, not removed
            ctx.console().pass(engineLine(info));
            w.engineAsFound().connection().ifPresent(ctx.console()::pass);
        } catch (PacklabException e) {
            ctx.console().fail(engineGuess(w) + " engine: " + e.getMessage());
            engineCode = e.exitCode(); // 3, or 2 when DOCKER_HOST itself is wrong
            info = null;
            ok = false;
        }
        ok &= disk("work folder", w.settings().workdir());
        // a remote engine's data folder is on its machine: a folder of that name here says nothing about it
        if (info != null && info.dockerRootDir() != null && info.endpoint().startsWith("unix:")
                && Files.isDirectory(Path.of(info.dockerRootDir()))) {
            ok &= disk(info.kind().title() + " data (" + info.dockerRootDir() + ")", Path.of(info.dockerRootDir()));
        }
        String pack = packVersion();
        if (pack != null) {
            ctx.console().pass("pack " + pack + " on PATH: pack steps run the real pack (unless --engine builtin)");
        } else {
            ctx.console().pass("pack is not on PATH: pack steps run packlab's built-in platform, which makes"
                    + " images with the same CNB labels and layout. To use the real pack, install it from"
                    + " https://buildpacks.io/docs/for-platform-operators/how-to/integrate-ci/pack/");
        }
        if (info != null) {
            ok &= containers(w, info);
            ok &= bases(w);
            ok &= clock(info);
            orphans(w);
        }
        ok &= registry(w);
        ok &= classroom(w);
        ctx.console().println(ok ? "The tutorial can run here." : "Fix the findings marked ✘, then run doctor again.");
        return ok ? 0 : info == null ? engineCode : PacklabException.FAILED;
    }

    /**
     * The engine named as the learner knows it: Docker keeps its line; Podman says its version, whether
     * it runs as root, its runtime parts and its socket.
     */
    static String engineLine(EngineInfo info) {
        String root = info.rootless() == null ? "" : info.rootless() ? "rootless, " : info.isPodman() ? "rootful, " : "";
        if (!info.isPodman()) {
            return "Docker engine " + info.serverVersion() + " (" + root + "API " + info.apiVersion() + ", storage "
                    + info.storageDriver() + ", " + info.operatingSystem() + ") at " + info.endpoint();
        }
        return "Podman " + info.serverVersion() + " (" + root + "Docker-compatible API " + info.apiVersion()
                + ", storage " + info.storageDriver() + ", " + info.operatingSystem()
                + (info.components().isEmpty() ? "" : "; " + String.join(", ", info.components())) + ") at "
                + info.endpoint();
    }

    /** "Podman" when DOCKER_HOST names a Podman socket, else "Docker": the engine did not answer to say. */
    private static String engineGuess(Workshop w) {
        try {
            String host = w.settings().env().get("DOCKER_HOST");
            return host == null ? "Docker" : io.packlab.engine.EngineKind.guess(java.net.URI.create(host)).title();
        } catch (IllegalArgumentException e) {
            return "Docker";
        }
    }

    /** A container of a Debian image the engine has starts and ends (the rlimit fault shows only then). */
    private boolean containers(Workshop w, EngineInfo info) {
        java.util.List<String> debian = PacklabConfig.load(w.settings().workdir().resolve("packlab.toml"),
                w.settings().env()).bases().locals().stream().map(BaseImages.LocalBase::image)
                .filter(i -> i.contains("debian:")).toList();
        io.packlab.workshop.StartProbe.Outcome probe = io.packlab.workshop.StartProbe.run(w.engineAsFound(), debian);
        if (!probe.tried()) {
            ctx.console().note("containers: not tried, there is no Debian image in the " + info.kind().title()
                    + " engine yet (" + String.join(", ", debian) + " or debian:bookworm-slim)");
            return true;
        }
        if (probe.failure() != null) {
            ctx.console().fail("containers: " + probe.failure().getMessage());
            return false;
        }
        ctx.console().pass("containers start (" + probe.image() + ", " + probe.millis() + " ms)");
        return true;
    }

    private boolean bases(Workshop w) {
        PacklabConfig config = PacklabConfig.load(w.settings().workdir().resolve("packlab.toml"), w.settings().env());
        BaseImages bases = config.bases();
        if (bases.mode() == BaseImages.Mode.PUBLIC) {
            ctx.console().pass("bases: public (the Dockerfiles' defaults are pulled from their registries)");
            return true;
        }
        boolean ok = true;
        for (BaseImages.LocalBase base : bases.locals()) {
            boolean present = w.engine().inspectImage(base.image()).isPresent();
            if (present) {
                ctx.console().pass("local base " + base.image() + " (for " + base.context() + ")");
            } else if (bases.mode() == BaseImages.Mode.LOCAL) {
                ctx.console().fail("local base " + base.image() + " is missing: run `sudo scripts/make-bases.sh`");
                ok = false;
            } else {
                ctx.console().note("local base " + base.image() + " is missing, so " + base.context()
                        + " uses its public default (needs Docker Hub/gcr.io); without them run `sudo scripts/make-bases.sh`");
            }
        }
        return ok;
    }

    /**
     * What packlabs killed on this machine (kill -9, a power cut) left: reported, not removed; the next
     * command that runs a step removes it. Not a reason for a non-zero exit: the tutorial runs anyway.
     */
    private void orphans(Workshop w) {
        Orphans.Found found;
        try {
            found = w.orphans();
        } catch (PacklabException e) {
            ctx.console().note("cannot look for what stopped packlabs left: " + e.getMessage());
            return;
        }
        if (found.isEmpty()) {
            ctx.console().pass("nothing left behind by stopped packlab runs on this machine");
            return;
        }
        ctx.console().note("left behind by a packlab that was killed (no longer running): " + found.describe()
                + ". The next packlab command that runs a step (run, pack, docker build) removes them; to remove"
                + " them now: " + found.commands());
    }

    /** Clock skew between this machine and the engine: over a minute confuses image times and TLS. */
    private boolean clock(EngineInfo info) {
        if (info.systemTime() == null || info.systemTime().isBlank()) {
            return true;
        }
        try {
            long skew = Math.abs(java.time.Duration.between(java.time.OffsetDateTime.parse(info.systemTime()),
                    java.time.OffsetDateTime.now()).toSeconds());
            if (skew > 60) {
                ctx.console().fail("the clocks of this machine and the " + info.kind().title() + " engine differ by "
                        + skew + " s: image"
                        + " times and certificates go wrong; sync them (`sudo timedatectl set-ntp true`)");
                return false;
            }
            ctx.console().pass("clocks agree with the " + info.kind().title() + " engine (" + skew + " s apart)");
        } catch (java.time.DateTimeException e) {
            ctx.console().note("cannot read the engine's clock (" + info.systemTime() + ")");
        }
        return true;
    }

    /** The registry given with --registry answers the registry API. */
    private boolean registry(Workshop w) {
        if (w.settings().registry().isEmpty()) {
            return true;
        }
        String registry = w.settings().registry().get();
        try {
            int status = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(3)).build()
                    .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + registry + "/v2/"))
                            .timeout(java.time.Duration.ofSeconds(5)).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200 || status == 401) {
                ctx.console().pass("registry " + registry + " answers (HTTP " + status + ")");
                return true;
            }
            ctx.console().fail("registry " + registry + " answered HTTP " + status + " at /v2/; is it a Docker"
                    + " registry?");
        } catch (java.io.IOException e) {
            ctx.console().fail("no registry answers at " + registry + ": start one (`docker-registry serve"
                    + " /etc/docker/registry/config.yml`, or `docker run -d -p 5000:5000 registry:2`), or leave out"
                    + " --registry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return false;
    }

    /** The classroom given with --classroom (or PACKLAB_CLASSROOM, packlab.toml) answers its join URL. */
    private boolean classroom(Workshop w) {
        if (w.classroom().isEmpty()) {
            return true;
        }
        io.packlab.classroom.Classroom room = w.classroom().get();
        String where = room.join().getHost() + ":" + room.join().getPort();
        io.packlab.classroom.JoinCheck.Result r = io.packlab.classroom.JoinCheck.check(room);
        switch (r.outcome()) {
            case OK -> {
                io.packlab.classroom.ReachMemory.in(w.settings().workdir(), room.join()).reached();
                ctx.console().pass("classroom at " + where + " answers (" + r.seen() + "): your progress shows there as "
                        + room.name());
                return true;
            }
            case WRONG_CODE -> ctx.console().fail("classroom at " + where + ": the code is wrong (" + r.seen() + "): the"
                    + " server there runs a classroom, but not the one of this URL. Copy the URL again from the"
                    + " instructor's screen (a restarted server has a new code, unless it was started with --code)");
            case NOT_A_CLASSROOM -> ctx.console().fail("classroom at " + where + " answered, but not as a packlab"
                    + " classroom (" + r.seen() + "): check the host and port against the URL the instructor's"
                    + " `packlab classroom serve` printed");
            default -> ctx.console().fail("classroom at " + where + " is not reachable (" + r.seen() + "): check that"
                    + " this machine is on the room's network and the address is the one the instructor gave; the"
                    + " instructor's server must be running and bound to an address learners reach (--bind, loopback by"
                    + " default). Your lessons run anyway; the page shows you once it is reachable");
        }
        return false;
    }

    private boolean disk(String what, Path path) {
        try {
            long free = Files.getFileStore(path).getUsableSpace();
            String text = what + ": " + (free >> 30) + " GiB free";
            if (free < LOW_DISK) {
                ctx.console().fail(text + " (the tutorial needs about 5 GiB; free some, e.g. `docker system prune`)");
                return false;
            }
            ctx.console().pass(text);
            return true;
        } catch (IOException e) {
            ctx.console().warn(what + ": cannot read free space (" + e.getMessage() + ")");
            return true;
        }
    }

    private static String packVersion() {
        try {
            Process p = new ProcessBuilder("pack", "--version").redirectErrorStream(true).start();
            String line;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                line = r.readLine();
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && line != null ? line.strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
