package dev.bastion.investigate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.TlogException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The wire form of a search page, and its offline check: the checkpoint's signature, each result's inclusion proof,
 * and that each result really satisfies the query. A result comes as {@code entry} (for reading) and
 * {@code entry_base64} (the exact bytes the proof covers).
 */
public final class SearchJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SearchJson() {}

    /** The page, with the query it answers (a raw subject id appears there only as the token searched for). */
    public static ObjectNode page(SearchQuery query, AuditSearch.Page page) {
        ObjectNode o = JSON.createObjectNode();
        o.put("object", "audit.search");
        o.set("query", JSON.valueToTree(query.parameters()));
        o.put("checkpoint", page.checkpoint() == null ? null : new String(page.checkpoint(), StandardCharsets.UTF_8));
        o.put("checkpoint_size", page.checkpointSize());
        o.put("indexed_through", page.indexedThrough());
        if (page.next() == null) o.putNull("next_before");
        else o.put("next_before", page.next());
        ArrayNode results = o.putArray("results");
        for (AuditSearch.Hit h : page.hits()) results.add(hit(h.index(), h.entry(), h.proof()));
        return o;
    }

    /** One entry with its proof (null proof: sequenced after the checkpoint, pending). */
    public static ObjectNode hit(long index, byte[] entry, List<byte[]> proof) {
        ObjectNode r = JSON.createObjectNode();
        r.put("index", index);
        try {
            r.set("entry", JSON.readTree(entry));
        } catch (IOException e) {
            r.putNull("entry");
        }
        r.put("entry_base64", Base64.getEncoder().encodeToString(entry));
        if (proof == null) {
            r.put("pending", true);
        } else {
            ArrayNode p = r.putArray("proof");
            ProofCheck.encode(proof).forEach(p::add);
        }
        return r;
    }

    /** What an offline check found: results proven, results pending (no proof yet), and the failures. */
    public record Verification(int proven, int pending, List<String> failures) {
        public boolean ok() { return failures.isEmpty(); }
    }

    /** Checks a page against the log's verifier key and the query that produced it. */
    public static Verification verify(JsonNode page, SearchQuery query, String verifierKey) {
        List<String> failures = new ArrayList<>();
        Checkpoint cp = null;
        if (page.path("checkpoint").isTextual()) {
            try {
                cp = ProofCheck.checkpoint(page.path("checkpoint").asText(), verifierKey);
            } catch (TlogException e) {
                failures.add("checkpoint: " + e.getMessage());
            }
        }
        int proven = 0;
        int pending = 0;
        for (JsonNode r : page.path("results")) {
            long index = r.path("index").asLong(-1);
            byte[] entry;
            try {
                entry = Base64.getDecoder().decode(r.path("entry_base64").asText());
            } catch (IllegalArgumentException e) {
                failures.add("result " + index + ": entry_base64 is not base64");
                continue;
            }
            try {
                if (query != null && !query.matches(index, JSON.readTree(entry))) {
                    failures.add("result " + index + ": the entry does not satisfy the query");
                    continue;
                }
            } catch (IOException e) {
                failures.add("result " + index + ": the entry is not JSON");
                continue;
            }
            if (r.path("pending").asBoolean(false)) {
                pending++;
                continue;
            }
            if (cp == null) {
                failures.add("result " + index + ": no verified checkpoint to check the proof against");
                continue;
            }
            List<String> proof = new ArrayList<>();
            r.path("proof").forEach(p -> proof.add(p.asText()));
            try {
                ProofCheck.included(index, entry, proof, cp);
                proven++;
            } catch (TlogException e) {
                failures.add("result " + index + ": " + e.getMessage());
            }
        }
        return new Verification(proven, pending, failures);
    }
}
