package io.packlab.cli;

import io.packlab.error.PacklabException;
import io.packlab.workshop.Session;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code completion [bash|zsh]}: a completion script generated from the picocli model of the
 * command line, so it always knows the verbs and options of this packlab.
 */
@Command(name = "completion", description = "Print a bash or zsh completion script: source <(./packlab completion).")
public final class CompletionCommand implements Callable<Integer> {

    /** Lines that let zsh run a bash completion script. */
    static final String ZSH_PRELUDE = """
            # packlab completion for zsh: runs the bash completion script through bashcompinit.
            autoload -U +X compinit && compinit
            autoload -U +X bashcompinit && bashcompinit
            """;

    private final Session ctx;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "bash", paramLabel = "bash|zsh",
            description = "The shell (default: bash).")
    String shell;

    public CompletionCommand(Session ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String script = script(spec.root().commandLine());
        switch (shell) {
            case "bash" -> ctx.console().out().print(script);
            case "zsh" -> ctx.console().out().print(ZSH_PRELUDE + script);
            default -> throw PacklabException.usage("completion scripts exist for bash and zsh, not `" + shell + "`.");
        }
        ctx.console().out().flush();
        return 0;
    }

    /** The bash script for a command tree; it completes {@code packlab} and {@code ./packlab}. */
    static String script(CommandLine root) {
        String script = AutoComplete.bash("packlab", root);
        return script.endsWith("\n") ? script : script + "\n";
    }
}
