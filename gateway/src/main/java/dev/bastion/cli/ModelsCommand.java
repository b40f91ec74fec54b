package dev.bastion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bastion models …}: the model registry on a running server, over its API (the server address and TLS trust
 * come from the configuration, the API key from {@code $BASTION_KEY} or {@code --key-file}). Registering, cards,
 * evaluation, deploy and retire need {@code models.manage}; approve and revoke {@code models.approve}.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "The model registry: nothing routes until it is registered, evaluated, documented and approved.",
        subcommands = {ModelsCommand.ListEntries.class, ModelsCommand.Show.class, ModelsCommand.Register.class,
                ModelsCommand.Import.class, ModelsCommand.Card.class, ModelsCommand.Sign.class,
                EvaluateCommand.class, ModelsCommand.Approve.class, ModelsCommand.Deploy.class,
                ModelsCommand.Retire.class, ModelsCommand.Revoke.class, ModelsCommand.History.class,
                PullCommand.class, DatasetCommand.class})
final class ModelsCommand {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BASE = "/bastion/v1/models";
    /** Files at least this large get a progress bar in {@code auto} mode. */
    static final long PROGRESS_THRESHOLD = 64L << 20;

    public enum ProgressMode { auto, always, never }

    /** What every registry subcommand shares: the server, the key, and printing. */
    abstract static class Call implements Callable<Integer> {
        @Mixin OperatorCommand.Target target;
        @Spec CommandSpec spec;

        PrintWriter out() { return spec.commandLine().getOut(); }

        PrintWriter err() { return spec.commandLine().getErr(); }

        HttpResponse<String> call(String method, String path, Object body) throws Exception {
            return target.call(method, path, body, true);
        }

        int print(HttpResponse<String> r) { return OperatorCommand.Target.print(spec, r); }

        /** A one-line account of an entry: id, name, state, digest. */
        int entryLine(HttpResponse<String> r, String verb) throws Exception {
            if (r.statusCode() >= 300) return print(r);
            JsonNode e = JSON.readTree(r.body());
            out().printf("%s %s (%s): %s, %s%n", verb, e.path("id").asText(), e.path("name").asText(),
                    e.path("state").asText(), e.path("artifact_digest").asText("-"));
            out().flush();
            return 0;
        }
    }

    @Command(name = "list", description = "List registry entries.")
    static final class ListEntries extends Call {
        @Override
        public Integer call() throws Exception {
            HttpResponse<String> r = call("GET", BASE, null);
            if (r.statusCode() >= 300) return print(r);
            JsonNode data = JSON.readTree(r.body()).path("data");
            if (data.isEmpty()) {
                out().println("no registry entries (bastion models register FILE | --remote BACKEND/MODEL)");
            } else {
                out().printf("%-16s %-24s %-7s %-6s %-9s %s%n", "ID", "NAME", "KIND", "SOURCE", "STATE", "DIGEST");
                for (JsonNode e : data) {
                    String digest = e.path("artifact_digest").asText("-");
                    out().printf(Locale.ROOT, "%-16s %-24s %-7s %-6s %-9s %s%n", e.path("id").asText(),
                            e.path("name").asText(), e.path("kind").asText(), e.path("source").asText(),
                            e.path("state").asText(), digest.length() > 19 ? digest.substring(0, 19) : digest);
                }
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "show", description = "Show one entry (state, artifact, card digest, approvals).")
    static final class Show extends Call {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() throws Exception { return print(call("GET", BASE + "/" + id, null)); }
    }

    @Command(name = "register", description = "Register a local GGUF file (a path the server can read, inside "
            + "governance.model-dirs) or a model a declared backend serves (--remote BACKEND/MODEL).")
    static final class Register extends Call {
        @Parameters(paramLabel = "FILE", arity = "0..1", description = "the .gguf file (model or LoRA adapter)") Path file;
        @Option(names = "--remote", paramLabel = "BACKEND/MODEL", description = "a backend's model instead of a file") String remote;
        @Option(names = "--name", description = "registry name (default: from the file name)") String name;
        @Option(names = "--licence") String licence;
        @Option(names = "--source-url") String sourceUrl;
        @Option(names = "--sha256", description = "the digest the file must have") String sha256;
        @Option(names = "--signature", paramLabel = "BUNDLE", description = "OpenSSF model-signing bundle (model.sig)") Path bundle;
        @Option(names = "--base", description = "for an adapter: the base model's entry id") String base;
        @Option(names = "--dataset", description = "for an adapter: the dataset it was trained on") String dataset;
        @Option(names = "--expected-identity", description = "for --remote: the digest or revision the backend reports")
        String expectedIdentity;

        @Override
        public Integer call() throws Exception {
            if ((file == null) == (remote == null)) {
                err().println("give a FILE or --remote BACKEND/MODEL");
                return 2;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            if (file != null) {
                body.put("source", "local");
                body.put("path", file.toAbsolutePath().normalize().toString());
                if (sha256 != null) body.put("sha256", sha256);
                if (bundle != null) body.put("signature_bundle", JSON.readTree(Files.readString(bundle)));
                if (base != null) body.put("base", base);
                if (dataset != null) body.put("dataset", dataset);
            } else {
                int slash = remote.indexOf('/');
                if (slash <= 0 || slash == remote.length() - 1 || name == null) {
                    err().println("--remote takes BACKEND/MODEL, and needs --name");
                    return 2;
                }
                body.put("source", "remote");
                body.put("backend", remote.substring(0, slash));
                body.put("upstream_model", remote.substring(slash + 1));
                if (expectedIdentity != null) body.put("expected_identity", expectedIdentity);
            }
            if (name != null) body.put("name", name);
            if (licence != null) body.put("licence", licence);
            if (sourceUrl != null) body.put("source_url", sourceUrl);
            return entryLine(call("POST", BASE, body), "registered");
        }
    }

    @Command(name = "import", description = "Register a local GGUF file (as register FILE --name NAME).")
    static final class Import extends Call {
        @Parameters(paramLabel = "FILE") Path file;
        @Option(names = "--name", required = true) String name;

        @Override
        public Integer call() throws Exception {
            return entryLine(call("POST", BASE, Map.of("source", "local", "name", name,
                    "path", file.toAbsolutePath().normalize().toString())), "registered");
        }
    }

    @Command(name = "card", description = "Show the model card (JSON, or --markdown), or write a new version (--set FILE).")
    static final class Card extends Call {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--markdown", description = "render as Markdown") boolean markdown;
        @Option(names = "--version", description = "an earlier version") Long version;
        @Option(names = "--set", paramLabel = "FILE", description = "card fields as YAML or JSON") Path set;

        @Override
        public Integer call() throws Exception {
            if (set != null) {
                ObjectMapper reader = set.toString().endsWith(".json") ? JSON : new ObjectMapper(new YAMLFactory());
                JsonNode fields = reader.readTree(Files.readString(set));
                if (!(fields instanceof ObjectNode)) {
                    err().println("the card file holds one object");
                    return 2;
                }
                return print(call("PUT", BASE + "/" + id + "/card", fields));
            }
            String q = (version == null ? "" : "version=" + version + "&") + (markdown ? "format=markdown" : "");
            HttpResponse<String> r = call("GET", BASE + "/" + id + "/card" + (q.isEmpty() ? "" : "?" + q), null);
            if (r.statusCode() >= 300 || markdown) return print(r);
            out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(r.body())));
            out().flush();
            return 0;
        }
    }

    @Command(name = "sign", description = "Attach an OpenSSF model-signing bundle; it is verified offline first.")
    static final class Sign extends Call {
        @Parameters(index = "0", paramLabel = "ID") String id;
        @Parameters(index = "1", paramLabel = "BUNDLE") Path bundle;

        @Override
        public Integer call() throws Exception {
            return entryLine(call("POST", BASE + "/" + id + "/signature", JSON.readTree(Files.readString(bundle))), "signed");
        }
    }

    @Command(name = "approve", description = "Approve an evaluated entry (models.approve; never the submitter).")
    static final class Approve extends Call {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--override-reason", description = "approve although an evaluation gate failed, and why") String reason;

        @Override
        public Integer call() throws Exception {
            HttpResponse<String> r = call("POST", BASE + "/" + id + "/approve",
                    reason == null ? Map.of() : Map.of("override_reason", reason));
            if (r.statusCode() >= 300) return print(r);
            JsonNode e = JSON.readTree(r.body());
            out().printf("%s: %s (%d of %d approvals on this card)%n", id, e.path("state").asText(),
                    e.path("approvals").path("current_card").asInt(), e.path("approvals").path("needed").asInt());
            out().flush();
            return 0;
        }
    }

    @Command(name = "deploy", description = "Put an approved entry in service.")
    static final class Deploy extends Call {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() throws Exception { return entryLine(call("POST", BASE + "/" + id + "/deploy", Map.of()), "deployed"); }
    }

    @Command(name = "retire", description = "Take an approved or deployed entry out of service for good.")
    static final class Retire extends Call {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--reason") String reason;

        @Override
        public Integer call() throws Exception {
            return entryLine(call("POST", BASE + "/" + id + "/retire", reason == null ? Map.of() : Map.of("reason", reason)), "retired");
        }
    }

    @Command(name = "revoke", description = "Revoke an entry: it stops serving on every replica at once.")
    static final class Revoke extends Call {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--reason", required = true) String reason;

        @Override
        public Integer call() throws Exception {
            return entryLine(call("POST", BASE + "/" + id + "/revoke", Map.of("reason", reason)), "revoked");
        }
    }

    @Command(name = "history", description = "Every step of an entry's lifecycle.")
    static final class History extends Call {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() throws Exception {
            HttpResponse<String> r = call("GET", BASE + "/" + id + "/history", null);
            if (r.statusCode() >= 300) return print(r);
            for (JsonNode s : JSON.readTree(r.body()).path("data")) {
                out().printf("%3d %-24s %-17s %-10s → %-10s %s%n", s.path("seq").asInt(), s.path("at").asText(),
                        s.path("action").asText(), s.path("from").asText("-"), s.path("to").asText("-"),
                        s.path("actor").asText());
            }
            out().flush();
            return 0;
        }
    }
}
