package io.packlab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs packlab in-process as {@link Main#execute} does, in a work folder, and captures both streams. */
final class InProcessCli {

    record Run(int code, String out, String err) {
    }

    private InProcessCli() {
    }

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
        int code = Main.execute(e, all);
        return new Run(code, out.toString(), err.toString());
    }

    static Run run(Path work, String... args) {
        return run(work, Map.of(), args);
    }
}
