package dev.bastion.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bastion compliance gdpr-art30|hipaa} and {@code bastion retention show|run}, over the server's API. */
final class PrivacyOpsCommands {
    private PrivacyOpsCommands() {}

    @Command(name = "compliance", mixinStandardHelpOptions = true,
            description = "Print a compliance record generated from the running configuration and policy.")
    static final class Compliance extends OperatorCommand.Base {
        @Parameters(index = "0", paramLabel = "RECORD", description = "gdpr-art30 or hipaa") String record;

        @Override
        public Integer call() throws Exception {
            if (!record.equals("gdpr-art30") && !record.equals("hipaa")) {
                spec.commandLine().getErr().println("RECORD must be gdpr-art30 or hipaa");
                return AuditCommand.USAGE;
            }
            return print(target.call("GET", "/bastion/v1/compliance/" + record, null, true));
        }
    }

    @Command(name = "retention", mixinStandardHelpOptions = true,
            description = "Show the retention rules and recent runs, or run the job now (show | run).")
    static final class Retention extends OperatorCommand.Base {
        @Parameters(index = "0", paramLabel = "show|run", defaultValue = "show") String what;

        @Override
        public Integer call() throws Exception {
            return switch (what) {
                case "show" -> print(target.call("GET", "/bastion/v1/retention", null, true));
                case "run" -> print(target.call("POST", "/bastion/v1/retention/run", null, true));
                default -> {
                    spec.commandLine().getErr().println("show or run");
                    yield AuditCommand.USAGE;
                }
            };
        }
    }
}
