package dev.bastion.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * {@code bastion.audit.refused/v1}: a request refused before it was accepted: 4xx (401, 403, blocked by inspection,
 * invalid) or a failed security stage (503 {@code inspection_failed}: fail closed, and the refusal is on record). {@code principal} is null when the caller was not authenticated; such refusals may be
 * counted into a {@link RefusalWindowEntry} under flood (see {@link AuditLedger#refused}). {@code subjects} holds the
 * tokens of the data subjects the request named once the consent stage had turned them into tokens (so a refusal
 * such as {@code consent_missing} is found by subject), and is empty before that: never raw ids.
 */
public record RefusedEntry(String requestId, Instant time, Actor principal, String clientAddress, String action,
                           ModelRoute model, int status, String errorCode, PolicyDecision decision,
                           SortedMap<String, Long> findings, List<String> subjects) implements AuditEntry {
    public static final String KIND = "bastion.audit.refused/v1";

    public RefusedEntry {
        requestId = Fields.token("request_id", requestId);
        if (time == null) throw new IllegalArgumentException("time is required");
        clientAddress = Fields.optionalToken("client", clientAddress);
        action = Fields.optionalToken("action", action);
        if (status < 400 || status > 599) throw new IllegalArgumentException("status must be a 4xx or 5xx status");
        errorCode = Fields.token("error_code", errorCode);
        findings = Fields.counts("findings", findings);
        subjects = Fields.tokens("subjects", subjects);
    }

    public static RefusedEntry of(String requestId, Instant time, Actor principal, String clientAddress,
                                  String action, ModelRoute model, int status, String errorCode,
                                  PolicyDecision decision, Map<String, ? extends Number> findings) {
        return new RefusedEntry(requestId, time, principal, clientAddress, action, model, status, errorCode,
                decision, Fields.counts("findings", findings), List.of());
    }

    /** This refusal naming the given subject tokens. */
    public RefusedEntry withSubjects(List<String> tokens) {
        return new RefusedEntry(requestId, time, principal, clientAddress, action, model, status, errorCode,
                decision, findings, tokens);
    }

    /** Unauthenticated refusals are the ones a flood consists of. */
    public boolean unauthenticated() { return principal == null; }

    @Override
    public String kind() { return KIND; }
}
