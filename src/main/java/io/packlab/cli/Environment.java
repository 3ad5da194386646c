package io.packlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** What the process was started with: packlab's folder, streams, environment variables, terminal. */
public record Environment(Path home, PrintWriter out, PrintWriter err, Map<String, String> variables,
        boolean terminal) {

    public Environment {
        variables = Map.copyOf(variables);
    }

    /** Terminal width: COLUMNS (the launcher exports it), else 80. */
    public int width() {
        try {
            int columns = Integer.parseInt(variables.getOrDefault("COLUMNS", "80").strip());
            return columns >= 20 ? columns : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
