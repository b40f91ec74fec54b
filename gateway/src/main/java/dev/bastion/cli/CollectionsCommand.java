package dev.bastion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bastion collections …}: document collections on a running server (docs/rag.md) — who may retrieve from
 * each (roles, purposes, a policy-language condition), its classification, what ingestion does with personal data,
 * retention. Needs an API key with {@code collections.manage} (the admin's) in {@code $BASTION_KEY}.
 */
@Command(name = "collections", description = "Manage document collections for private retrieval.",
        subcommands = {CollectionsCommand.ListAll.class, CollectionsCommand.Show.class, CollectionsCommand.Create.class,
                CollectionsCommand.Update.class, CollectionsCommand.Delete.class})
final class CollectionsCommand {
    static final String BASE = "/bastion/v1/collections";

    @Command(name = "list", description = "List collections.")
    static final class ListAll extends ModelsCommand.Call {
        @Override
        public Integer call() throws Exception {
            HttpResponse<String> r = call("GET", BASE, null);
            if (r.statusCode() >= 300) return print(r);
            JsonNode list = ModelsCommand.JSON.readTree(r.body()).path("collections");
            if (list.isEmpty()) {
                out().println("no collections (bastion collections create NAME --classification LABEL)");
            } else {
                out().printf("%-24s %-13s %-13s %-9s %s%n", "NAME", "CLASSIFICATION", "PERSONAL DATA", "RETAIN", "ACCESS");
                for (JsonNode c : list) {
                    out().printf(Locale.ROOT, "%-24s %-13s %-13s %-9s %s%n", c.path("name").asText(),
                            c.path("classification").asText(), c.path("personal_data").asText(),
                            c.path("retention_days").asInt() == 0 ? "-" : c.path("retention_days").asInt() + "d",
                            c.path("access"));
                }
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "show", description = "Show a collection with its document and chunk counts.")
    static final class Show extends ModelsCommand.Call {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() throws Exception { return print(call("GET", BASE + "/" + name, null)); }
    }

    /** Options shared by create and update: the access rule and retention. */
    abstract static class Rule extends ModelsCommand.Call {
        @Option(names = "--role", paramLabel = "ROLE", description = "a role that may retrieve (repeat; none: any)")
        List<String> roles;
        @Option(names = "--purpose", paramLabel = "PURPOSE", description = "a purpose retrieval must declare (repeat; none: any)")
        List<String> purposes;
        @Option(names = "--when", paramLabel = "CEL", description = "a condition in the policy language, e.g. "
                + "'principal.attributes.team == \"payments\"'") String when;
        @Option(names = "--retention-days", description = "delete documents this many days after they were added (0: keep)")
        Integer retentionDays;
        @Option(names = "--owner", description = "accountable principal id (default: you)") String owner;

        Map<String, Object> access() {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("roles", roles == null ? List.of() : roles);
            if (purposes != null) a.put("purposes", purposes);
            if (when != null) a.put("when", when);
            return a;
        }

        boolean accessGiven() { return roles != null || purposes != null || when != null; }
    }

    @Command(name = "create", description = "Create a collection.")
    static final class Create extends Rule {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--classification", required = true, description = "the least classification of its documents")
        String classification;
        @Option(names = "--personal-data", defaultValue = "pseudonymise",
                description = "store | pseudonymise | refuse (default: ${DEFAULT-VALUE})") String personalData;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("classification", classification);
            body.put("personal_data", personalData);
            body.put("access", access());
            if (retentionDays != null) body.put("retention_days", retentionDays);
            if (owner != null) body.put("owner", owner);
            return print(call("POST", BASE, body));
        }
    }

    @Command(name = "update", description = "Change a collection's access rule, retention or owner.")
    static final class Update extends Rule {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            if (accessGiven()) body.put("access", access());
            if (retentionDays != null) body.put("retention_days", retentionDays);
            if (owner != null) body.put("owner", owner);
            return print(call("PUT", BASE + "/" + name, body));
        }
    }

    @Command(name = "delete", description = "Delete a collection and every document in it.")
    static final class Delete extends ModelsCommand.Call {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() throws Exception { return print(call("DELETE", BASE + "/" + name, null)); }
    }
}
