package dev.bastion.governance;

import dev.bastion.audit.Actor;
import dev.bastion.audit.ModelEntry;
import dev.bastion.gguf.ModelFileDigest;
import dev.bastion.identity.Principal;
import dev.bastion.inspect.Inspector;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.store.Database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Registers fine-tuning datasets: hashes the file, scans it with Bastion's detectors, and records digest, source,
 * consent basis and the PII report — audited like every registry step, so adapters trained on it can cite it.
 */
public final class Datasets {
    private final Registry registry;
    private final DatasetStore store;
    private final DatasetScanner scanner;

    public Datasets(Database db, Registry registry, Inspector inspector) {
        this.registry = registry;
        this.store = new DatasetStore(db);
        this.scanner = new DatasetScanner(inspector);
    }

    public Dataset register(Path path, String name, String source, String consentBasis, String expectedSha256,
                            Principal who) {
        if (name == null || !Ids.NAME.matcher(name).matches()) {
            throw Registry.invalid("name", "names are 1-64 characters: lower-case letters, digits, '.', '_', ':' and '-'");
        }
        if (source == null || source.isBlank() || source.length() > 1000) {
            throw Registry.invalid("source", "source: where the data came from, 1 to 1000 characters");
        }
        if (!Dataset.BASES.contains(consentBasis)) {
            throw Registry.invalid("consent_basis", "consent_basis: one of " + new java.util.TreeSet<>(Dataset.BASES));
        }
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs) || !Files.isReadable(abs)) throw LocalArtifacts.invalid("no readable file at " + abs);
        String sha256;
        long size;
        try {
            size = Files.size(abs);
            sha256 = ModelFileDigest.sha256(abs, (done, total) -> { });
        } catch (IOException e) {
            throw LocalArtifacts.invalid("cannot read the dataset (" + e.getClass().getSimpleName() + ")");
        }
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha256)) {
            throw LocalArtifacts.invalid("the dataset's SHA-256 differs from the expected digest");
        }
        DatasetScanner.Report report = scanner.scan(abs);
        Instant now = registry.clock().instant();
        Dataset d = new Dataset(Ids.next("ds"), name, sha256, size, abs, source.strip(), consentBasis, report.records(),
                report.piiRecords(), report.byType(), who.id(), now);
        String reportDigest = Digests.ofText(EntryStore.toJson(new java.util.TreeMap<>(report.byType())));
        ModelEntry step = new ModelEntry(null, now, Actor.of(who), "dataset.register", d.id(), null, null,
                "sha256:" + sha256, null, List.of(reportDigest));
        return registry.writer().commit(step, c -> {
            if (store.nameTaken(c, name)) throw Registry.invalid("name", "a dataset of that name exists");
            store.insert(c, d);
            return d;
        }).value();
    }

    public Optional<Dataset> find(String id) {
        return Ids.ID.matcher(id).matches() ? store.find(id) : Optional.empty();
    }

    public List<Dataset> list() { return store.list(); }

    static ProblemException notFound() {
        return new ProblemException(ErrorCode.NOT_FOUND.problem("no such dataset"));
    }
}
