package dev.bastion.inspect;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

/**
 * Input inspection, before policy: finds personal data, secrets and prompt injection in every text of the request
 * (messages, content parts, tool-call arguments, prompts, embedding inputs) and leaves counts by type — never
 * values — for policy and audit. A detector that fails or overruns its budget refuses the request (fail closed).
 */
public final class InspectStage implements Stage {
    private final RequestGuard guard;

    public InspectStage(RequestGuard guard) {
        this.guard = guard;
    }

    @Override
    public String name() { return "inspect"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        ModelRequest request = exchange.require(ModelRequest.class);
        return switch (guard.scan(request.json(), request.operation())) {
            case RequestScan.Scanned scanned -> {
                exchange.put(RequestScan.Scanned.class, scanned);
                yield Outcome.proceed();
            }
            case RequestScan.Failed failed -> new Outcome.Deny(InspectProblems.failed(failed.detector(), failed.reason()));
        };
    }
}
