package dev.bastion.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.config.BastionConfig;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

/**
 * Reads the body once under the size limit, parses it once, validates known fields, and leaves the
 * {@link ModelRequest} fact. (The context headers are the {@link ContextStage}'s.)
 */
public final class ParseStage implements Stage {
    private final JsonBodies json;
    private final OpenAiRequestValidator validator;
    private final long maxBodyBytes;

    public ParseStage(JsonBodies json, BastionConfig.Limits limits, long maxBodyBytes) {
        this.json = json;
        this.validator = new OpenAiRequestValidator(limits);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public String name() { return "parse"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        Operation operation = exchange.require(Operation.class);
        JsonContentType.require(exchange.headers().all("Content-Type"));
        byte[] raw = exchange.readBody(maxBodyBytes);
        ObjectNode body = json.parseObject(raw);
        String model = validator.validate(operation, body);
        JsonNode stream = body.get("stream");
        boolean streaming = stream != null && stream.asBoolean(false);
        exchange.put(ModelRequest.class, new ModelRequest(operation, raw, body, model, streaming));
        return Outcome.proceed();
    }
}
