package dev.bastion.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.CanonicalJson;

import java.util.ArrayList;
import java.util.List;

/**
 * One version of a model card as published: the entry's facts (id, kind, artifact digest, backend, signature), what
 * its stewards wrote ({@link ModelCard}) and the evaluation results Bastion attached. Stored and hashed as RFC 8785
 * canonical JSON, so the digest an approval binds names exactly the document the approver saw.
 */
public record CardDocument(long version, ObjectNode json, String digest) {
    public static final String SCHEMA = "bastion.model-card/v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static CardDocument build(long version, RegistryEntry e, ModelCard card, List<JsonNode> evaluations) {
        ObjectNode o = F.objectNode();
        o.put("schema", SCHEMA);
        o.put("version", version);
        ObjectNode entry = o.putObject("entry");
        entry.put("id", e.id());
        entry.put("name", e.name());
        entry.put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
        entry.put("source", e.isLocal() ? "local" : "remote");
        if (e.artifactDigest() != null) entry.put("artifact_digest", e.artifactDigest());
        if (e.isLocal()) {
            entry.put("format", e.artifact().format());
            entry.put("architecture", e.artifact().architecture());
            entry.put("quantization", e.artifact().quantization());
            entry.put("size_bytes", e.artifact().sizeBytes());
        } else {
            entry.put("backend", e.remote().backend());
            entry.put("upstream_model", e.remote().upstreamModel());
        }
        if (e.sourceUrl() != null) entry.put("source_url", e.sourceUrl());
        if (e.baseId() != null) entry.put("base", e.baseId());
        if (e.datasetId() != null) entry.put("dataset", e.datasetId());
        if (e.signature() != null) {
            ObjectNode s = entry.putObject("signature");
            s.put("method", e.signature().method());
            s.put("signer", e.signature().signer());
            if (e.signature().signerName() != null) s.put("signer_name", e.signature().signerName());
            s.put("bundle_digest", e.signature().bundleDigest());
        }
        card.write(o);
        ArrayNode evals = o.putArray("evaluations");
        evaluations.forEach(evals::add);
        return new CardDocument(version, o, Digests.ofJson(o));
    }

    static CardDocument parse(long version, String text) {
        try {
            ObjectNode o = (ObjectNode) JSON.readTree(text);
            return new CardDocument(version, o, Digests.ofJson(o));
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored model card is not a JSON object", e);
        }
    }

    public ModelCard card() { return ModelCard.parse(json); }

    public RiskTier risk() { return card().risk(); }

    public List<JsonNode> evaluations() {
        List<JsonNode> out = new ArrayList<>();
        json.path("evaluations").forEach(out::add);
        return out;
    }

    /** The canonical text, as stored and hashed. */
    public String canonical() { return CanonicalJson.encodeToString(json); }

    /** The card rendered as Markdown, evaluation tables included. */
    public String markdown() { return CardMarkdown.render(this); }
}
