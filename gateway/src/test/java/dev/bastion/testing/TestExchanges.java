package dev.bastion.testing;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.RequestHeaders;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Exchanges built directly (no HTTP), for stage tests: operation, context and parsed request already as facts. */
public final class TestExchanges {
    private TestExchanges() {}

    /** @param headers lower-case header name → value */
    public static Exchange exchange(String requestId, Instant receivedAt, long startNanos, String client,
                                    Map<String, String> headers, RequestContext context, ModelRequest request) {
        RequestHeaders h = new RequestHeaders() {
            @Override
            public String first(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

            @Override
            public List<String> all(String name) {
                String v = first(name);
                return v == null ? List.of() : List.of(v);
            }
        };
        Exchange e = new Exchange(requestId, receivedAt, startNanos, client, h, null, request.operation().action(),
                max -> request.raw());
        e.put(Operation.class, request.operation());
        e.put(RequestContext.class, context);
        e.put(ModelRequest.class, request);
        return e;
    }
}
