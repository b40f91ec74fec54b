package dev.bastion.attest;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a backend's evidence endpoint answers ({@code GET <evidence-url>?nonce=<64 hex>}), JSON:
 * <pre>
 * {"type":"sev-snp",   "report":"&lt;b64&gt;", "vcek":"&lt;b64 DER or PEM&gt;", "chain":"&lt;PEM, optional&gt;"}
 * {"type":"tdx",       "quote":"&lt;b64&gt;", "collateral":{"tcb_info":"&lt;b64&gt;","tcb_info_issuer_chain":"&lt;PEM&gt;",
 *                      "qe_identity":"&lt;b64&gt;","qe_identity_issuer_chain":"&lt;PEM&gt;","pck_crl":"&lt;b64&gt;","root_crl":"&lt;b64&gt;"}}
 * {"type":"nvidia-cc", "report":"&lt;b64&gt;", "cert_chain":"&lt;PEM&gt;"}
 * {"type":"token",     "token":"&lt;JWT from the configured verifier&gt;"}
 * </pre>
 * The backend is not trusted for any of it: evidence and collateral carry vendor signatures, tokens the verifier's.
 */
public record EvidenceDocument(String type, JsonNode body) {
    static final int MAX_BYTES = 1 << 20;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8)
                .maxStringLength(MAX_BYTES).build());
    }

    static EvidenceDocument parse(byte[] bytes) throws EvidenceException {
        if (bytes.length > MAX_BYTES) throw new EvidenceException(Refusal.MALFORMED, "evidence document too large");
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject() || !n.path("type").isTextual()) {
                throw new EvidenceException(Refusal.MALFORMED, "evidence document has no type");
            }
            return new EvidenceDocument(n.get("type").asText(), n);
        } catch (IOException e) {
            throw new EvidenceException(Refusal.MALFORMED, "evidence document is not JSON");
        }
    }

    byte[] base64(String field) throws EvidenceException { return base64(body, field); }

    static byte[] base64(JsonNode n, String field) throws EvidenceException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new EvidenceException(Refusal.MALFORMED, "evidence lacks " + field);
        try {
            return Base64.getMimeDecoder().decode(v.asText());
        } catch (IllegalArgumentException e) {
            throw new EvidenceException(Refusal.MALFORMED, field + " is not base64");
        }
    }

    /** A PEM (or base64 DER) field as bytes, or null when absent. */
    static byte[] pemOrBase64(JsonNode n, String field) throws EvidenceException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new EvidenceException(Refusal.MALFORMED, field + " is not text");
        String s = v.asText();
        return s.startsWith("-----BEGIN") ? s.getBytes(StandardCharsets.US_ASCII) : base64(n, field);
    }

    String text(String field) throws EvidenceException {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) throw new EvidenceException(Refusal.MALFORMED, "evidence lacks " + field);
        return v.asText();
    }
}
