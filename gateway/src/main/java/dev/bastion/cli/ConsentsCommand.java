package dev.bastion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bastion consents grant|withdraw|list|show|import|opt-out}: the consent and purpose registry of a running
 * server, over its API (so policy decides and the server audits; a change has reached every replica when the
 * command returns). The key comes from {@code $BASTION_KEY} (a privacy officer's or a consent-sync key).
 */
@Command(name = "consents", mixinStandardHelpOptions = true, description = "Keep the consent and purpose registry.",
        subcommands = {ConsentsCommand.Grant.class, ConsentsCommand.Withdraw.class, ConsentsCommand.ListConsents.class,
                ConsentsCommand.Show.class, ConsentsCommand.Import.class, ConsentsCommand.OptOut.class})
final class ConsentsCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    abstract static class Change extends OperatorCommand.Base {
        @Option(names = "--subject", required = true, description = "the data subject's id") String subject;
        @Option(names = "--purpose", required = true, description = "purpose of processing") String purpose;
        @Option(names = "--basis", defaultValue = "consent", description = "lawful basis: consent, contract, "
                + "legal-obligation, vital-interest, public-task, legitimate-interest (default: ${DEFAULT-VALUE})")
        String basis;
        @Option(names = "--evidence", description = "where the basis is documented (receipt id, contract number)")
        String evidence;
        @Option(names = "--expires", description = "when the basis lapses (RFC 3339)") String expires;

        abstract String state();

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("subject", subject);
            body.put("purpose", purpose);
            body.put("state", state());
            body.put("basis", basis);
            if (evidence != null) body.put("evidence", evidence);
            if (expires != null) body.put("expires_at", expires);
            return print(target.call("POST", "/bastion/v1/consents", body, true));
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Record a lawful basis for a purpose.")
    static final class Grant extends Change {
        @Override
        String state() { return "granted"; }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Withdraw it (effective at once).")
    static final class Withdraw extends Change {
        @Override
        String state() { return "withdrawn"; }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the registry (subjects as tokens).")
    static final class ListConsents extends OperatorCommand.Base {
        @Option(names = "--purpose") String purpose;
        @Option(names = "--state", description = "granted or withdrawn") String state;
        @Option(names = "--limit", defaultValue = "100") int limit;
        @Option(names = "--after", description = "next_after of the previous page") String after;

        @Override
        public Integer call() throws Exception {
            StringBuilder q = new StringBuilder("/bastion/v1/consents?limit=" + limit);
            if (purpose != null) q.append("&purpose=").append(enc(purpose));
            if (state != null) q.append("&state=").append(enc(state));
            if (after != null) q.append("&after=").append(enc(after));
            return print(target.call("GET", q.toString(), null, true));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One subject's records, with evidence.")
    static final class Show extends OperatorCommand.Base {
        @Option(names = "--subject", required = true) String subject;

        @Override
        public Integer call() throws Exception {
            return print(target.call("POST", "/bastion/v1/consents/lookup", Map.of("subject", subject), true));
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Bulk import: CSV with a header line, or JSON lines (subject, purpose, state, basis, evidence, expires_at).")
    static final class Import extends OperatorCommand.Base {
        @Parameters(index = "0", paramLabel = "FILE") Path file;
        @Option(names = "--format", description = "csv or jsonl (default: from the file name)") String format;

        @Override
        public Integer call() throws Exception {
            String f = format != null ? format : file.toString().endsWith(".csv") ? "csv" : "jsonl";
            String type = f.equals("csv") ? "text/csv" : "application/x-ndjson";
            return print(target.callRaw("POST", "/bastion/v1/consents/import", Files.readAllBytes(file), type));
        }
    }

    @Command(name = "opt-out", mixinStandardHelpOptions = true,
            description = "Set (or with --clear, clear) a subject's CCPA opt-out of sale/sharing.")
    static final class OptOut extends OperatorCommand.Base {
        @Option(names = "--subject", required = true) String subject;
        @Option(names = "--clear") boolean clear;

        @Override
        public Integer call() throws Exception {
            return print(target.call("POST", "/bastion/v1/subjects/sale-opt-out",
                    Map.of("subject", subject, "opt_out", !clear), true));
        }
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    static ObjectMapper json() { return JSON; }
}
