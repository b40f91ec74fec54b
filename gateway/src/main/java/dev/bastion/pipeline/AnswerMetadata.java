package dev.bastion.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Fields a stage wants the client to find in the model's answer, under a top-level {@code bastion} object (retrieval's
 * citations, for one): added to a JSON answer, and to the first event of a stream. OpenAI clients ignore the field.
 * The value must hold no prompt or completion text.
 */
public record AnswerMetadata(ObjectNode bastion) {

    /** Adds the {@code bastion} object to one answer object (a completion or a stream chunk). */
    public void addTo(JsonNode answer) {
        if (answer instanceof ObjectNode o) o.set("bastion", bastion.deepCopy());
    }
}
