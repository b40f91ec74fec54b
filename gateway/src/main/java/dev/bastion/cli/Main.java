package dev.bastion.cli;

import dev.bastion.config.ConfigException;
import dev.bastion.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bastion}: the server and its operator commands. */
@Command(name = "bastion", mixinStandardHelpOptions = true, version = "bastion 0.1.0",
        description = "Private and secure AI infrastructure: an OpenAI-compatible gateway over self-hosted models.",
        subcommands = {ServeCommand.class, KeysCommand.class, OperatorCommand.class, PolicyCommand.class,
                ModelsCommand.class, ConsentsCommand.class, SubjectsCommand.class,
                PrivacyOpsCommands.Compliance.class, PrivacyOpsCommands.Retention.class, CollectionsCommand.class,
                DocsCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        configureLogging();
        System.exit(commandLine().execute(args));
    }

    /** One-line log records, quiet libraries — unless the operator brought a logging configuration. */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) return;
        try (var in = Main.class.getResourceAsStream("/bastion-logging.properties")) {
            if (in != null) java.util.logging.LogManager.getLogManager().readConfiguration(in);
        } catch (java.io.IOException e) {
            System.err.println("bastion: default logging configuration unreadable, using the JDK's");
        }
    }

    /** The command tree with Bastion's error handling, for tests and for {@link #main}. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand("inspect", new InspectCommand());
        cli.addSubcommand("audit", new AuditCommand(options -> options.dataDir() != null || options.sqlite() != null
                || options.postgresUrl() != null ? AuditCommand.openFromOptions(options)
                : Database.open(options.configSource().load().store())));
        cli.addSubcommand("init", new InitCommand());
        cli.addSubcommand("completion", new CompletionCommand());
        everyCommandHasHelp(cli);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException ce) {
                cmd.getErr().println(ce.getMessage());
                return 78; // EX_CONFIG
            }
            cmd.getErr().println("bastion: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        });
        return cli;
    }

    /** {@code --help} on every command and subcommand, whatever its annotation says. */
    private static void everyCommandHasHelp(CommandLine cli) {
        var spec = cli.getCommandSpec();
        if (spec.findOption("--help") == null) { // a help option alone: some commands have a --version of their own
            String[] names = spec.findOption("-h") == null ? new String[] {"-h", "--help"} : new String[] {"--help"};
            spec.addOption(CommandLine.Model.OptionSpec.builder(names).usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        for (CommandLine sub : cli.getSubcommands().values()) everyCommandHasHelp(sub);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
