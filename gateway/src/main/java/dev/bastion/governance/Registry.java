package dev.bastion.governance;

import dev.bastion.audit.Actor;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.ModelEntry;
import dev.bastion.gguf.ModelFileDigest;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.store.ChangeFeed;
import dev.bastion.store.Database;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The model registry: registers local artifacts (SHA-256 and GGUF metadata, optionally a verified signature) and
 * remote models (backend, upstream name, expected identity), keeps their versioned cards, and answers what is
 * registered. Lifecycle transitions live in {@link Lifecycle}. Every change is audited and propagated through
 * {@link RegistryWriter}.
 */
public final class Registry {
    private final EntryStore entries;
    private final CardStore cards;
    private final RegistryWriter writer;
    private final SignatureVerifier signatures;
    private final Predicate<String> remoteBackends;
    private final Clock clock;

    /**
     * @param remoteBackends which backend names remote entries may name (declared, non-engine backends)
     */
    public Registry(Database db, Supplier<AuditLedger> ledger, ChangeFeed feed, SignatureVerifier signatures,
                    Predicate<String> remoteBackends, Clock clock) {
        this.entries = new EntryStore(db);
        this.cards = new CardStore(db);
        this.writer = new RegistryWriter(db, ledger, feed);
        this.signatures = signatures;
        this.remoteBackends = remoteBackends;
        this.clock = clock;
    }

    EntryStore entries() { return entries; }

    CardStore cards() { return cards; }

    RegistryWriter writer() { return writer; }

    Clock clock() { return clock; }

    /**
     * A local GGUF file to register.
     *
     * @param expectedSha256 when given, the file must hash to it (hex)
     * @param bundle         an OpenSSF model-signing (Sigstore) bundle for the file, verified before registering
     * @param baseId         for adapters: the base model's entry
     * @param datasetId      for adapters: the dataset it was trained on
     */
    public record LocalRegistration(Path path, String name, String licence, String sourceUrl, String expectedSha256,
                                    byte[] bundle, String baseId, String datasetId) {}

    public RegistryEntry registerLocal(LocalRegistration r, Principal who, ModelFileDigest.Progress progress) {
        LocalArtifacts.Read read = LocalArtifacts.read(r.path(), progress);
        RegistryEntry.Artifact a = read.artifact();
        if (r.expectedSha256() != null && !r.expectedSha256().equalsIgnoreCase(a.sha256())) {
            throw LocalArtifacts.invalid("the file's SHA-256 differs from the expected digest");
        }
        if (read.kind() == RegistryEntry.Kind.ADAPTER && r.baseId() == null) {
            throw invalid("base", "an adapter names its base model entry ('base')");
        }
        if (read.kind() == RegistryEntry.Kind.MODEL && (r.baseId() != null || r.datasetId() != null)) {
            throw invalid("base", "'base' and 'dataset' are for LoRA adapters; this file is a model");
        }
        Instant now = clock.instant();
        SignatureCheck signature = r.bundle() == null ? null : signatures.verify(r.bundle(), a.sha256(), now);
        String name = r.name() != null ? r.name() : LocalArtifacts.nameFor(r.path());
        checkName(name);
        RegistryEntry e = new RegistryEntry(Ids.next("m"), read.kind(), name, LifecycleState.DRAFT, a, null,
                r.licence(), r.sourceUrl(), r.baseId(), r.datasetId(), signature, who.id(), now, now, 1);
        return register(e, who, evidence(signature)).value();
    }

    /** A model a declared backend serves. */
    public record RemoteRegistration(String name, String backend, String upstreamModel, String expectedIdentity,
                                     String licence, String sourceUrl) {}

    public RegistryEntry registerRemote(RemoteRegistration r, Principal who) {
        if (!remoteBackends.test(r.backend())) {
            throw invalid("backend", "no declared backend of that name (engine models register by file)");
        }
        checkName(r.name());
        if (r.expectedIdentity() != null && !r.expectedIdentity().matches("[!-~]{1,128}")) {
            throw invalid("expected_identity", "expected_identity: 1-128 printable characters without spaces");
        }
        Instant now = clock.instant();
        RegistryEntry e = new RegistryEntry(Ids.next("m"), RegistryEntry.Kind.MODEL, r.name(), LifecycleState.DRAFT,
                null, new RegistryEntry.Remote(r.backend(), r.upstreamModel(), r.expectedIdentity()), r.licence(),
                r.sourceUrl(), null, null, null, who.id(), now, now, 1);
        return register(e, who, List.of()).value();
    }

    /**
     * For {@code serve --model FILE} and {@code engine.models}: the live entry for this artifact, else a new draft.
     * An artifact whose digest was revoked stays revoked (it is returned, and it will not route).
     */
    public RegistryEntry ensureLocal(RegistryEntry.Artifact a, RegistryEntry.Kind kind, String name, String baseId,
                                     Principal who) {
        Optional<RegistryEntry> existing = Jdbc.read(entries.db(), "find entry", c -> liveOrRevoked(c, a.sha256()));
        if (existing.isPresent()) return existing.get();
        String free = Jdbc.read(entries.db(), "find name", c -> entries.findByName(c, name).isEmpty() ? name
                : name.substring(0, Math.min(name.length(), 55)) + "-" + a.sha256().substring(0, 8));
        Instant now = clock.instant();
        return register(new RegistryEntry(Ids.next("m"), kind, free, LifecycleState.DRAFT, a, null, null, null, baseId,
                null, null, who.id(), now, now, 1), who, List.of()).value();
    }

    private RegistryWriter.Committed<RegistryEntry> register(RegistryEntry e, Principal who, List<String> evidence) {
        CardDocument first = CardDocument.build(1, e, ModelCard.EMPTY, List.of());
        ModelEntry step = new ModelEntry(null, e.createdAt(), Actor.of(who),
                e.kind() == RegistryEntry.Kind.ADAPTER ? "adapter.register" : "model.register", e.id(), null,
                LifecycleState.DRAFT.wire(), e.artifactDigest(), first.digest(), evidence);
        return writer.commit(step, c -> {
            if (entries.findByName(c, e.name()).isPresent()) {
                throw invalid("name", "an entry of that name exists");
            }
            if (e.isLocal()) {
                Optional<RegistryEntry> same = liveOrRevoked(c, e.artifact().sha256());
                if (same.isPresent()) {
                    throw new ProblemException(ErrorCode.REGISTRY_CONFLICT.problem(same.get().state() == LifecycleState.REVOKED
                            ? "this artifact's digest was revoked; it cannot be registered again"
                            : "this artifact is already registered as " + same.get().id()));
                }
            } else {
                for (RegistryEntry other : entries.findRemote(c, e.remote().backend(), e.remote().upstreamModel())) {
                    if (!other.state().terminal()) {
                        throw new ProblemException(ErrorCode.REGISTRY_CONFLICT.problem(
                                "this backend model is already registered as " + other.id()));
                    }
                }
            }
            if (e.baseId() != null) {
                RegistryEntry base = entries.find(c, e.baseId()).orElseThrow(() -> invalid("base", "no such base entry"));
                if (base.kind() != RegistryEntry.Kind.MODEL || !base.isLocal()) {
                    throw invalid("base", "an adapter's base is a local model entry");
                }
            }
            if (e.datasetId() != null && !DatasetStore.exists(c, e.datasetId())) {
                throw invalid("dataset", "no such dataset");
            }
            entries.insert(c, e);
            cards.insert(c, e.id(), first, who.id(), e.createdAt());
            entries.appendStep(c, e.id(), step.action(), null, LifecycleState.DRAFT.wire(), who.id(), e.createdAt(),
                    null, evidence);
            return e;
        });
    }

    /** The entry for a local digest that is not retired: live (draft … deployed) or revoked. */
    private Optional<RegistryEntry> liveOrRevoked(java.sql.Connection c, String sha256) throws java.sql.SQLException {
        for (RegistryEntry e : entries.findBySha256(c, sha256)) {
            if (e.state() != LifecycleState.RETIRED) return Optional.of(e);
        }
        return Optional.empty();
    }

    /** A new card version: the stewards' fields replaced, the attached evaluations kept. Only before approval. */
    public CardDocument updateCard(String id, ModelCard card, Principal who) {
        RegistryEntry e = require(id);
        if (e.state() != LifecycleState.DRAFT && e.state() != LifecycleState.EVALUATED) {
            throw new ProblemException(ErrorCode.INVALID_STATE.problem(
                    "the card of an " + e.state().wire() + " entry is frozen; register a new entry to change it"));
        }
        CardDocument current = cards.latest(id).orElseThrow();
        CardDocument next = CardDocument.build(current.version() + 1, e, card, current.evaluations());
        Instant now = clock.instant();
        ModelEntry step = new ModelEntry(null, now, Actor.of(who), "model.card", id, null, null,
                e.artifactDigest(), next.digest(), List.of());
        return writer.commit(step, c -> {
            if (!entries.updateState(c, e, e.withState(e.state(), now))) throw RegistryWriter.conflict();
            cards.insert(c, id, next, who.id(), now);
            entries.appendStep(c, id, "model.card", null, null, who.id(), now, null, List.of(next.digest()));
            return next;
        }).value();
    }

    /**
     * Completes a draft's record: licence, source URL and, for adapters, the dataset it was trained on (the engine
     * registers what it serves as bare drafts). A new card version carries the change.
     */
    public RegistryEntry updateDraft(String id, String licence, String sourceUrl, String datasetId, Principal who) {
        RegistryEntry e = require(id);
        if (e.state() != LifecycleState.DRAFT) {
            throw new ProblemException(ErrorCode.INVALID_STATE.problem("only a draft's record can change"));
        }
        if (datasetId != null && e.kind() != RegistryEntry.Kind.ADAPTER) {
            throw invalid("dataset", "'dataset' is for LoRA adapters");
        }
        Instant now = clock.instant();
        RegistryEntry after = e.withMetadata(licence != null ? licence : e.licence(),
                sourceUrl != null ? sourceUrl : e.sourceUrl(), datasetId != null ? datasetId : e.datasetId(), now);
        CardDocument current = cards.latest(id).orElseThrow();
        CardDocument next = CardDocument.build(current.version() + 1, after, current.card(), current.evaluations());
        ModelEntry step = new ModelEntry(null, now, Actor.of(who), "model.update", id, null, null, e.artifactDigest(),
                next.digest(), List.of());
        return writer.commit(step, c -> {
            if (datasetId != null && !DatasetStore.exists(c, datasetId)) throw invalid("dataset", "no such dataset");
            if (!entries.updateMetadata(c, e, after)) throw RegistryWriter.conflict();
            cards.insert(c, id, next, who.id(), now);
            entries.appendStep(c, id, "model.update", null, null, who.id(), now, null, List.of(next.digest()));
            return after;
        }).value();
    }

    /** Verifies a signature bundle for a local entry's artifact and records the result (before approval only). */
    public RegistryEntry attachSignature(String id, byte[] bundle, Principal who) {
        RegistryEntry e = require(id);
        if (!e.isLocal()) throw invalid("bundle", "remote entries have no artifact to sign");
        if (e.state() != LifecycleState.DRAFT && e.state() != LifecycleState.EVALUATED) {
            throw new ProblemException(ErrorCode.INVALID_STATE.problem("signatures are attached before approval"));
        }
        Instant now = clock.instant();
        SignatureCheck check = signatures.verify(bundle, e.artifact().sha256(), now);
        RegistryEntry signed = e.withSignature(check, now);
        CardDocument current = cards.latest(id).orElseThrow();
        CardDocument next = CardDocument.build(current.version() + 1, signed, current.card(), current.evaluations());
        ModelEntry step = new ModelEntry(null, now, Actor.of(who), "model.sign", id, null, null, e.artifactDigest(),
                next.digest(), evidence(check));
        return writer.commit(step, c -> {
            if (!entries.updateSignature(c, e, signed)) throw RegistryWriter.conflict();
            cards.insert(c, id, next, who.id(), now);
            entries.appendStep(c, id, "model.sign", null, null, who.id(), now, null, evidence(check));
            return signed;
        }).value();
    }

    /** The binding key of an entry (an adapter's includes its base's digest). */
    String bindingKey(RegistryEntry e) {
        if (e.kind() != RegistryEntry.Kind.ADAPTER) return e.bindingKey(null);
        return e.bindingKey(find(e.baseId()).map(b -> b.artifact().sha256()).orElse(null));
    }

    /**
     * The recorded artifact for a file path (not retired), so the engine does not hash a registered file again at
     * every start; the engine worker verifies the digest before it loads anyway.
     */
    public Optional<RegistryEntry.Artifact> knownArtifact(Path path) {
        return Jdbc.read(entries.db(), "find artifact", c -> entries.findByPath(c, path).stream()
                .filter(e -> e.state() != LifecycleState.RETIRED).map(RegistryEntry::artifact).findFirst());
    }

    public Optional<RegistryEntry> find(String id) {
        return Ids.ID.matcher(id).matches() ? entries.find(id) : Optional.empty();
    }

    public List<RegistryEntry> list() { return entries.list(); }

    public Optional<CardDocument> card(String id) { return cards.latest(id); }

    public Optional<CardDocument> card(String id, long version) { return cards.version(id, version); }

    public List<CardStore.Approval> approvals(String id) { return cards.approvals(id); }

    public List<EntryStore.Step> history(String id) { return entries.history(id); }

    RegistryEntry require(String id) {
        return find(id).orElseThrow(() -> new ProblemException(ErrorCode.NOT_FOUND.problem("no such registry entry")));
    }

    static List<String> evidence(SignatureCheck s) {
        List<String> out = new ArrayList<>();
        if (s != null) out.add(s.bundleDigest());
        return out;
    }

    private static void checkName(String name) {
        if (name == null || !Ids.NAME.matcher(name).matches()) {
            throw invalid("name", "names are 1-64 characters: lower-case letters, digits, '.', '_', ':' and '-'");
        }
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(ErrorCode.INVALID_FIELD.problem(message, field));
    }
}
