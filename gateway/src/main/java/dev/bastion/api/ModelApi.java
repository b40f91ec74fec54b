package dev.bastion.api;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Pipeline;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.time.Duration;

/**
 * The OpenAI model endpoints: each request becomes an {@link Exchange} (with its {@link Operation} as a fact) and
 * runs through the model {@link Pipeline}.
 */
public final class ModelApi {
    private final Pipeline pipeline;
    private final InFlight inFlight;
    private final Clock clock;
    private final Duration bodyDeadline;

    public ModelApi(Pipeline pipeline, InFlight inFlight, Clock clock, Duration bodyDeadline) {
        this.pipeline = pipeline;
        this.inFlight = inFlight;
        this.clock = clock;
        this.bodyDeadline = bodyDeadline;
    }

    public void register(HttpRouting.Builder routing) {
        routing.post("/v1/chat/completions", (req, res) -> handle(Operation.CHAT, req, res));
        routing.post("/v1/completions", (req, res) -> handle(Operation.COMPLETION, req, res));
        routing.post("/v1/embeddings", (req, res) -> handle(Operation.EMBEDDING, req, res));
    }

    private void handle(Operation operation, ServerRequest req, ServerResponse res) {
        Exchange exchange = HttpExchanges.of(req, operation.action(), clock, bodyDeadline);
        exchange.put(Operation.class, operation);
        HelidonResponseSink sink = new HelidonResponseSink(exchange, res);
        if (!inFlight.enter()) {
            sink.sendProblem(ErrorCode.SHUTTING_DOWN.problem("server is shutting down").withDetail("retry_after", "1"));
            return;
        }
        try {
            pipeline.run(exchange, sink);
        } finally {
            inFlight.exit();
        }
        sink.closeIfAbandoned();
    }
}
