package dev.bastion.rag;

import dev.bastion.inspect.Action;
import dev.bastion.inspect.EntityType;
import dev.bastion.inspect.Finding;
import dev.bastion.inspect.Inspection;
import dev.bastion.inspect.InspectionObligations;
import dev.bastion.inspect.Inspector;
import dev.bastion.inspect.Redaction;
import dev.bastion.inspect.Redactor;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.RequestFacts;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One document in: extract text, inspect every section with Bastion's detectors (each piece of text once, so overlaps
 * between chunks are not counted twice), handle personal data as the collection says (store, pseudonymise, refuse),
 * mask secrets, chunk, embed, seal, index. A document is stored whole or not at all.
 */
final class Ingestor {
    /** Entity types ingestion treats as personal data (dates, places, organisations and URLs are not, alone). */
    /** Handling from weakest to strongest (the stronger of the collection's and the policy's wins). */
    private static final List<Action> STRENGTH = List.of(Action.ALLOW, Action.GENERALISE, Action.PSEUDONYMISE,
            Action.MASK);

    static final Set<EntityType> PERSONAL = EnumSet.of(EntityType.PERSON, EntityType.EMAIL_ADDRESS,
            EntityType.PHONE_NUMBER, EntityType.FAX_NUMBER, EntityType.US_SSN, EntityType.CREDIT_CARD,
            EntityType.IBAN_CODE, EntityType.IP_ADDRESS, EntityType.STREET_ADDRESS, EntityType.DATE_OF_BIRTH,
            EntityType.MEDICAL_RECORD_NUMBER, EntityType.HEALTH_PLAN_ID, EntityType.US_DRIVER_LICENSE,
            EntityType.US_PASSPORT, EntityType.ACCOUNT_NUMBER, EntityType.LICENSE_NUMBER, EntityType.VEHICLE_ID,
            EntityType.DEVICE_ID);
    static final double MIN_SCORE = 0.5;

    /** What an uploader sends with the bytes. */
    record Upload(String source, String formatHint, byte[] bytes, String classification,
                  DocumentRecord.DocumentAcl acl, List<String> subjects, boolean embed, String addedBy) {
        @Override
        public String toString() { return "Upload[" + bytes.length + " bytes]"; }
    }

    /** The stored document, or the one already stored with the same bytes. */
    record Ingested(DocumentRecord document, boolean duplicate) {}

    private final Inspector inspector;
    private final Chunker chunker;
    private final Embeddings embeddings;
    private final Tokens tokens;
    private final SealedRecords records;
    private final IndexKeeper index;
    private final PolicyHolder policies;
    private final Clock clock;
    private final SecureRandom random;

    Ingestor(Inspector inspector, Chunker chunker, Embeddings embeddings, Tokens tokens, SealedRecords records,
             IndexKeeper index, PolicyHolder policies, Clock clock, SecureRandom random) {
        this.inspector = inspector;
        this.chunker = chunker;
        this.embeddings = embeddings;
        this.tokens = tokens;
        this.records = records;
        this.index = index;
        this.policies = policies;
        this.clock = clock;
        this.random = random;
    }

    /** Who uploads, for the policy's say on the document's findings (null: the collection's handling alone). */
    record Uploader(dev.bastion.identity.Principal principal, RequestFacts facts) {}

    Ingested ingest(Collection c, Upload u) { return ingest(c, u, null); }

    Ingested ingest(Collection c, Upload u, Uploader who) {
        String hex = sha256(u.bytes());
        var existing = records.get(Records.digest(c.name(), hex));
        if (existing.isPresent()) {
            String id = new String(existing.get(), java.nio.charset.StandardCharsets.US_ASCII);
            var meta = records.get(Records.doc(c.name(), id));
            if (meta.isPresent()) return new Ingested(Records.json(meta.get(), DocumentRecord.class), true);
        }
        String label = label(c, u.classification());
        for (String role : u.acl().roles()) {
            // a role the policy does not know would narrow the document to nobody: refused as a typo
            if (!policies.current().roles().contains(role)) {
                throw new ProblemException(ErrorCode.INVALID_FIELD.problem("acl role '" + role
                        + "' is not one of the policy's roles", "acl.roles"));
            }
        }
        String format = TextExtractor.format(u.formatHint() != null ? u.formatHint() : u.source(), u.bytes());
        TextExtractor.Extracted text;
        try {
            text = TextExtractor.extract(format, u.bytes());
        } catch (TextExtractor.UnreadableException e) {
            throw new ProblemException(ErrorCode.DOCUMENT_UNREADABLE.problem(e.getMessage()));
        }
        if (text.sections().isEmpty()) {
            throw new ProblemException(ErrorCode.DOCUMENT_UNREADABLE.problem(format + " holds no text"));
        }
        String id = "d" + HexFormat.of().formatHex(randomBytes(12));
        Prepared p = prepare(c, text, id, label, who);
        Map<String, Integer> findings = new TreeMap<>();
        p.found().forEach((t, n) -> findings.put(t.name(), n));
        label = raised(label, findings);

        List<Chunker.Chunk> chunks = chunker.chunks(p.sections());
        List<float[]> vectors = new ArrayList<>(chunks.size());
        for (Chunker.Chunk ch : chunks) vectors.add(u.embed() ? embeddings.embed(ch.indexed()) : null);

        List<String> subjects = u.subjects().stream().map(tokens::subject).distinct().toList();
        long now = clock.millis();
        long expires = c.retentionDays() == 0 ? 0 : now + c.retentionDays() * 86_400_000L;
        DocumentRecord doc = new DocumentRecord(id, c.name(), u.source(), "sha256:" + hex, format, label, u.acl(),
                subjects, findings, p.outcome(), text.pages(), chunks.size(), u.embed(), u.bytes().length, now,
                expires, u.addedBy());

        Map<String, byte[]> content = new LinkedHashMap<>();
        for (int i = 0; i < chunks.size(); i++) {
            Chunker.Chunk ch = chunks.get(i);
            content.put(Records.chunk(id, ch.seq()), Records.encode(new Records.StoredChunk(ch.seq(), ch.heading(),
                    ch.text(), ch.page(), vectors.get(i))));
        }
        if (!p.originals().isEmpty()) content.put(Records.pseudonyms(id), Records.json(p.originals()));
        // a document about one declared subject is sealed under that subject's key: shredding it forgets the text
        SealedRecords sealer = u.subjects().size() == 1 ? records.forSubject(u.subjects().getFirst()) : records;
        sealer.putAll(content);
        Map<String, byte[]> meta = new LinkedHashMap<>();
        meta.put(Records.doc(c.name(), id), Records.json(doc));
        meta.put(Records.digest(c.name(), hex), id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (String s : subjects) meta.put(Records.subject(s, id), new byte[0]);
        try {
            records.putAll(meta);
        } catch (RuntimeException e) {
            records.deleteAll(List.of(Records.pseudonyms(id)), List.of(Records.chunks(id))); // no orphans
            throw e;
        }
        index.add(doc, storedChunks(chunks, vectors));
        return new Ingested(doc, false);
    }

    private static List<Records.StoredChunk> storedChunks(List<Chunker.Chunk> chunks, List<float[]> vectors) {
        List<Records.StoredChunk> out = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunker.Chunk c = chunks.get(i);
            out.add(new Records.StoredChunk(c.seq(), c.heading(), c.text(), c.page(), vectors.get(i)));
        }
        return out;
    }

    /** Sections after inspection and the collection's handling, with the counts and the pseudonym map. */
    private record Prepared(List<TextExtractor.Section> sections, Map<EntityType, Integer> found, String outcome,
                            Map<String, String> originals) {}

    private Prepared prepare(Collection c, TextExtractor.Extracted text, String id, String label, Uploader who) {
        // first pass: inspect every heading (once) and body, counting findings over the whole document
        Map<EntityType, Integer> found = new EnumMap<>(EntityType.class);
        Map<String, List<Finding>> headingFindings = new LinkedHashMap<>();
        List<List<Finding>> bodyFindings = new ArrayList<>(text.sections().size());
        for (TextExtractor.Section s : text.sections()) {
            if (!headingFindings.containsKey(s.heading())) headingFindings.put(s.heading(), inspect(s.heading(), found));
            bodyFindings.add(inspect(s.text(), found));
        }
        boolean personal = false;
        for (EntityType t : found.keySet()) personal |= PERSONAL.contains(t);
        if (c.personalData() == Collection.PersonalData.REFUSE) {
            Map<String, Integer> refused = new TreeMap<>();
            found.forEach((t, n) -> { if (PERSONAL.contains(t) || t == EntityType.SECRET) refused.put(t.name(), n); });
            if (!refused.isEmpty()) {
                throw new ProblemException(ErrorCode.DOCUMENT_REFUSED.problem(
                        "the collection refuses personal data; found " + refused));
            }
        }
        InspectionObligations ob = obligations(c.personalData(), policyActions(c, label, who, found));
        // second pass: the handling, with one pseudonym per value across the document
        DocumentPseudonyms pseudonyms = new DocumentPseudonyms(id);
        var session = pseudonyms.session(id);
        Map<String, String> headings = new LinkedHashMap<>();
        List<TextExtractor.Section> out = new ArrayList<>(text.sections().size());
        for (int i = 0; i < text.sections().size(); i++) {
            TextExtractor.Section s = text.sections().get(i);
            String heading = headings.computeIfAbsent(s.heading(),
                    h -> redact(h, headingFindings.get(h), ob, session));
            out.add(new TextExtractor.Section(heading, redact(s.text(), bodyFindings.get(i), ob, session), s.page()));
        }
        // "stored" when any personal type stays as written, else how it was replaced
        List<Action> handled = found.keySet().stream().filter(PERSONAL::contains).map(ob::actionFor).toList();
        String outcome = !personal ? "none" : handled.contains(Action.ALLOW) ? "stored"
                : handled.contains(Action.PSEUDONYMISE) ? "pseudonymised" : "masked";
        return new Prepared(out, found, outcome, pseudonyms.originals());
    }

    private List<Finding> inspect(String text, Map<EntityType, Integer> found) {
        if (text.isEmpty()) return List.of();
        List<Finding> findings = switch (inspector.inspect(text)) {
            case Inspection.Found f -> f.findings();
            case Inspection.Failed f -> throw new ProblemException(ErrorCode.INSPECTION_FAILED.problem(
                    "document inspection failed (" + f.detector() + ")"));
        };
        for (Finding f : findings) if (f.score() >= MIN_SCORE) found.merge(f.type(), 1, Integer::sum);
        return findings;
    }

    private static String redact(String text, List<Finding> findings, InspectionObligations ob,
                                 dev.bastion.inspect.PseudonymSession session) {
        if (text.isEmpty() || findings.isEmpty()) return text;
        return switch (Redactor.apply(text, findings, ob, session)) {
            case Redaction.Redacted r -> r.text();
            case Redaction.Blocked b -> text; // nothing is set to BLOCK here: refusals happen before
        };
    }

    /**
     * The policy's say on storing this document: {@code documents.manage} on the collection, decided with the
     * findings and the document's label. A denial or a {@code block} obligation on a type found refuses the document;
     * other per-type obligations (mask, pseudonymise, generalise) apply where stronger than the collection's own.
     */
    private Map<EntityType, Action> policyActions(Collection c, String label, Uploader who,
                                                  Map<EntityType, Integer> found) {
        Map<EntityType, Action> actions = new EnumMap<>(EntityType.class);
        if (who == null) return actions;
        Map<String, Integer> counts = new TreeMap<>();
        found.forEach((t, n) -> counts.put(t.name(), n));
        RequestFacts f = who.facts();
        var decision = policies.current().decide(new dev.bastion.policy.PolicyRequest(who.principal(),
                dev.bastion.policy.Action.DOCUMENTS_MANAGE, CollectionAccess.resource(c),
                new RequestFacts(f.purpose(), f.subjects(), label, f.clientIp(), f.time(), counts)));
        if (!decision.allowed()) {
            throw new ProblemException(ErrorCode.DOCUMENT_REFUSED.problem(
                    "the policy does not permit storing a document with these findings: " + counts.keySet()));
        }
        Set<String> blocked = new java.util.TreeSet<>();
        decision.obligations().entities().forEach((type, action) -> {
            EntityType t;
            try {
                t = EntityType.valueOf(type);
            } catch (IllegalArgumentException e) {
                return;
            }
            switch (action) {
                case BLOCK -> { if (found.containsKey(t)) blocked.add(type); }
                case MASK -> actions.put(t, Action.MASK);
                case PSEUDONYMISE -> actions.put(t, Action.PSEUDONYMISE);
                case GENERALISE -> actions.put(t, Action.GENERALISE);
            }
        });
        if (!blocked.isEmpty()) {
            throw new ProblemException(ErrorCode.DOCUMENT_REFUSED.problem(
                    "the policy blocks these types in documents: " + blocked));
        }
        return actions;
    }

    /** Secrets are masked in every collection; personal data is pseudonymised where the collection says so. */
    private static InspectionObligations obligations(Collection.PersonalData mode, Map<EntityType, Action> policy) {
        Map<EntityType, Action> actions = new EnumMap<>(EntityType.class);
        actions.put(EntityType.SECRET, Action.MASK);
        if (mode == Collection.PersonalData.PSEUDONYMISE) for (EntityType t : PERSONAL) actions.put(t, Action.PSEUDONYMISE);
        policy.forEach((t, a) -> actions.merge(t, a, (x, y) -> STRENGTH.indexOf(x) >= STRENGTH.indexOf(y) ? x : y));
        return new InspectionObligations(actions, Action.ALLOW, Set.of(), false,
                InspectionObligations.InjectionAction.FLAG, 0.5, 0.8, MIN_SCORE);
    }

    /** The document's label: what the uploader asked for, never below the collection's. */
    private String label(Collection c, String requested) {
        if (requested == null || requested.isEmpty()) return c.classification();
        Policy policy = policies.current();
        int level = policy.classificationLevel(requested);
        if (level < 0) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("classification must be one of "
                    + policy.classifications(), "classification"));
        }
        if (level < policy.classificationLevel(c.classification())) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem(
                    "a document is never classified below its collection (" + c.classification() + ")", "classification"));
        }
        return requested;
    }

    /** Raised further by what the policy's finding_classifications say about the types found. */
    private String raised(String label, Map<String, Integer> findings) {
        Policy policy = policies.current();
        String effective = policy.effectiveClassification(
                new RequestFacts("", List.of(), label, "", clock.instant(), findings));
        return policy.classificationLevel(effective) > policy.classificationLevel(label) ? effective : label;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
