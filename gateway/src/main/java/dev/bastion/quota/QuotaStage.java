package dev.bastion.quota;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.Stage;

/**
 * Admission against quotas, after the request's final shape is known (policy may have capped {@code max_tokens},
 * transformation may have changed the text) and before the accept record: reserves the request (1), its tokens
 * (prompt estimated from its size, plus {@code max_tokens} or the configured default) and their cost in every limit
 * that applies; 429 {@code rate_limit_exceeded} / {@code budget_exceeded} with {@code Retry-After} when one has no
 * room. When the exchange ends the reservation is replaced by the real usage the backend reported.
 */
public final class QuotaStage implements Stage {
    private static final String[] TOKEN_FIELDS = {"max_tokens", "max_completion_tokens"};

    /** The reservations of an admitted exchange. */
    record Reserved(Admission.Ticket ticket) {}

    private final QuotaService quotas;
    private final int defaultMaxTokens;

    /** @param defaultMaxTokens completion tokens reserved when a request sets no {@code max_tokens} */
    public QuotaStage(QuotaService quotas, int defaultMaxTokens) {
        this.quotas = quotas;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    @Override
    public String name() { return "quota"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        if (quotas.settings().isEmpty()) return Outcome.proceed();
        Principal principal = exchange.get(Principal.class);
        ModelRequest request = exchange.get(ModelRequest.class);
        if (principal == null || request == null) return Outcome.deny(ErrorCode.INTERNAL, "quota without a request");
        RequestContext context = exchange.get(RequestContext.class);
        // about four bytes of JSON per token: an estimate, settled against the backend's count
        long prompt = Math.max(1, request.raw().length / 4);
        long completion = request.operation() == Operation.EMBEDDING ? 0 : maxTokens(request);
        QuotaRequest q = new QuotaRequest(principal.method() == Principal.AuthMethod.API_KEY ? principal.id() : null,
                principal.id(), principal.attributes(), context == null ? "" : context.purpose(), request.model(),
                prompt, completion);
        return switch (quotas.admit(q)) {
            case Admission.Admitted a -> {
                exchange.put(Reserved.class, new Reserved(a.ticket()));
                yield Outcome.proceed();
            }
            case Admission.Refused r -> Outcome.deny((r.metric().isRate() ? ErrorCode.RATE_LIMITED : ErrorCode.BUDGET_EXCEEDED)
                    .problem("quota '" + r.rule() + "' allows no more " + r.metric().key().replace('-', ' ')
                            + " for this caller now")
                    .withDetail("quota", r.rule()).withDetail("limit", r.metric().key())
                    .withDetail("retry_after", Long.toString(r.retryAfterSeconds())));
        };
    }

    private long maxTokens(ModelRequest request) {
        for (String field : TOKEN_FIELDS) {
            JsonNode v = request.json().get(field);
            if (v != null && v.canConvertToLong()) return Math.max(0, v.asLong());
        }
        return defaultMaxTokens;
    }

    @Override
    public void onComplete(Exchange exchange) {
        Reserved reserved = exchange.get(Reserved.class);
        Completion c = exchange.completion();
        if (reserved == null || c == null) return;
        boolean answered = c.status() == 200 || c.promptTokens() >= 0;
        quotas.settle(reserved.ticket(), c.promptTokens(), c.completionTokens(), answered);
    }
}
