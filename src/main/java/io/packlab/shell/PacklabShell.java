package io.packlab.shell;

import io.packlab.engine.Cancellation;
import io.packlab.error.PacklabException;
import io.packlab.lesson.Lesson;
import io.packlab.term.Console;
import io.packlab.workshop.CheckReport;
import io.packlab.workshop.Session;
import io.packlab.workshop.Workshop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import io.packlab.term.MarkdownRenderer;
import io.packlab.term.Wording;
import org.jline.builtins.Completers;
import org.jline.builtins.Less;
import org.jline.builtins.Source;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;
import picocli.CommandLine;

/**
 * The interactive shell: a JLine prompt showing the current lesson, the verbs of the command line
 * plus next/prev/hint/status/quit, TAB completion of verbs and lesson ids, history in
 * {@code ~/.packlab_history}. Lines starting with docker, pack, cd, ls, cat, a file word (sed,
 * printf, echo, tail, head, grep), or {@code !} for anything else, run as steps of the current
 * lesson, in the shell's folder; each lesson starts in the work folder; {@code edit FILE} opens an
 * editor ({@link Editor}). Ctrl-C stops the running step, not the shell.
 * Fed from a pipe or a file, it runs the lines in order and exits with the most serious exit code
 * of those that failed (see {@link ScriptOutcome}); at a terminal it exits with 0.
 */
public final class PacklabShell {

    /** Words that make a line a step rather than a verb. */
    static final Set<String> STEP_WORDS = Set.of("docker", "pack", "cd", "ls", "cat", "snapshot", "layers",
            "picture");

    /**
     * Programs that change or look at files, as the lessons type them: they run as steps too, as
     * processes in the shell's folder ({@code sed -i}, {@code printf ... >> FILE}, {@code tail -n 3 FILE}).
     * Not chmod: {@code ch} TAB would no longer complete to {@code check}; {@code !chmod} runs it.
     */
    static final List<String> FILE_WORDS = List.of("sed", "printf", "echo", "tail", "head", "grep");

    /** The word that opens an editor on a file ({@link Editor}). */
    static final String EDIT = "edit";

    private static final List<String> LESSON_VERBS = List.of("show", "run", "check", "reset");

    private final Session base;
    private final Function<Session, CommandLine> verbs;
    private volatile Cancellation running = new Cancellation();
    private boolean quit;
    private final io.packlab.workshop.Coach coach = new io.packlab.workshop.Coach();
    private Terminal terminal;
    private Editor editor = new Editor(false, (pb, c) -> {
        throw new IllegalStateException("no terminal to hand over");
    });

    /**
     * JLine reports through java.util.logging, whose default handler prints two lines with a time
     * stamp on stderr (for a pipe: "WARNING: Unable to create a system terminal"). packlab says what
     * matters in its own words, so JLine's logger is silent unless a logging configuration is given.
     * The reference is kept: java.util.logging holds loggers weakly, and a collected one forgets its level.
     */
    private static final java.util.logging.Logger JLINE_LOG = java.util.logging.Logger.getLogger("org.jline");

    static {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            JLINE_LOG.setLevel(java.util.logging.Level.OFF);
        }
    }

    /**
     * @param base  the session of the command line (workshop, console, options)
     * @param verbs makes the command tree of the shared verbs for a session
     */
    public PacklabShell(Session base, Function<Session, CommandLine> verbs) {
        this.base = base;
        this.verbs = verbs;
    }

    /** Runs the loop until quit or Ctrl-D; returns the exit code. */
    public int run() {
        Workshop workshop = base.workshop();
        Console console = base.console();
        boolean scripted = !inputIsTerminal();
        ScriptOutcome outcome = new ScriptOutcome();
        int number = 0;
        // dumb(true): without a terminal on stdin (a pipe, a file), a dumb one, as JLine would choose, but
        // chosen here, so JLine has nothing to warn about
        try (Terminal terminal = TerminalBuilder.builder().system(true).nativeSignals(true).dumb(true).build()) {
            this.terminal = terminal;
            this.editor = new Editor(!scripted && outputIsTerminal(), Editor.jline(terminal));
            Session session = new ShellSession();
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("packlab")
                    .completer(completer(workshop))
                    .variable(LineReader.HISTORY_FILE, historyFile(workshop))
                    .variable(LineReader.HISTORY_SIZE, 1000)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    // a line ending in \ continues on the next, as in a shell: a wrapped command pasted from `show` runs
                    .parser(new org.jline.reader.impl.DefaultParser().eofOnEscapedNewLine(true))
                    .build();
            terminal.handle(Terminal.Signal.INT, signal -> running.cancel());
            greet(workshop, console);
            String keep = null;
            while (true) {
                String line;
                String prompt = prompt(workshop, console);
                try {
                    line = joinContinuations(reader.readLine(prompt, null, keep));
                    keep = null;
                    while (io.packlab.lesson.HereDocuments.unfinished(line)) {
                        line = line + "\n" + reader.readLine("> "); // a here-document's body, up to its end word
                    }
                } catch (UserInterruptException e) {
                    // Ctrl-C at the prompt clears the line. The Ctrl-C that stopped a step also reaches
                    // the first prompt after it; what was typed by then is kept.
                    boolean echo = running.isCancelled() && System.nanoTime() - running.cancelledAt() < 2_000_000_000L;
                    keep = echo && !e.getPartialLine().isEmpty() ? e.getPartialLine() : null;
                    if (echo) {
                        running = new Cancellation();
                    }
                    continue;
                } catch (EndOfFileException e) {
                    return leave(console, workshop, scripted, outcome);
                }
                number++;
                running = new Cancellation();
                base.typed(prompt, line);
                int code = execute(line.strip(), session);
                if (isCommand(line.strip())) {
                    outcome.record(number, line.strip(), code);
                }
                if (quit) {
                    return leave(console, workshop, scripted, outcome);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal", e);
        }
    }

    /**
     * Says goodbye; returns the shell's exit code: at a terminal 0, fed from a pipe or a file the most
     * serious exit code of the lines that failed, said in one sentence ({@code quit} and the end of the
     * input alike: leaving early does not hide what failed).
     */
    private static int leave(Console console, Workshop workshop, boolean scripted, ScriptOutcome outcome) {
        if (scripted) {
            outcome.summary(Wording.of(workshop.settings().lang())).ifPresent(console::error);
        }
        console.paragraph(Wording.of(workshop.settings().lang()).text("shell.bye", workshop.settings().progressFile()));
        return scripted ? outcome.exitCode() : 0;
    }

    /**
     * True when standard input is a terminal, as JLine's providers see it (a native isatty, else
     * {@code test -t 0}); false for a pipe or a file. Where neither can tell, whether the JVM has a console.
     */
    static boolean inputIsTerminal() {
        for (String provider : List.of("jni", "exec")) {
            try {
                return TerminalProvider.load(provider).isSystemStream(SystemStream.Input);
            } catch (IOException | RuntimeException | LinkageError e) {
                // this provider cannot load here (no native library, no test program): ask the next
            }
        }
        return System.console() != null;
    }

    /** True when standard output is a terminal, as JLine's providers see it (see {@link #inputIsTerminal}). */
    static boolean outputIsTerminal() {
        for (String provider : List.of("jni", "exec")) {
            try {
                return TerminalProvider.load(provider).isSystemStream(SystemStream.Output);
            } catch (IOException | RuntimeException | LinkageError e) {
                // this provider cannot load here: ask the next
            }
        }
        return System.console() != null;
    }

    /** History lives in the user's home ($HOME, else the account's home). */
    private static Path historyFile(Workshop workshop) {
        String home = workshop.settings().env().getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".packlab_history");
    }

    private void greet(Workshop workshop, Console console) {
        Lesson current = workshop.current();
        workshop.moveTo(current); // the lesson stays current until `next`, `prev` or `run` moves on
        Wording words = Wording.of(workshop.settings().lang());
        console.heading(words.text("shell.title"));
        console.paragraph(words.text("shell.welcome", workshop.lessons().indexOf(current) + 1,
                workshop.lessons().lessons().size(), current.title()));
        try {
            Optional<CheckReport> again = workshop.recheckCurrent();
            again.filter(r -> !r.passed()).ifPresent(r -> console.warn(words.text("shell.stale", current.id())));
        } catch (PacklabException e) {
            console.error(e.getMessage());
        }
    }

    private String prompt(Workshop workshop, Console console) {
        Lesson current = workshop.current();
        int width = terminal != null && terminal.getWidth() > 0 ? terminal.getWidth() : console.width();
        return Prompt.of(console.style(), workshop.lessons().indexOf(current) + 1, workshop.lessons().lessons().size(),
                current.id(), workshop.shellContext().displayCwd(), width);
    }

    /** True when the line's first word makes it a step: a step word, a file word, or {@code edit}. */
    static boolean isStep(String first) {
        return STEP_WORDS.contains(first) || FILE_WORDS.contains(first) || first.equals(EDIT);
    }

    /** The words that run as steps, for help and errors: "docker, pack, ..., grep or edit". */
    static String stepWordList(Wording language) {
        List<String> words = new ArrayList<>(List.of("docker", "pack", "cd", "ls", "cat", "picture"));
        words.addAll(FILE_WORDS);
        return language.text("shell.or", String.join(", ", words), EDIT);
    }

    /**
     * A line continued with {@code \} at the end of its rows as one line: each backslash-newline
     * outside single quotes goes, as a POSIX shell removes it (the words stay apart as they were; the
     * indentation of a continuation after a blank is dropped, which changes no word).
     */
    static String joinContinuations(String line) {
        if (line.indexOf('\n') < 0) {
            return line;
        }
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                quote = c == '\'' ? 0 : quote;
            } else if (c == '\\' && i + 1 < line.length()) {
                i++;
                if (line.charAt(i) != '\n') {
                    out.append(c).append(line.charAt(i));
                } else if (quote == 0 && out.length() > 0 && Character.isWhitespace(out.charAt(out.length() - 1))) {
                    // the words are already apart: the continuation's indentation changes no word
                    while (i + 1 < line.length() && (line.charAt(i + 1) == ' ' || line.charAt(i + 1) == '\t')) {
                        i++;
                    }
                }
                continue;
            } else if (c == '"') {
                quote = quote == '"' ? 0 : '"';
            } else if (c == '\'' && quote == 0) {
                quote = '\'';
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A line that does something: not blank, not a comment. */
    private static boolean isCommand(String line) {
        return !line.isEmpty() && !line.startsWith("#");
    }

    /**
     * Runs one line; never lets an error end the loop. Returns its exit code (0 when it succeeded). A line
     * that moves to another lesson brings the shell back to the work folder ({@link ShellFolder}).
     */
    int execute(String line, Session session) {
        if (!isCommand(line)) {
            return 0;
        }
        ShellFolder folder = ShellFolder.before(base.workshop());
        try {
            return executeLine(line, session);
        } finally {
            folder.after(base.workshop(), base.console());
        }
    }

    private int executeLine(String line, Session session) {
        Console console = base.console();
        try {
            String first = line.split("\\s+", 2)[0];
            if (line.startsWith("!")) {
                base.workshop().runLine(line.substring(1).strip(), running);
            } else if (first.equals(EDIT)) {
                editor.edit(line, base.workshop().shellContext(), console, running, words());
            } else if (isStep(first)) {
                base.workshop().runLine(line, running);
            } else if (first.equals("help")) {
                help(session);
            } else if (first.equals("show") && line.split("\\s+").length <= 2) {
                show(line.split("\\s+").length == 2 ? line.split("\\s+")[1] : null);
            } else {
                CommandLine cl = commands(session);
                if (!cl.getSubcommands().containsKey(first)) {
                    console.error(words().text("shell.unknown", first, stepWordList(words())));
                    return PacklabException.USAGE;
                }
                return cl.execute(io.packlab.words.ShellWords.split(line, System.getenv()).toArray(String[]::new));
            }
            return 0;
        } catch (PacklabException e) {
            console.error(e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            console.error(words().text("shell.bug", e));
            return PacklabException.FAILED;
        }
    }

    /**
     * {@code show} in the shell: the lesson rendered for the terminal's width, through a pager
     * (q quits, space pages, / searches) when it is taller than the terminal.
     */
    private void show(String lessonRef) {
        Workshop workshop = base.workshop();
        Lesson lesson = lessonRef == null ? workshop.current() : workshop.lessons().get(lessonRef);
        int width = terminal != null && terminal.getWidth() > 0 ? terminal.getWidth() : base.console().width();
        String lang = workshop.settings().lang();
        List<String> lines = new MarkdownRenderer(base.console().style(), width, Wording.of(lang),
                io.packlab.check.CheckSentences.of(lang)::sentence).render(lesson.markdown());
        int height = terminal != null ? terminal.getHeight() : 0;
        if (terminal == null || height <= 0 || lines.size() < height - 1 || "dumb".equals(terminal.getType())) {
            lines.forEach(base.console()::println);
            return;
        }
        String text = String.join("\n", lines) + "\n";
        try {
            new Less(terminal, workshop.settings().workdir()).run(new Source.InputStreamSource(
                    new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), true,
                    lesson.id()));
        } catch (IOException e) {
            lines.forEach(base.console()::println);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CommandLine commands(Session session) {
        CommandLine cl = verbs.apply(session);
        cl.addSubcommand("next", new ShellVerbs.Next(session));
        cl.addSubcommand("prev", new ShellVerbs.Prev(session));
        cl.addSubcommand("hint", new ShellHelpVerbs.HintVerb(session, coach));
        cl.addSubcommand("solution", new ShellHelpVerbs.Solution(session));
        cl.addSubcommand("quit", new ShellVerbs.Quit(() -> quit = true));
        cl.setOut(base.console().out());
        cl.setErr(base.console().err());
        cl.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof PacklabException pe) {
                base.console().error(pe.getMessage());
                return pe.exitCode();
            }
            throw e;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            base.console().error(e.getMessage() + ". Type `help " + e.getCommandLine().getCommandName() + "`.");
            return PacklabException.USAGE;
        });
        return cl;
    }

    private void help(Session session) {
        Console console = base.console();
        CommandLine cl = commands(session);
        console.heading(words().text("shell.verbs"));
        cl.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().aliases().equals(new String[0]) && !name.equals(sub.getCommandName())) {
                return;
            }
            String[] description = sub.getCommandSpec().usageMessage().description();
            console.println(String.format("  %-8s %s", name, description.length > 0 ? description[0] : ""));
        });
        console.println(words().text("shell.help.lines", stepWordList(words())));
    }

    /** The shell's own words in the learner's language. */
    private Wording words() {
        return Wording.of(base.workshop().settings().lang());
    }

    /**
     * Verbs and step words first; lesson ids after show, run, check and reset; files of the shell's
     * folder after edit, cat, ls and the file words; folders after cd.
     */
    static Completer completer(Workshop workshop) {
        List<String> ids = List.copyOf(workshop.lessons().ids());
        List<String> first = new ArrayList<>(List.of("list", "show", "run", "check", "reset", "doctor", "next", "prev",
                "hint", "solution", "status", "help", "quit"));
        first.addAll(STEP_WORDS);
        first.addAll(FILE_WORDS);
        first.add(EDIT);
        Completer files = new Completers.FilesCompleter(() -> workshop.shellContext().cwd());
        Completer folders = new Completers.DirectoriesCompleter(() -> workshop.shellContext().cwd());
        return (reader, line, candidates) -> {
            String verb = line.words().isEmpty() ? "" : line.words().get(0);
            if (line.wordIndex() == 0) {
                first.forEach(w -> candidates.add(new Candidate(w)));
            } else if (line.wordIndex() == 1 && LESSON_VERBS.contains(verb)) {
                ids.forEach(id -> candidates.add(new Candidate(id)));
            } else if (line.wordIndex() == 1 && line.words().get(0).equals("picture")) {
                List.of("builder", "build", "rebase").forEach(k -> candidates.add(new Candidate(k)));
            } else if (verb.equals("cd") && line.wordIndex() == 1) {
                folders.complete(reader, line, candidates);
            } else if (FILE_WORDS.contains(verb) || verb.equals(EDIT) || verb.equals("cat") || verb.equals("ls")) {
                files.complete(reader, line, candidates);
            }
        };
    }

    /** The session of the shell: the command line's, with a fresh cancel switch per line. */
    private final class ShellSession implements Session {
        @Override
        public Workshop workshop() {
            return base.workshop();
        }

        @Override
        public Console console() {
            return base.console();
        }

        @Override
        public boolean yes() {
            return base.yes();
        }

        @Override
        public Cancellation cancellation() {
            return running;
        }

        @Override
        public boolean interactive() {
            return true;
        }

        @Override
        public void typed(String prompt, String line) {
            base.typed(prompt, line);
        }
    }
}
