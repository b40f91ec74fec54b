package dev.bastion.rag;

import dev.bastion.audit.Actor;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.RetrievalEntry;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.RequestFacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Retrieval that obeys policy. The caller's permissions become one filter — the collections they may use (policy
 * and each collection's rule, purpose included), the classification labels the target may receive, their ACL
 * tokens — that Lucene applies <em>inside</em> both searches (HNSW and BM25), so a chunk the caller may not read is
 * never a candidate and cannot push a readable one out of the top k. The two rankings are fused by reciprocal rank
 * (k = 60); the winners' text is unsealed and every retrieval is audited with the documents' digests before any text
 * is returned.
 */
final class Retriever {
    static final int MAX_TOP_K = 20;
    static final int MAX_COLLECTIONS = 16;
    private static final int CANDIDATES = 50;
    private static final int RRF_K = 60;

    /**
     * One retrieval.
     *
     * @param maxClassification the highest label the text may go to (the target backends'), null for no limit
     * @param model             the model alias the text is context for, null for the retrieval API
     */
    record Query(Principal principal, RequestFacts facts, List<String> collections, String question, int topK,
                 String maxClassification, String model, String requestId, String client) {
        @Override
        public String toString() { return "Query[" + collections + ", top " + topK + "]"; }
    }

    /** A retrieved chunk with what a citation needs. {@code n} numbers passages from 1. */
    record Passage(int n, String collection, String document, String digest, String source, String heading, int page,
                   int chunk, String text, String classification, double score) {
        @Override
        public String toString() { return "Passage[" + n + ", " + document + "#" + chunk + "]"; }
    }

    /**
     * @param unavailable named collections not searched (unknown or not permitted — indistinguishable on purpose)
     * @param highest     the highest classification among the passages ("" when none)
     */
    record Result(List<Passage> passages, List<String> unavailable, String highest) {}

    /** Where retrieval audit entries go; a failure to append refuses the retrieval. */
    interface Log {
        long append(RetrievalEntry entry) throws AuditUnavailableException;
    }

    private final Collections collections;
    private final CollectionAccess access;
    private final IndexKeeper keeper;
    private final SealedRecords records;
    private final Tokens tokens;
    private final Embeddings embeddings;
    private final PolicyHolder policies;
    private final Log log;
    private final Clock clock;

    Retriever(Collections collections, CollectionAccess access, IndexKeeper keeper, SealedRecords records,
              Tokens tokens, Embeddings embeddings, PolicyHolder policies, Log log, Clock clock) {
        this.collections = collections;
        this.access = access;
        this.keeper = keeper;
        this.records = records;
        this.tokens = tokens;
        this.embeddings = embeddings;
        this.policies = policies;
        this.log = log;
        this.clock = clock;
    }

    Result retrieve(Query q) {
        int k = Math.max(1, Math.min(MAX_TOP_K, q.topK()));
        List<String> allowed = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        for (String name : new LinkedHashSet<>(q.collections())) {
            var c = collections.get(name);
            if (c.isPresent() && access.admits(c.get(), q.principal(), q.facts())) allowed.add(name);
            else unavailable.add(name);
        }
        Policy policy = policies.current();
        Set<String> labels = labels(policy, q.maxClassification());
        ChunkIndex.Filter filter = new ChunkIndex.Filter(allowed, labels, tokens.held(q.principal()));
        List<Passage> passages = filter.admitsNothing() || q.question().isBlank() ? List.of()
                : passages(search(filter, q.question(), k), filter, k);
        String highest = "";
        for (Passage p : passages) {
            if (policy.classificationLevel(p.classification()) > policy.classificationLevel(highest)) highest = p.classification();
        }
        List<String> digests = passages.stream().map(Passage::digest).distinct().toList();
        try {
            log.append(new RetrievalEntry(q.requestId(), clock.instant(), Actor.of(q.principal()), blankToNull(q.client()),
                    blankToNull(q.facts().purpose()), q.model(), allowed, unavailable.size(), q.maxClassification() == null ? null : q.maxClassification().isEmpty() ? "none" : q.maxClassification(),
                    digests, passages.size()));
        } catch (AuditUnavailableException e) {
            throw new ProblemException(ErrorCode.AUDIT_UNAVAILABLE.problem("the retrieval could not be audited"));
        }
        return new Result(passages, unavailable, highest);
    }

    /** Labels at or below the limit; every label of the policy when there is none. */
    static Set<String> labels(Policy policy, String max) {
        List<String> all = policy.classifications();
        if (max == null) return new TreeSet<>(all);
        int level = policy.classificationLevel(max);
        Set<String> out = new TreeSet<>();
        for (int i = 0; i <= level && i < all.size(); i++) out.add(all.get(i));
        return out;
    }

    /** Both searches under the same filter, fused by reciprocal rank: chunk path → fused score, best first. */
    private LinkedHashMap<String, Double> search(ChunkIndex.Filter filter, String question, int k) {
        ChunkIndex index = keeper.index();
        Map<String, Double> fused = new HashMap<>();
        try {
            int n = Math.max(CANDIDATES, k);
            List<ChunkIndex.Hit> vector = embeddings == null ? List.of() : index.nearest(embeddings.embed(question), n, filter);
            List<ChunkIndex.Hit> keyword = index.keyword(question, n, filter);
            for (int r = 0; r < vector.size(); r++) fused.merge(vector.get(r).chunk(), 1.0 / (RRF_K + r + 1), Double::sum);
            for (int r = 0; r < keyword.size(); r++) fused.merge(keyword.get(r).chunk(), 1.0 / (RRF_K + r + 1), Double::sum);
        } catch (IOException e) {
            throw new UncheckedIOException("retrieval index read", e);
        }
        LinkedHashMap<String, Double> out = new LinkedHashMap<>();
        fused.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(k).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Unseals the winners. Each one's document is checked again against the same filter (a second line, for an
     * index a moment behind a deletion or an ACL change): a chunk whose document fails it is left out, not replaced.
     */
    private List<Passage> passages(LinkedHashMap<String, Double> ranked, ChunkIndex.Filter filter, int k) {
        if (ranked.isEmpty()) return List.of();
        Map<String, byte[]> texts = records.getAll(ranked.keySet());
        Map<String, DocumentRecord> docs = new HashMap<>();
        List<Passage> out = new ArrayList<>(k);
        Set<String> held = Set.copyOf(filter.aclTokens());
        for (var e : ranked.entrySet()) {
            byte[] bytes = texts.get(e.getKey());
            if (bytes == null) continue;
            String docId = Records.docOfChunk(e.getKey());
            DocumentRecord doc = docs.computeIfAbsent(docId, id -> document(id, filter.collections()));
            if (doc == null || !filter.collections().contains(doc.collection())
                    || !filter.labels().contains(doc.classification())
                    || tokens.grants(doc.acl()).stream().noneMatch(held::contains)) continue;
            Records.StoredChunk c = Records.decodeChunk(bytes);
            out.add(new Passage(out.size() + 1, doc.collection(), doc.id(), doc.digest(), doc.source(), c.heading(),
                    c.page(), c.seq(), c.text(), doc.classification(), e.getValue()));
        }
        return out;
    }

    private DocumentRecord document(String id, java.util.Collection<String> inCollections) {
        for (String c : inCollections) {
            var meta = records.get(Records.doc(c, id));
            if (meta.isPresent()) return Records.json(meta.get(), DocumentRecord.class);
        }
        return null;
    }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s; }
}
