package dev.bastion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.privacy.ExportVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bastion subjects export|erase|requests|verify}: data-subject rights on a running server (export and erase
 * are sent with the declared purpose, {@code data-subject-request} by default), and the offline check of an export.
 */
@Command(name = "subjects", mixinStandardHelpOptions = true, description = "Answer data-subject requests.",
        subcommands = {SubjectsCommand.Export.class, SubjectsCommand.Erase.class, SubjectsCommand.Requests.class,
                SubjectsCommand.Verify.class})
final class SubjectsCommand {

    abstract static class WithPurpose extends OperatorCommand.Base {
        @Parameters(index = "0", paramLabel = "ID", description = "the data subject's id") String subject;
        @Option(names = "--purpose", defaultValue = "data-subject-request",
                description = "declared purpose (default: ${DEFAULT-VALUE})") String purpose;

        HttpResponse<String> post(String path) throws Exception {
            return target.call("POST", path, Map.of("subject", subject), true, Map.of("X-Bastion-Purpose", purpose));
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Everything Bastion holds about a subject, as a signed bundle (right of access).")
    static final class Export extends WithPurpose {
        @Option(names = "--out", required = true, description = "file to write the bundle to") Path out;

        @Override
        public Integer call() throws Exception {
            HttpResponse<String> r = post("/bastion/v1/subjects/export");
            if (r.statusCode() != 200) return print(r);
            Files.writeString(out, r.body());
            spec.commandLine().getOut().println("wrote " + out + "; check it with: bastion subjects verify " + out
                    + " --key <audit verifier key>");
            return 0;
        }
    }

    @Command(name = "erase", mixinStandardHelpOptions = true,
            description = "Erase a subject: destroy their key, delete what is held, record the proof.")
    static final class Erase extends WithPurpose {
        @Override
        public Integer call() throws Exception {
            return print(post("/bastion/v1/subjects/erase"));
        }
    }

    @Command(name = "requests", mixinStandardHelpOptions = true, description = "The log of access and erasure requests.")
    static final class Requests extends OperatorCommand.Base {
        @Option(names = "--limit", defaultValue = "100") int limit;

        @Override
        public Integer call() throws Exception {
            return print(target.call("GET", "/bastion/v1/subjects/requests?limit=" + limit, null, true));
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check an export offline: manifest signature and digest, checkpoint, inclusion proofs.")
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "FILE") Path file;
        @Option(names = "--key", required = true, description = "the audit log's verifier key") String key;

        @Override
        public Integer call() throws Exception {
            JsonNode doc = ConsentsCommand.json().readTree(Files.readString(file, StandardCharsets.UTF_8));
            ExportVerifier.Result r = ExportVerifier.verify(doc, key);
            PrintWriter out = r.ok() ? spec.commandLine().getOut() : spec.commandLine().getErr();
            out.println((r.ok() ? "verified: " : "NOT verified: ") + r.entriesProven() + " audit entries proven, "
                    + r.entriesPending() + " pending");
            r.failures().forEach(f -> out.println("  " + f));
            return r.ok() ? AuditCommand.OK : AuditCommand.FAILED;
        }
    }
}
