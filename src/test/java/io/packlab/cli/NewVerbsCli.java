package io.packlab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs packlab as {@link Main#execute} does, with the status, lint and completion verbs added when
 * {@link PacklabCommand} does not list them yet; captures both streams.
 */
final class NewVerbsCli {

    record Run(int code, String out, String err) {
    }

    private NewVerbsCli() {
    }

    static final List<Class<?>> VERBS = List.of(StatusCommand.class, LintCommand.class, CompletionCommand.class);

    static Run run(Path work, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> vars = new HashMap<>(env);
        vars.putIfAbsent("COLUMNS", "80");
        Environment e = new Environment(Path.of("").toAbsolutePath(), new PrintWriter(out), new PrintWriter(err), vars, false);
        String[] all = new String[args.length + 2];
        all[0] = "--workdir=" + work;
        all[1] = "--no-color";
        System.arraycopy(args, 0, all, 2, args.length);
        PacklabCommand root = new PacklabCommand(e);
        CommandLine cl = Main.commandLine(root);
        for (Class<?> verb : VERBS) {
            String name = verb.getAnnotation(CommandLine.Command.class).name();
            if (!cl.getSubcommands().containsKey(name)) {
                cl.addSubcommand(verb);
            }
        }
        cl.setOut(e.out());
        cl.setErr(e.err());
        int code;
        try {
            code = cl.execute(all);
        } finally {
            root.close();
        }
        return new Run(code, out.toString(), err.toString());
    }

    static Run run(Path work, String... args) {
        return run(work, Map.of(), args);
    }
}
