package dev.bastion.audit;

import java.time.Instant;
import java.util.List;

/**
 * {@code bastion.audit.model/v1}: a step in the model registry — an entry registered, its card changed, an
 * evaluation finished, an approval given, a lifecycle transition ({@code draft → evaluated → approved → deployed →
 * retired | revoked}), a dataset or adapter registered. Appended durably before the step is committed. Holds who,
 * which artifact (by digest), which card (by digest) and the digests of the evidence the step rests on
 * (evaluation summaries, a signature bundle, an override reason) — never the documents themselves.
 *
 * @param entry          registry id of the entry, dataset or adapter acted on
 * @param fromState      lifecycle state before the step, or null (registration, card edits)
 * @param toState        lifecycle state after the step, or null when the step does not change it
 * @param artifactDigest {@code sha256:<hex>} of the artifact, or the remote identity the operator expects, or null
 * @param cardDigest     {@code sha256:<hex>} of the model card version the step refers to, or null
 * @param evidence       {@code sha256:<hex>} digests of the evidence, sorted
 */
public record ModelEntry(String requestId, Instant time, Actor principal, String action, String entry,
                         String fromState, String toState, String artifactDigest, String cardDigest,
                         List<String> evidence) implements AuditEntry {
    public static final String KIND = "bastion.audit.model/v1";

    public ModelEntry {
        requestId = Fields.optionalToken("request_id", requestId);
        if (time == null) throw new IllegalArgumentException("time is required");
        if (principal == null) throw new IllegalArgumentException("principal is required");
        action = Fields.token("action", action);
        entry = Fields.token("entry", entry);
        fromState = Fields.optionalToken("from_state", fromState);
        toState = Fields.optionalToken("to_state", toState);
        artifactDigest = Fields.optionalToken("artifact_digest", artifactDigest);
        cardDigest = Fields.optionalToken("card_digest", cardDigest);
        if (cardDigest != null && !cardDigest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("card_digest must be sha256:<64 hex digits>");
        }
        evidence = Fields.sortedTokens("evidence", evidence);
        for (String e : evidence) {
            if (!e.matches("sha256:[0-9a-f]{64}")) throw new IllegalArgumentException("evidence must be sha256 digests");
        }
    }

    @Override
    public String kind() { return KIND; }
}
