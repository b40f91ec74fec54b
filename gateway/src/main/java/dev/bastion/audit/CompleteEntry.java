package dev.bastion.audit;

import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.Exchange;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * {@code bastion.audit.complete/v1}: how an accepted request ended, linked to its accept entry by leaf index.
 * Token counts are -1 when the backend did not report them; findings are output-inspection counts per type.
 * {@code backend} names the backend that answered (absent when none did) and {@code fallbacks} how many planned
 * backends failed before it — each before the first byte reached the client.
 */
public record CompleteEntry(String requestId, Instant time, long acceptIndex, int status, String outcome,
                            String errorCode, long promptTokens, long completionTokens, long latencyMillis,
                            SortedMap<String, Long> findings, String backend, int fallbacks) implements AuditEntry {
    public static final String KIND = "bastion.audit.complete/v1";

    public CompleteEntry {
        requestId = Fields.token("request_id", requestId);
        if (time == null) throw new IllegalArgumentException("time is required");
        Fields.nonNegative("accept_index", acceptIndex);
        if (status < 100 || status > 599) throw new IllegalArgumentException("status must be an HTTP status");
        outcome = Fields.token("outcome", outcome);
        errorCode = Fields.optionalToken("error_code", errorCode);
        if (promptTokens < -1 || completionTokens < -1) throw new IllegalArgumentException("tokens must be >= -1");
        Fields.nonNegative("latency_ms", latencyMillis);
        findings = Fields.counts("findings", findings);
        backend = Fields.optionalToken("backend", backend);
        if (fallbacks < 0) throw new IllegalArgumentException("fallbacks must be non-negative");
    }

    /** Without routing facts (no backend named, no fallbacks). */
    public CompleteEntry(String requestId, Instant time, long acceptIndex, int status, String outcome, String errorCode,
                         long promptTokens, long completionTokens, long latencyMillis, SortedMap<String, Long> findings) {
        this(requestId, time, acceptIndex, status, outcome, errorCode, promptTokens, completionTokens, latencyMillis,
                findings, null, 0);
    }

    /** The same entry naming the backend that answered and the fallbacks before it. */
    public CompleteEntry servedBy(String backend, int fallbacks) {
        return new CompleteEntry(requestId, time, acceptIndex, status, outcome, errorCode, promptTokens,
                completionTokens, latencyMillis, findings, backend, fallbacks);
    }

    @Override
    public String kind() { return KIND; }

    /**
     * The complete entry for an exchange that has ended: its accept index (the {@link AuditIndex} fact), its
     * {@link Completion}, and the latency from receipt to the last byte.
     */
    public static CompleteEntry of(Exchange exchange, Instant time, Map<String, ? extends Number> outputFindings) {
        Completion c = exchange.completion();
        long latency = Math.max(0, (c.endNanos() - exchange.startNanos()) / 1_000_000);
        return of(exchange.requestId(), time, exchange.require(AuditIndex.class).leaf(), c, latency, outputFindings);
    }

    /** The complete entry for a pipeline {@link Completion}. */
    public static CompleteEntry of(String requestId, Instant time, long acceptIndex, Completion completion,
                                   long latencyMillis, Map<String, ? extends Number> outputFindings) {
        return new CompleteEntry(requestId, time, acceptIndex, completion.status(),
                completion.result().name().toLowerCase(Locale.ROOT), completion.errorCode(),
                completion.promptTokens(), completion.completionTokens(), latencyMillis,
                Fields.counts("findings", outputFindings));
    }
}
