package dev.bastion.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code bastion completion [bash|zsh]}: the completion script of the whole command tree, generated from it. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for every command and option.",
                "bash: source <(bastion completion bash)   (put bin/ on PATH to complete `bastion`)",
                "zsh:  autoload -U +X bashcompinit && bashcompinit && source <(bastion completion zsh)"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Spec CommandSpec spec;
    @Parameters(paramLabel = "SHELL", arity = "0..1", defaultValue = "bash", description = "bash (default) or zsh")
    Shell shell;

    @Override
    public Integer call() {
        // one script serves both: under zsh it runs through bashcompinit
        spec.commandLine().getOut().print(AutoComplete.bash("bastion", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
