package dev.bastion.audit;

import java.time.Instant;
import java.util.List;

/**
 * {@code bastion.audit.retrieval/v1}: documents were retrieved for a caller — as context of a model request or
 * through the retrieval API. Lists the digests of the documents whose chunks were returned, never text, sources or
 * the question.
 *
 * @param requestId   the request's id ({@code X-Bastion-Request-Id})
 * @param principal   who retrieved
 * @param client      caller address, or null
 * @param purpose     declared purpose, or null
 * @param model       the model alias the context was for, or null for the retrieval API
 * @param collections the collections searched (those the caller may use among those named)
 * @param unavailable how many named collections were not searched (unknown, or not permitted)
 * @param maxClassification the highest document classification admitted (the target backends' limit), or null
 * @param documents   {@code sha256:…} digests of the documents returned, sorted
 * @param chunks      chunks returned
 */
public record RetrievalEntry(String requestId, Instant time, Actor principal, String client, String purpose,
                             String model, List<String> collections, int unavailable, String maxClassification,
                             List<String> documents, int chunks) implements AuditEntry {
    public static final String KIND = "bastion.audit.retrieval/v1";

    public RetrievalEntry {
        requestId = Fields.token("request_id", requestId);
        if (time == null || principal == null) throw new IllegalArgumentException("time and principal are required");
        client = Fields.optionalToken("client", client);
        purpose = Fields.optionalToken("purpose", purpose);
        model = Fields.optionalToken("model", model);
        collections = Fields.sortedTokens("collections", collections);
        maxClassification = Fields.optionalToken("max_classification", maxClassification);
        documents = Fields.sortedTokens("documents", documents);
        for (String d : documents) {
            if (!d.matches("sha256:[0-9a-f]{64}")) throw new IllegalArgumentException("documents holds digests only");
        }
        Fields.nonNegative("unavailable", unavailable);
        Fields.nonNegative("chunks", chunks);
    }

    @Override
    public String kind() { return KIND; }
}
