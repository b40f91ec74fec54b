package dev.bastion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code bastion models dataset register|list|show}: fine-tuning datasets with their PII scan reports. */
@Command(name = "dataset", mixinStandardHelpOptions = true, description = "Register and list fine-tuning datasets.",
        subcommands = {DatasetCommand.Register.class, DatasetCommand.ListDatasets.class, DatasetCommand.Show.class})
final class DatasetCommand {
    private static final String BASE = "/bastion/v1/datasets";

    @Command(name = "register", description = "Hash and scan a dataset file (inside governance.dataset-dirs).")
    static final class Register extends ModelsCommand.Call {
        @Parameters(paramLabel = "FILE", description = ".jsonl or text, one record per line") Path file;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--source", required = true, description = "where the data came from") String source;
        @Option(names = "--consent-basis", required = true,
                description = "consent, contract, legal-obligation, vital-interests, public-task, legitimate-interests, "
                        + "anonymised or synthetic") String basis;
        @Option(names = "--sha256") String sha256;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("path", file.toAbsolutePath().normalize().toString());
            body.put("source", source);
            body.put("consent_basis", basis);
            if (sha256 != null) body.put("sha256", sha256);
            HttpResponse<String> r = call("POST", BASE, body);
            if (r.statusCode() >= 300) return print(r);
            JsonNode d = ModelsCommand.JSON.readTree(r.body());
            JsonNode pii = d.path("pii_report");
            out().printf("registered %s (%s): sha256 %s, %d records, %d with personal data %s%n", d.path("id").asText(),
                    name, d.path("sha256").asText(), pii.path("records").asLong(), pii.path("records_with_pii").asLong(),
                    pii.path("by_type"));
            out().flush();
            return 0;
        }
    }

    @Command(name = "list", description = "List datasets.")
    static final class ListDatasets extends ModelsCommand.Call {
        @Override
        public Integer call() throws Exception { return print(call("GET", BASE, null)); }
    }

    @Command(name = "show", description = "Show one dataset and its PII report.")
    static final class Show extends ModelsCommand.Call {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() throws Exception { return print(call("GET", BASE + "/" + id, null)); }
    }
}
