package io.packlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/** What the process was started with: packlab's folder, streams, environment variables, terminal. */
public record Environment(Path home, PrintWriter out, PrintWriter err, Map<String, String> variables,
        boolean terminal) {

    public Environment {
        variables = Map.copyOf(variables);
    }

    /**
     * The folder packlab was started in, where the relative paths of {@code pack} and {@code docker build}
     * given on the command line start (the launcher does not change folder, so it is the caller's). It
     * is {@code $PWD} when that names this folder, so that a folder reached through a symbolic link reads
     * as the caller's shell shows it and {@code ..} goes up from there, as pack and docker resolve it;
     * otherwise the process's folder.
     */
    public Path workingFolder() {
        Path dir = Path.of("").toAbsolutePath();
        String pwd = variables.get("PWD");
        if (pwd != null && pwd.startsWith("/")) {
            try {
                Path logical = Path.of(pwd).normalize();
                if (Files.isSameFile(logical, dir)) {
                    return logical;
                }
            } catch (IOException | InvalidPathException e) {
                // a stale or odd $PWD: the process's folder is the truth
            }
        }
        return dir;
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
