package dev.bastion.cli;

import dev.bastion.audit.AuditLogReader;
import dev.bastion.audit.LogExporter;
import dev.bastion.audit.LogSource;
import dev.bastion.audit.LogVerifier;
import dev.bastion.audit.VerificationResult;
import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.TlogException;
import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;

/**
 * {@code bastion audit export DIR} and {@code bastion audit verify DIR|URL --key VKEY [--trusted CHECKPOINT]
 * [--witness WITNESS_VKEY … [--quorum N]]}.
 * Exit codes for CI: 0 verified/exported, 1 verification failed, 2 usage error, 3 log or store unreadable.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Export and verify the tamper-evident audit log (C2SP tlog-tiles).",
        subcommands = {AuditCommand.Export.class, AuditCommand.Verify.class, AuditSearchCommand.class})
public final class AuditCommand implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNREADABLE = 3;

    /** Opens the store {@code audit export} reads; the server wires one built from its own configuration. */
    @FunctionalInterface
    public interface StoreOpener {
        Database open(StoreOptions options) throws Exception;
    }

    /** Where the store is, when no configuration loader supplies it. */
    public static final class StoreOptions {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "Bastion data directory (SQLite file bastion.db)")
        Path dataDir;
        @Option(names = "--sqlite", paramLabel = "FILE", description = "SQLite database file")
        Path sqlite;
        @Option(names = "--postgres-url", paramLabel = "JDBC_URL", description = "PostgreSQL JDBC URL")
        String postgresUrl;
        @Option(names = "--postgres-user", paramLabel = "USER")
        String postgresUser;
        @Option(names = "--postgres-password-env", paramLabel = "VAR",
                description = "environment variable holding the PostgreSQL password")
        String postgresPasswordEnv;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE",
                description = "bastion.yaml naming the store (when none of the options above is given)")
        Path config;

        public Path dataDir() { return dataDir; }
        public Path sqlite() { return sqlite; }
        public String postgresUrl() { return postgresUrl; }

        /** Where the configuration comes from when no store option is given: --config, $BASTION_CONFIG, ./bastion.yaml. */
        ConfigSource configSource() {
            ConfigSource source = new ConfigSource();
            source.file = config;
            return source;
        }
    }

    private final StoreOpener opener;

    @Spec
    CommandSpec spec;

    public AuditCommand() {
        this(AuditCommand::openFromOptions);
    }

    public AuditCommand(StoreOpener opener) {
        this.opener = opener;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    static Database openFromOptions(StoreOptions o) throws IOException {
        if (o.postgresUrl != null) {
            String password = o.postgresPasswordEnv == null ? null : System.getenv(o.postgresPasswordEnv);
            return Database.open(StoreConfig.postgres(o.postgresUrl, o.postgresUser, new dev.bastion.common.Secret(password), 2));
        }
        Path file = o.sqlite != null ? o.sqlite : o.dataDir != null ? o.dataDir.resolve("bastion.db") : null;
        if (file == null) throw new IllegalArgumentException("give --data-dir, --sqlite or --postgres-url");
        if (!Files.isRegularFile(file)) throw new IOException("no database at " + file);
        return Database.open(StoreConfig.sqlite(file));
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the log (as of its latest checkpoint) to DIR in tlog-tiles layout.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "DIR", description = "directory to write (created if missing)")
        Path dir;
        @Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Database db = parent.opener.open(store)) {
                Checkpoint cp = LogExporter.export(AuditLogReader.of(db), dir);
                out.println("exported " + cp.size() + " entries of " + cp.origin() + " to " + dir);
                out.flush();
                return OK;
            } catch (IllegalArgumentException e) {
                err.println("audit export: " + e.getMessage());
                return USAGE;
            } catch (Exception e) {
                err.println("audit export: " + e.getMessage());
                return UNREADABLE;
            } finally {
                err.flush();
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify a tlog-tiles log: checkpoint signature, every entry, every tile, root, and "
                    + "consistency with a previously trusted checkpoint.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "DIR|URL", description = "exported directory or http(s) URL prefix")
        String location;
        @Option(names = "--key", required = true, paramLabel = "VKEY", description = "verifier key name+hash+base64")
        String key;
        @Option(names = "--trusted", paramLabel = "CHECKPOINT", description = "file with a checkpoint trusted earlier")
        Path trusted;
        @Option(names = "--api-key-env", paramLabel = "VAR", defaultValue = "BASTION_KEY",
                description = "for a Bastion URL: environment variable holding an API key with audit.read "
                        + "(default: ${DEFAULT-VALUE}; unset means no Authorization header)")
        String apiKeyEnv;
        @Option(names = "--witness", paramLabel = "WITNESS_VKEY",
                description = "a witness's cosigner key (name+hash+base64, type 0x04); repeat for each witness")
        java.util.List<String> witnessKeys = new java.util.ArrayList<>();
        @Option(names = "--quorum", paramLabel = "N",
                description = "how many of the --witness keys must have cosigned the checkpoint (default: all)")
        Integer quorum;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                LogVerifier verifier;
                try {
                    verifier = LogVerifier.forKey(key);
                } catch (TlogException e) {
                    err.println("audit verify: --key: " + e.getMessage());
                    return USAGE;
                }
                if (!witnessKeys.isEmpty() || quorum != null) {
                    java.util.List<dev.bastion.audit.tlog.Cosignature.Verifier> ws = new java.util.ArrayList<>();
                    try {
                        for (String w : witnessKeys) ws.add(dev.bastion.audit.tlog.Cosignature.Verifier.parse(w));
                    } catch (TlogException e) {
                        err.println("audit verify: --witness: " + e.getMessage());
                        return USAGE;
                    }
                    int q = quorum == null ? ws.size() : quorum;
                    if (q < 1 || q > ws.size()) {
                        err.println("audit verify: --quorum must be between 1 and the number of --witness keys");
                        return USAGE;
                    }
                    verifier = verifier.requireWitnesses(ws, q);
                }
                boolean url = location.startsWith("http://") || location.startsWith("https://");
                if (!url && !Files.isDirectory(Path.of(location))) {
                    err.println("audit verify: no directory " + location);
                    return UNREADABLE;
                }
                byte[] trustedNote = trusted == null ? null : Files.readAllBytes(trusted);
                LogSource source = url ? LogSource.http(java.net.URI.create(location), System.getenv(apiKeyEnv))
                        : LogSource.parse(location);
                VerificationResult result = verifier.verify(source, trustedNote);
                return switch (result) {
                    case VerificationResult.Verified v -> {
                        out.println("verified: " + v.checkpoint().origin() + " size " + v.checkpoint().size()
                                + " root " + Base64.getEncoder().encodeToString(v.checkpoint().root()));
                        yield OK;
                    }
                    case VerificationResult.Failed f -> {
                        out.println("FAILED: " + f.problem() + (f.firstBadIndex() >= 0
                                ? " at index " + f.firstBadIndex() : "") + ": " + f.message());
                        yield FAILED;
                    }
                };
            } catch (IOException e) {
                err.println("audit verify: cannot read the log: " + e.getMessage());
                return UNREADABLE;
            } finally {
                out.flush();
                err.flush();
            }
        }
    }
}
