package dev.bastion.cli;

import dev.bastion.audit.AdminOutcome;
import dev.bastion.models.ImportedModel;
import dev.bastion.models.ModelImportException;
import dev.bastion.models.ModelImporter;
import dev.bastion.models.ModelStore;
import dev.bastion.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code bastion models import FILE --name NAME} and {@code bastion models list}. The store comes from a supplier so
 * the command can be built before the configuration is read; the caller owns (and closes) the database. An import
 * is an administrative action like any other: through {@link OfflineAdmin}, decided by the policy
 * ({@code models.manage}) and recorded in the audit log ({@code model.import}) before and after.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Manage model files: import records their digest and metadata; the engine serves only those.")
public final class ModelsCommand {
    /** Files at least this large get a progress bar in {@code auto} mode. */
    static final long PROGRESS_THRESHOLD = 64L << 20;

    public enum ProgressMode { auto, always, never }

    private final Supplier<Database> database;
    private final Supplier<OfflineAdmin> admin;
    private final Clock clock;

    @Spec
    CommandSpec spec;

    /** @param admin opens the store, barrier, audit log and policy for an import (closed after it) */
    ModelsCommand(Supplier<Database> database, Supplier<OfflineAdmin> admin) {
        this(database, admin, Clock.systemUTC());
    }

    ModelsCommand(Supplier<Database> database, Supplier<OfflineAdmin> admin, Clock clock) {
        this.database = database;
        this.admin = admin;
        this.clock = clock;
    }

    /** What an import ended with: the model, or why it was refused (the audit record says {@code rejected}). */
    private record Imported(ImportedModel model, ModelImportException refused) {}

    @Command(name = "import", description = "Hash a GGUF file and record it under a name.")
    int importModel(@Parameters(paramLabel = "FILE", description = "the .gguf file") Path file,
                    @Option(names = "--name", required = true, description = "name clients will use") String name,
                    @Option(names = "--progress", defaultValue = "auto",
                            description = "progress bar: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
                    ProgressMode progress) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgressBar bar = new ProgressBar(err, progress, PROGRESS_THRESHOLD);
        Imported result;
        try (OfflineAdmin a = admin.get()) {
            ModelImporter importer = new ModelImporter(new ModelStore(a.db()), clock);
            result = a.run("models.manage", "model.import", ModelImporter.validName(name) ? "model:" + name : null,
                    exchange -> {
                        try {
                            return new Imported(importer.importModel(file, name, a.operator().id(), bar::update), null);
                        } catch (ModelImportException e) {
                            exchange.put(AdminOutcome.class, AdminOutcome.of("rejected"));
                            return new Imported(null, e);
                        }
                    });
        }
        try {
            if (result.refused() != null) throw result.refused();
            ImportedModel m = result.model();
            out.printf("imported %s: %s, %s, context %s, %s, sha256 %s%n", m.name(), m.architecture(),
                    m.quantization(), m.contextLength() == null ? "unknown" : m.contextLength(),
                    ProgressBar.size(m.sizeBytes()), m.sha256());
            out.flush();
            return 0;
        } catch (ModelImportException e) {
            bar.abandon();
            err.println("import failed: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    @Command(name = "list", description = "List imported models.")
    int list() {
        PrintWriter out = spec.commandLine().getOut();
        var models = new ModelStore(database.get()).list();
        if (models.isEmpty()) {
            out.println("no models imported (bastion models import FILE --name NAME)");
        } else {
            out.printf("%-24s %-10s %-8s %8s %10s  %-12s  %s%n", "NAME", "ARCH", "QUANT", "CONTEXT", "SIZE",
                    "SHA256", "IMPORTED");
            for (ImportedModel m : models) {
                out.printf(Locale.ROOT, "%-24s %-10s %-8s %8s %10s  %-12s  %s%n", m.name(), m.architecture(),
                        m.quantization(), m.contextLength() == null ? "-" : m.contextLength(),
                        ProgressBar.size(m.sizeBytes()), m.sha256().substring(0, 12),
                        Instant.ofEpochMilli(m.importedAtMillis()));
            }
        }
        out.flush();
        return 0;
    }
}
