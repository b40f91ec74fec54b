package dev.bastion.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.CanonicalJson;
import dev.bastion.barrier.Barrier;
import dev.bastion.inspect.VaultRecords;
import dev.bastion.investigate.AuditSearch;
import dev.bastion.investigate.SearchJson;
import dev.bastion.investigate.SearchQuery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The right of access (GDPR Art. 15): everything Bastion holds about one subject as one JSON document — their
 * subject record, consents (with evidence), pseudonym-vault originals, every audit entry that names their token
 * with its inclusion proof against the signed checkpoint, and earlier requests — plus a manifest (a signed note
 * under the audit log's key) over the bundle's RFC 8785 digest, so {@link ExportVerifier} checks it offline with
 * the log's verifier key alone.
 */
public final class AccessExport {
    public static final String FORMAT = "bastion.subject-export/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConsentRegistry registry;
    private final PrivacyStore store;
    private final VaultRecords vault;
    private final AuditSearch search;
    private final Supplier<AuditLedger> ledger;
    private final SubjectRequests requests;
    private final Clock clock;

    public AccessExport(ConsentRegistry registry, PrivacyStore store, VaultRecords vault, AuditSearch search,
                        Supplier<AuditLedger> ledger, SubjectRequests requests, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.vault = vault;
        this.search = search;
        this.ledger = ledger;
        this.requests = requests;
        this.clock = clock;
    }

    /**
     * The export document ({@code bundle} + {@code manifest}), or empty when nothing is held (no live key). The
     * request is logged under {@code requestId} as asked by {@code requestedBy}.
     */
    public Optional<ObjectNode> export(String subjectId, String requestId, String requestedBy)
            throws AuditUnavailableException {
        Optional<Barrier.SubjectToken> held = registry.tokens().existing(subjectId);
        if (held.isEmpty()) return Optional.empty();
        String token = held.get().token();
        AuditLedger log = ledger.get();
        log.integrateNow(); // so that entries up to now come with proofs (no-op when another replica integrates)
        search.catchUp();

        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("format", FORMAT);
        Instant now = clock.instant();
        bundle.put("generated_at", now.toString());
        bundle.set("subject", subject(subjectId, held.get()));
        bundle.set("consents", consents(subjectId));
        bundle.set("pseudonym_vault", vaultEntries(token));
        long checkpointSize = audit(bundle.putObject("audit"), token);
        ArrayNode past = bundle.putArray("requests");
        for (SubjectRequests.Request r : requests.list(token, null, 500)) {
            ObjectNode o = past.addObject();
            o.put("id", r.id());
            o.put("kind", r.kind());
            o.put("requested_at", r.requestedAt().toString());
            o.put("outcome", r.outcome());
            if (r.auditIndex() != null) o.put("audit_index", r.auditIndex());
        }

        String manifest = FORMAT + "\n"
                + "sha256:" + sha256(CanonicalJson.encode(bundle)) + "\n"
                + "subject " + token + "\n"
                + "checkpoint " + checkpointSize + "\n"
                + "generated " + now + "\n";
        ObjectNode doc = JSON.createObjectNode();
        doc.set("bundle", bundle);
        doc.put("manifest", new String(log.signStatement(manifest), StandardCharsets.UTF_8));
        doc.put("verifier_key", log.verifierKey());
        requests.record(requestId, "access", token, requestedBy, "exported", null);
        return Optional.of(doc);
    }

    private ObjectNode subject(String subjectId, Barrier.SubjectToken t) {
        ObjectNode s = JSON.createObjectNode();
        s.put("id", subjectId);
        s.put("token", t.token());
        s.put("key_id", Long.toString(t.keyId())); // 63 bits: a JSON number would lose digits
        store.subject(t.token()).ifPresent(r -> {
            s.put("first_seen", Instant.ofEpochMilli(r.firstSeen()).toString());
            s.put("last_seen", Instant.ofEpochMilli(r.lastSeen()).toString());
            s.put("sale_opt_out", r.saleOptOut());
        });
        return s;
    }

    private ArrayNode consents(String subjectId) {
        ArrayNode out = JSON.createArrayNode();
        for (Consent c : registry.of(subjectId).orElse(List.of())) out.add(ConsentJson.view(c));
        return out;
    }

    private ArrayNode vaultEntries(String token) {
        ArrayNode out = JSON.createArrayNode();
        for (VaultRecords.Entry e : vault.ofSubject(token)) {
            ObjectNode o = out.addObject();
            o.put("pseudonym", e.token());
            o.put("type", e.entityType());
            o.put("value", vault.original(e));
            if (e.purpose() != null) o.put("purpose", e.purpose());
            if (e.classification() != null) o.put("classification", e.classification());
            o.put("created_at", Instant.ofEpochMilli(e.createdAt()).toString());
            o.put("expires_at", Instant.ofEpochMilli(e.expiresAt()).toString());
        }
        return out;
    }

    /** Every entry naming the token, oldest first, proven against one checkpoint; returns its size. */
    private long audit(ObjectNode audit, String token) throws AuditUnavailableException {
        SearchQuery q = new SearchQuery(null, token, null, null, null, null, null, null, null, null,
                SearchQuery.MAX_LIMIT);
        java.util.TreeMap<Long, byte[]> found = new java.util.TreeMap<>();
        for (AuditSearch.Page page = search.search(q); ; page = search.search(q.withBefore(page.next()))) {
            for (AuditSearch.Hit h : page.hits()) found.put(h.index(), h.entry());
            if (page.next() == null) break;
        }
        AuditSearch.Proven proven = search.prove(List.copyOf(found.keySet()));
        ArrayNode entries = audit.putArray("entries");
        found.forEach((index, entry) -> entries.add(SearchJson.hit(index, entry, proven.proofs().get(index))));
        audit.put("checkpoint", proven.checkpoint() == null ? null
                : new String(proven.checkpoint(), StandardCharsets.UTF_8));
        return proven.size();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
