package dev.bastion.audit;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.RequestContext;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * {@code bastion.audit.request/v1}: a model-API request was accepted; appended durably before the backend is
 * called. Findings are counts per detector type, never the detected values; {@code sent} is the length and SHA-256
 * of the exact body each backend the request may go to gets.
 */
public record RequestEntry(String requestId, Instant time, Actor principal, String clientAddress, String action,
                           ModelRoute model, String purpose, List<String> subjects, String classification,
                           PolicyDecision decision, SortedMap<String, Long> findings, boolean stream, List<SentBody> sent)
        implements AuditEntry {
    public static final String KIND = "bastion.audit.request/v1";

    public RequestEntry {
        requestId = Fields.token("request_id", requestId);
        if (time == null) throw new IllegalArgumentException("time is required");
        if (principal == null) throw new IllegalArgumentException("principal is required");
        clientAddress = Fields.optionalToken("client", clientAddress);
        action = Fields.token("action", action);
        if (model == null) throw new IllegalArgumentException("model is required");
        purpose = Fields.optionalToken("purpose", purpose);
        subjects = Fields.tokens("subjects", subjects);
        classification = Fields.optionalToken("classification", classification);
        findings = Fields.counts("findings", findings);
        sent = sent == null ? List.of() : List.copyOf(sent);
        for (Object o : sent) if (!(o instanceof SentBody)) throw new IllegalArgumentException("sent holds digests only");
        if (sent.size() > Fields.MAX_LIST) throw new IllegalArgumentException("sent: too many backends");
    }

    @Override
    public String kind() { return KIND; }

    public static Builder builder(String requestId, Instant time) { return new Builder(requestId, time); }

    /**
     * A builder pre-filled from the exchange: request id, receive time, client address, action, model alias, stream
     * flag and the caller's declared purpose, subjects and classification. Stages add principal, decision, findings
     * and the route.
     */
    public static Builder builder(Exchange exchange) {
        RequestContext ctx = exchange.get(RequestContext.class);
        if (ctx == null) ctx = RequestContext.EMPTY;
        ModelRequest request = exchange.require(ModelRequest.class);
        return new Builder(exchange.requestId(), exchange.receivedAt())
                .clientAddress(exchange.clientAddress())
                .action(exchange.action())
                .model(ModelRoute.alias(request.model()))
                .stream(request.stream())
                .purpose(ctx.purpose())
                .subjects(ctx.subjects())
                .classification(ctx.classification());
    }

    /** Collects the fields stage by stage; {@link #build()} validates them. */
    public static final class Builder {
        private final String requestId;
        private final Instant time;
        private Actor principal;
        private String clientAddress;
        private String action;
        private ModelRoute model;
        private String purpose;
        private List<String> subjects = List.of();
        private String classification;
        private PolicyDecision decision;
        private Map<String, ? extends Number> findings = Map.of();
        private boolean stream;
        private List<SentBody> sent = List.of();

        private Builder(String requestId, Instant time) {
            this.requestId = requestId;
            this.time = time;
        }

        public Builder principal(Actor principal) { this.principal = principal; return this; }
        public Builder clientAddress(String clientAddress) { this.clientAddress = clientAddress; return this; }
        public Builder action(String action) { this.action = action; return this; }
        public Builder model(ModelRoute model) { this.model = model; return this; }
        public Builder purpose(String purpose) { this.purpose = purpose; return this; }
        public Builder subjects(List<String> subjects) { this.subjects = subjects; return this; }
        public Builder classification(String classification) { this.classification = classification; return this; }
        public Builder decision(PolicyDecision decision) { this.decision = decision; return this; }
        public Builder findings(Map<String, ? extends Number> findings) { this.findings = findings; return this; }
        public Builder stream(boolean stream) { this.stream = stream; return this; }
        public Builder sent(List<SentBody> sent) { this.sent = sent; return this; }

        public RequestEntry build() {
            return new RequestEntry(requestId, time, principal, clientAddress, action, model, purpose, subjects,
                    classification, decision, Fields.counts("findings", findings), stream, sent);
        }
    }
}
