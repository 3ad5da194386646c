package io.packlab.cli;

import io.packlab.workshop.Session;
import io.packlab.engine.Cancellation;
import io.packlab.engine.DockerEngine;
import io.packlab.error.PacklabException;
import io.packlab.shell.PacklabShell;
import io.packlab.step.StepRunner;
import io.packlab.term.AsciicastRecorder;
import io.packlab.term.Console;
import io.packlab.workshop.Settings;
import io.packlab.workshop.Workshop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code packlab}: the shell by default, and the one-shot verbs as subcommands. */
@Command(name = "packlab", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "A guided learning shell for Cloud Native Buildpacks: from a stack to a rebase, every step"
                + " run on a real Docker engine and checked.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:a check or step failed", "2:usage error or bad input", "3:no engine reachable",
            "130:stopped by Ctrl-C (SIGINT; 143 for SIGTERM, 129 for SIGHUP)"})
public final class PacklabCommand implements Callable<Integer>, Session {

    /**
     * The subcommands, in the order help lists them. They are added by {@link Main#commandLine} rather
     * than by the annotation, so that a run builds only the one it needs (see there).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            LessonCommands.ListCommand.class,
            LessonCommands.ShowCommand.class,
            LessonCommands.RunCommand.class,
            LessonCommands.CheckCommand.class,
            LessonCommands.ResetCommand.class,
            DoctorCommand.class,
            StatusCommand.class,
            LintCommand.class,
            CompletionCommand.class,
            KitCommand.class,
            StepCommands.DockerCommand.class,
            StepCommands.PackCommand.class,
            StepCommands.PictureCommand.class,
            DemoCommand.class,
            ClassroomCommand.class);

    @Option(scope = ScopeType.INHERIT, names = "--engine", defaultValue = "auto", paramLabel = "auto|pack|builtin",
            description = "What runs pack steps: the pack CLI when found (auto), always pack, or packlab's built-in platform.")
    String engine;

    @Option(scope = ScopeType.INHERIT, names = "--lang", defaultValue = "en", paramLabel = "en|ja", description = "Lesson language.")
    String lang;

    @Option(scope = ScopeType.INHERIT, names = "--workdir", paramLabel = "DIR",
            description = "Where the learner works and progress is kept (default: packlab's own folder).")
    Path workdir;

    @Option(scope = ScopeType.INHERIT, names = "--lessons", paramLabel = "DIR", description = "Load lessons from this folder instead.")
    Path lessons;

    @Option(scope = ScopeType.INHERIT, names = "--registry", paramLabel = "HOST:PORT",
            description = "A registry (e.g. localhost:5000) that lessons push to; their registry steps run only then.")
    String registry;

    @Option(scope = ScopeType.INHERIT, names = "--no-color", description = "No colours (also when NO_COLOR is set or output is not a terminal).")
    boolean noColor;

    @Option(scope = ScopeType.INHERIT, names = {"-y", "--yes"}, description = "Do not ask before removing images (reset).")
    boolean yes;

    @Option(scope = ScopeType.INHERIT, names = "--record", paramLabel = "FILE",
            description = "Record the session (what was typed, printed and checked) as an asciicast v2 file.")
    Path record;

    @Option(scope = ScopeType.INHERIT, names = "--stacktrace", description = "Print the stack trace of internal errors.")
    boolean stacktrace;

    @Option(scope = ScopeType.INHERIT, names = "--classroom", paramLabel = "URL",
            description = "Show your progress on the instructor's classroom page: the URL it gives,"
                    + " http://HOST:PORT/join/CODE (also PACKLAB_CLASSROOM, or url under [classroom] in packlab.toml).")
    String classroom;

    @Option(scope = ScopeType.INHERIT, names = "--name", paramLabel = "NAME",
            description = "Your name on the classroom page, at most 64 characters (also PACKLAB_NAME, or name under"
                    + " [classroom] in packlab.toml).")
    String name;

    private final Environment environment;
    private Workshop workshop;
    private AsciicastRecorder recorder;
    private Console console;
    private final Cancellation cancellation = new Cancellation();
    /** Whether this command shows the learner's status in a classroom (set by {@link Main}: the shell, run, check...). */
    boolean pushes;
    private io.packlab.classroom.ClassroomPusher pusher;
    /** The signal catcher of a command run from the command line (none in tests and the shell). */
    volatile SignalStop signals;

    public PacklabCommand(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        return new PacklabShell(this, Main::verbs).run();
    }

    @Override
    public synchronized Workshop workshop() {
        if (workshop == null) {
            Path home = environment.home();
            Path work = workdir != null ? workdir : home;
            if (!lang.matches("[a-z]{2}")) {
                throw PacklabException.usage("--lang takes a two-letter language code such as en or ja, not `" + lang + "`.");
            }
            Path lessonDir = lessons != null ? lessons : home.resolve("lessons").resolve(lang);
            if (lessons == null && !Files.isDirectory(lessonDir)) {
                throw PacklabException.usage("there are no lessons in language `" + lang + "` (no folder " + lessonDir
                        + "). Use --lang en or --lang ja.");
            }
            java.util.Optional<io.packlab.classroom.Classroom> room = classroom(home, work);
            Settings settings = new Settings(home, work, lessonDir, lang, StepRunner.packEngine(engine),
                    environment.variables(), Version.current(), java.util.Optional.ofNullable(registry));
            java.util.concurrent.atomic.AtomicReference<Workshop> made = new java.util.concurrent.atomic.AtomicReference<>();
            if (pushes && room.isPresent()) {
                pusher = pusher(room.get(), settings.workdir(), made).start(); // its HTTP client is made meanwhile
            }
            workshop = new Workshop(settings, console(), () -> DockerEngine.fromEnvironment(environment.variables()));
            room.ifPresent(workshop::classroom);
            if (pusher != null) {
                workshop.progress(); // read here, so that what the file says (a warning) is said on this thread
                made.set(workshop);
                workshop.onProgressChange(pusher::changed);
                pusher.changed();
            }
        }
        return workshop;
    }

    /**
     * The classroom given by --classroom/--name, else PACKLAB_CLASSROOM/PACKLAB_NAME, else [classroom] of
     * the work folder's packlab.toml (packlab's own before the work folder has one); refused before
     * anything runs when the URL or the name is not usable.
     */
    private java.util.Optional<io.packlab.classroom.Classroom> classroom(Path home, Path work) {
        Path toml = work.resolve("packlab.toml");
        if (!Files.isRegularFile(toml)) {
            toml = home.resolve("packlab.toml");
        }
        return io.packlab.classroom.Classroom.resolve(classroom, name, environment.variables(),
                io.packlab.classroom.ClassroomToml.load(toml));
    }

    /**
     * What shows the learner's status in the classroom until {@link #close()}: the status document of the
     * workshop once {@code made} holds it, as the room may see it (see {@code RoomDocument}).
     */
    private io.packlab.classroom.ClassroomPusher pusher(io.packlab.classroom.Classroom room, Path work,
            java.util.concurrent.atomic.AtomicReference<Workshop> made) {
        String userHome = environment.variables().getOrDefault("HOME", System.getProperty("user.home"));
        return new io.packlab.classroom.ClassroomPusher(room, () -> io.packlab.classroom.LearnerId.of(work), () -> {
            Workshop w = made.get();
            return w == null ? null : io.packlab.classroom.RoomDocument.of(
                    io.packlab.workshop.StatusReport.of(w).toJson(), work, userHome);
        }).remembering(io.packlab.classroom.ReachMemory.in(work, room.join()));
    }

    @Override
    public synchronized Console console() {
        if (console == null) {
            Map<String, String> env = environment.variables();
            boolean color = !noColor && !env.containsKey("NO_COLOR")
                    && ("always".equals(env.get("PACKLAB_COLOR")) || environment.terminal());
            java.io.PrintWriter out = environment.out();
            java.io.PrintWriter err = environment.err();
            if (record != null) {
                try {
                    recorder = AsciicastRecorder.start(record, environment.width(), 40, env);
                } catch (PacklabException e) {
                    console = new Console(out, err, color, environment.width(), environment.terminal());
                    throw e;
                }
                out = new java.io.PrintWriter(recorder.tee(out), true);
                err = new java.io.PrintWriter(recorder.tee(err), true);
            }
            console = new Console(out, err, color, environment.width(), environment.terminal());
        }
        return console;
    }

    @Override
    public boolean yes() {
        return yes;
    }

    @Override
    public boolean confirm(String question) {
        if (yes || !environment.terminal()) {
            return true;
        }
        console().out().print(question + " [y/N] ");
        console().out().flush();
        try {
            String answer = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).matches("y|yes");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public Path workingFolder() {
        return environment.workingFolder();
    }

    /**
     * What this process still has in the engine and the temp folder, removed where it can be; returns
     * what could not be. Called after a signal stopped the command.
     */
    synchronized io.packlab.workshop.Orphans.Found removeOwn() {
        return workshop != null ? workshop.removeOwn()
                : io.packlab.workshop.Orphans.removeOwn(null, io.packlab.workshop.Orphans.systemTemp());
    }

    public boolean stacktrace() {
        return stacktrace;
    }

    public Environment environment() {
        return environment;
    }

    @Override
    public void typed(String prompt, String line) {
        if (recorder != null) {
            recorder.input(line + "\n");
            recorder.output(prompt + line + "\n");
        }
    }

    public void close() {
        if (pusher != null) {
            pusher.close();
        }
        if (workshop != null) {
            workshop.close();
        }
        if (recorder != null) {
            recorder.close();
        }
    }
}
