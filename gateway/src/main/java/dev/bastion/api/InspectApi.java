package dev.bastion.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.inspect.DryRun;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

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

    public InspectApi(DryRun dryRun) {
        this.dryRun = dryRun;
    }

    public void register(AdminRoutes routes) {
        routes.post("/bastion/v1/inspect", Access.to(ACTION), this::inspect);
    }

    private Reply inspect(AdminCall call) {
        ObjectNode body = call.body(MAX_TEXT + 4096, Set.of("text"));
        JsonNode text = body.get("text");
        if (text == null || !text.isTextual()) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("'text' must be a string", "text"));
        }
        if (text.asText().length() > MAX_TEXT) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("'text' is longer than " + MAX_TEXT, "text"));
        }
        return Reply.ok(dryRun.findingsJson(text.asText()));
    }
}
