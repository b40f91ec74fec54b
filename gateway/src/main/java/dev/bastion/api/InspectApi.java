package dev.bastion.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.inspect.DryRun;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Set;

/**
 * {@code POST /bastion/v1/inspect}: a dry run of input inspection on {@code {"text": "…"}} — findings with type,
 * character offsets (end exclusive) and score, never the values. Nothing is stored or forwarded. Needs
 * {@code inspect.run}.
 */
public final class InspectApi {
    static final String ACTION = "inspect.run";
    private static final int MAX_TEXT = 1024 * 1024;

    private final DryRun dryRun;
    private final AdminGuard guard;
    private final JsonBodies json;

    public InspectApi(DryRun dryRun, AdminGuard guard, JsonBodies json) {
        this.dryRun = dryRun;
        this.guard = guard;
        this.json = json;
    }

    public void register(HttpRouting.Builder routing) {
        routing.post("/bastion/v1/inspect", Responses.guarded(this::inspect));
    }

    private void inspect(ServerRequest req, ServerResponse res) {
        guard.require(req, ACTION);
        ObjectNode body = json.readObject(req, MAX_TEXT + 4096);
        JsonBodies.onlyFields(body, Set.of("text"));
        JsonNode text = body.get("text");
        if (text == null || !text.isTextual()) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("'text' must be a string", "text"));
        }
        if (text.asText().length() > MAX_TEXT) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("'text' is longer than " + MAX_TEXT, "text"));
        }
        Responses.json(res, 200, dryRun.findingsJson(text.asText()));
    }
}
