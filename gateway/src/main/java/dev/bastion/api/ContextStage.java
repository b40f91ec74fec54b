package dev.bastion.api;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.Stage;

/**
 * Reads the {@code X-Bastion-*} context headers (purpose, subjects, classification, conversation, evaluation) once,
 * strictly, for every route that needs credentials, and leaves the {@link RequestContext} fact: policy decides on it,
 * the registry admits evaluation items by it and audit records it; none of them reads a header itself. A repeated
 * or malformed header is 400 {@code invalid_header}.
 */
public final class ContextStage implements Stage {

    @Override
    public String name() { return "context"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        exchange.put(RequestContext.class, ContextHeaders.read(exchange.headers()));
        return Outcome.proceed();
    }
}
