package io.packlab.cli;

import io.packlab.error.PacklabException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;

/** Entry point: parses the command line, runs it, maps errors to one paragraph and an exit code. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        String home = System.getProperty("packlab.home", System.getenv().getOrDefault("PACKLAB_HOME", "."));
        boolean terminal = System.console() != null || "1".equals(System.getenv("PACKLAB_TTY"));
        Environment env = new Environment(Path.of(home), out, err, System.getenv(), terminal);
        catchSignals = true;
        int code = execute(env, args);
        ClassTraining.trainIfAsked(System.getenv());
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs packlab with the given environment; returns the exit code. Tests call this. */
    public static int execute(Environment env, String... args) {
        PacklabCommand root = new PacklabCommand(env);
        java.util.Optional<String> undecodable = undecodable(args);
        if (undecodable.isPresent()) {
            root.console().error(undecodable.get());
            return PacklabException.USAGE;
        }
        CommandLine cl = commandLine(root, args);
        root.pushes = pushes(cl, args);
        cl.setOut(env.out());
        cl.setErr(env.err());
        SignalStop signals = catchSignals ? signalStop(root, cl, args) : null;
        try {
            int code = cl.execute(args);
            return signals == null || signals.stopped() == null ? code : signals.report(signals.stopped());
        } finally {
            if (signals != null) {
                signals.finished();
            }
            root.close();
        }
    }

    /**
     * Refuses an argument whose bytes Java could not decode (not UTF-8, or not representable in the
     * locale's encoding): it arrives with U+FFFD in their place, so a --workdir would silently name
     * another folder and a lesson id or image name another thing.
     */
    static java.util.Optional<String> undecodable(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (io.packlab.error.Texts.undecodable(args[i])) {
                String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
                boolean utf8 = encoding.equalsIgnoreCase("UTF-8") || encoding.equalsIgnoreCase("UTF8");
                return java.util.Optional.of("argument " + (i + 1) + " (`" + io.packlab.error.Texts.word(
                        args[i].replace('\uFFFD', '?')) + "`, ? where the bytes could not be read) "
                        + (utf8 ? "is not valid UTF-8" : "cannot be represented in this system's encoding (" + encoding
                                + ")") + ", so packlab cannot know which name you meant; it would use another folder or"
                        + " name than yours. Give names in UTF-8"
                        + (utf8 ? "" : " and run packlab in a UTF-8 locale (for example LANG=C.UTF-8)")
                        + ", or rename the folder to a UTF-8 name.");
            }
        }
        return java.util.Optional.empty();
    }

    /** The commands that show the learner's status in a classroom (besides the shell): those that change it. */
    private static final java.util.Set<Class<?>> PUSHING = java.util.Set.of(LessonCommands.RunCommand.class,
            LessonCommands.CheckCommand.class, LessonCommands.ResetCommand.class, StepCommands.DockerCommand.class,
            StepCommands.PackCommand.class);

    /** Whether the command {@code args} name shows the learner's status in a classroom: the shell and {@link #PUSHING}. */
    private static boolean pushes(CommandLine cl, String[] args) {
        Class<?> command = subcommandNamed(cl, args);
        return command == null ? java.util.Arrays.stream(args).noneMatch(a -> a.equals("completion"))
                : PUSHING.contains(command);
    }

        /** Whether this process catches SIGINT, SIGTERM and SIGHUP: set by {@link #main} (not in tests, which run in-process). */
    private static volatile boolean catchSignals;

    /** Commands that neither run steps nor touch the engine: a signal simply ends them (the classroom server catches its own). */
    private static final java.util.Set<Class<?>> READ_ONLY = java.util.Set.of(LessonCommands.ListCommand.class,
            LessonCommands.ShowCommand.class, StatusCommand.class, LintCommand.class, ClassroomCommand.class);

    /**
     * The signal catcher of a command named on the command line (not of the shell, whose terminal
     * takes Ctrl-C, nor of read-only commands): see {@link SignalStop}. Null when there is none.
     */
    private static SignalStop signalStop(PacklabCommand root, CommandLine cl, String[] args) {
        Class<?> command = subcommandNamed(cl, args);
        if (command == null || READ_ONLY.contains(command)) {
            return null;
        }
        SignalStop signals = new SignalStop(root.cancellation(), commandText(args), line -> say(root, line),
                Main::exitNow, () -> lastLook(root)).install();
        root.signals = signals;
        return signals;
    }

    /**
     * The last look after a signal stopped the command: removes what of this process is still there
     * (normally nothing: the step removed its things as it unwound) and says what became of it.
     */
    private static String lastLook(PacklabCommand root) {
        try {
            io.packlab.workshop.Orphans.Found left = root.removeOwn();
            return left.isEmpty() ? "nothing was left behind (no container, no temporary folder of it remains)."
                    : "it left " + left.describe() + "; remove them with `" + left.commands() + "`, or the next"
                            + " packlab that runs a step removes them.";
        } catch (PacklabException e) {
            return "packlab could not look for what it left (" + e.getMessage() + "); the next packlab that runs"
                    + " a step removes its containers and temporary folders.";
        }
    }

    /** One line on standard error, below any live status line. */
    private static void say(PacklabCommand root, String line) {
        root.console().clearStatus();
        root.console().err().println(line);
        root.console().err().flush();
    }

    /** Ends the process at once (a second signal, or a stopped step that did not unwind in time). */
    private static void exitNow(int code) {
        System.exit(code);
    }

    /** The command as typed, for messages: `packlab run build`, shortened when it is long. */
    static String commandText(String[] args) {
        String text = io.packlab.error.Texts.shorten("packlab " + String.join(" ", args));
        return text.length() > 100 ? text.substring(0, 97) + "..." : text;
    }

    static CommandLine commandLine(PacklabCommand root) {
        return commandLine(root, (String[]) null);
    }

    /**
     * The command tree for {@code args}. picocli reads every command's annotations when the tree is
     * built, which took a third of a start-up; so when the arguments name a subcommand, only that one
     * is added. Without a subcommand name (the shell, --help, a mistyped name, which picocli answers
     * with suggestions) and for {@code completion}, which describes them all, the whole tree is built.
     */
    static CommandLine commandLine(PacklabCommand root, String[] args) {
        ContextFactory factory = new ContextFactory(root);
        CommandLine cl = new CommandLine(root, factory);
        Class<?> only = args == null ? null : subcommandNamed(cl, args);
        for (Class<?> sub : PacklabCommand.SUBCOMMANDS) {
            if (only == null || sub == only) {
                cl.addSubcommand(sub);
            }
        }
        // `--engine pack pack build ...`, `--lang list`: an option's value may be a subcommand's name
        cl.setAllowSubcommandsAsOptionParameters(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> handle(e, root));
        cl.setParameterExceptionHandler((e, unmatched) -> {
            env(root).err().println("error: " + io.packlab.error.Texts.shorten(usageMessage(e)) + " Run `./packlab "
                    + commandPath(e.getCommandLine()) + "--help` for the options.");
            env(root).err().flush();
            return PacklabException.USAGE;
        });
        return cl;
    }

    /** The subcommand that {@code args} name (skipping root options and their values), unless it is completion. */
    private static Class<?> subcommandNamed(CommandLine root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return null;
            }
            if (a.startsWith("-")) {
                CommandLine.Model.OptionSpec option = root.getCommandSpec().findOption(a.contains("=")
                        ? a.substring(0, a.indexOf('=')) : a);
                if (option != null && !a.contains("=") && option.arity().max() > 0 && !option.typeInfo().isBoolean()) {
                    i++; // the option's value
                }
                continue;
            }
            for (Class<?> sub : PacklabCommand.SUBCOMMANDS) {
                CommandLine.Command c = sub.getAnnotation(CommandLine.Command.class);
                if (c.name().equals(a) || java.util.Arrays.asList(c.aliases()).contains(a)) {
                    return sub == CompletionCommand.class ? null : sub;
                }
            }
            return null;
        }
        return null;
    }

    /** The verbs shared by the command line and the shell, as a command tree for one session. */
    static CommandLine verbs(io.packlab.workshop.Session session) {
        return new CommandLine(new ShellRoot(), new ContextFactory(session));
    }

    /** The root of the shell's command tree: only the shared verbs, no options. */
    @CommandLine.Command(name = "", subcommands = {
        LessonCommands.ListCommand.class,
        LessonCommands.ShowCommand.class,
        LessonCommands.RunCommand.class,
        LessonCommands.CheckCommand.class,
        LessonCommands.ResetCommand.class,
        DoctorCommand.class,
        StatusCommand.class
    })
    static final class ShellRoot {
    }

    /** picocli's message, or for an unknown verb, which verbs there are. */
    static String usageMessage(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && e.getCommandLine().getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            return "`" + u.getUnmatched().get(0) + "` is not a packlab command. The commands are: "
                    + String.join(", ", e.getCommandLine().getSubcommands().keySet()) + ".";
        }
        String m = e.getMessage();
        return m.endsWith(".") ? m : m + ".";
    }

    private static Environment env(PacklabCommand root) {
        return root.environment();
    }

    private static String commandPath(CommandLine cl) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine c = cl; c != null && c.getParent() != null; c = c.getParent()) {
            sb.insert(0, c.getCommandName() + " ");
        }
        return sb.toString();
    }

    /** Prints an error as one paragraph, never a stack trace unless --stacktrace; returns its exit code. */
    static int handle(Exception e, PacklabCommand root) {
        SignalStop signals = root.signals;
        if (signals != null && signals.stopped() != null) {
            // the signal's cancel made the step fail: the one line of execute() says what happened
            if (root.stacktrace()) {
                root.console().err().println(stackTrace(e));
            }
            return PacklabException.FAILED;
        }
        if (e instanceof PacklabException p) {
            root.console().error(p.getMessage());
            if (root.stacktrace()) {
                root.console().err().println(stackTrace(e));
            }
            return p.exitCode();
        }
        root.console().error("packlab failed unexpectedly: " + e + ". This is a bug in packlab; run again with"
                + " --stacktrace and report the output.");
        if (root.stacktrace()) {
            root.console().err().println(stackTrace(e));
        }
        return PacklabException.FAILED;
    }

    static String stackTrace(Throwable e) {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
