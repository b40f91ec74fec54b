package dev.bastion.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.config.BastionConfig;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.ProblemException;

import java.util.Set;

/**
 * Checks the types of the fields Bastion knows in OpenAI requests, and the limits that protect backends. Fields it
 * does not know are left alone: they travel to the backend unchanged.
 */
final class OpenAiRequestValidator {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final int MAX_MODEL_NAME = 256;
    private static final int MAX_N = 128;

    private final BastionConfig.Limits limits;

    OpenAiRequestValidator(BastionConfig.Limits limits) {
        this.limits = limits;
    }

    /** Returns the model name; throws a 400 problem naming the field. */
    String validate(Operation operation, ObjectNode body) {
        String model = requiredString(body, "model");
        if (model.isEmpty() || model.length() > MAX_MODEL_NAME) {
            throw invalid("model", "model must be 1 to " + MAX_MODEL_NAME + " characters");
        }
        optionalBoolean(body, "stream");
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) throw invalid("stream_options", "stream_options must be an object");
            optionalBoolean((ObjectNode) options, "include_usage");
        }
        switch (operation) {
            case CHAT -> validateChat(body);
            case COMPLETION -> validatePrompt(body.get("prompt"), "prompt", true);
            case EMBEDDING -> validateEmbedding(body);
        }
        if (operation != Operation.EMBEDDING) validateSampling(body);
        return model;
    }

    private void validateChat(ObjectNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) throw missing("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw invalid("messages", "messages must be a non-empty array");
        }
        if (messages.size() > limits.maxMessages()) {
            throw invalid("messages", "too many messages (limit " + limits.maxMessages() + ")");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages[" + i + "]";
            if (!m.isObject()) throw invalid(at, at + " must be an object");
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()) throw invalid(at + ".role", at + ".role must be a string");
            if (!ROLES.contains(role.asText())) {
                throw invalid(at + ".role", at + ".role must be one of " + ROLES);
            }
            JsonNode content = m.get("content");
            if (content != null && !content.isNull() && !content.isTextual() && !content.isArray()) {
                throw invalid(at + ".content", at + ".content must be a string, an array of parts or null");
            }
            if (content != null && content.isArray()) {
                for (int p = 0; p < content.size(); p++) {
                    if (!content.get(p).isObject()) {
                        throw invalid(at + ".content", at + ".content[" + p + "] must be an object");
                    }
                }
            }
            JsonNode toolCalls = m.get("tool_calls");
            if (toolCalls != null && !toolCalls.isNull() && !toolCalls.isArray()) {
                throw invalid(at + ".tool_calls", at + ".tool_calls must be an array");
            }
        }
        JsonNode tools = body.get("tools");
        if (tools != null && !tools.isNull() && !tools.isArray()) throw invalid("tools", "tools must be an array");
        JsonNode format = body.get("response_format");
        if (format != null && !format.isNull() && !format.isObject()) {
            throw invalid("response_format", "response_format must be an object");
        }
        JsonNode toolChoice = body.get("tool_choice");
        if (toolChoice != null && !toolChoice.isNull() && !toolChoice.isTextual() && !toolChoice.isObject()) {
            throw invalid("tool_choice", "tool_choice must be a string or an object");
        }
        optionalBoolean(body, "logprobs");
        optionalInt(body, "top_logprobs", 0, 100);
        optionalBoolean(body, "parallel_tool_calls");
    }

    private void validateEmbedding(ObjectNode body) {
        validatePrompt(body.get("input"), "input", false);
        JsonNode format = body.get("encoding_format");
        if (format != null && !format.isNull()
                && !(format.isTextual() && (format.asText().equals("float") || format.asText().equals("base64")))) {
            throw invalid("encoding_format", "encoding_format must be 'float' or 'base64'");
        }
        optionalInt(body, "dimensions", 1, 65_536);
    }

    /** Prompt / input: a string, an array of strings, an array of token ids, or an array of token-id arrays. */
    private static void validatePrompt(JsonNode value, String field, boolean optional) {
        if (value == null || value.isNull()) {
            if (optional) return;
            throw missing(field);
        }
        if (value.isTextual()) return;
        if (!value.isArray()) throw invalid(field, field + " must be a string or an array");
        for (JsonNode item : value) {
            if (item.isTextual() || item.isIntegralNumber()) continue;
            if (item.isArray()) {
                for (JsonNode token : item) {
                    if (!token.isIntegralNumber()) throw invalid(field, field + " token arrays must hold integers");
                }
                continue;
            }
            throw invalid(field, field + " items must be strings, integers or integer arrays");
        }
    }

    private void validateSampling(ObjectNode body) {
        for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
            JsonNode v = body.get(field);
            if (v == null || v.isNull()) continue;
            if (!v.isIntegralNumber()) throw invalid(field, field + " must be an integer");
            if (!v.canConvertToLong() || v.asLong() > limits.maxTokens()) {
                throw new ProblemException(ErrorCode.MAX_TOKENS_TOO_LARGE.problem(
                        field + " exceeds this server's limit of " + limits.maxTokens(), field));
            }
            if (v.asLong() < 1) throw invalid(field, field + " must be at least 1");
        }
        optionalInt(body, "n", 1, MAX_N);
        optionalInt(body, "best_of", 1, MAX_N);
        for (String field : new String[] {"temperature", "top_p", "presence_penalty", "frequency_penalty"}) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull() && !v.isNumber()) throw invalid(field, field + " must be a number");
        }
        JsonNode seed = body.get("seed");
        if (seed != null && !seed.isNull() && !seed.isIntegralNumber()) throw invalid("seed", "seed must be an integer");
        JsonNode stop = body.get("stop");
        if (stop != null && !stop.isNull()) {
            if (stop.isArray()) {
                for (JsonNode s : stop) if (!s.isTextual()) throw invalid("stop", "stop must hold strings");
            } else if (!stop.isTextual()) {
                throw invalid("stop", "stop must be a string or an array of strings");
            }
        }
        JsonNode user = body.get("user");
        if (user != null && !user.isNull() && !user.isTextual()) throw invalid("user", "user must be a string");
    }

    private static String requiredString(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) throw missing(field);
        if (!v.isTextual()) throw invalid(field, field + " must be a string");
        return v.asText();
    }

    private static void optionalBoolean(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !v.isBoolean()) throw invalid(field, field + " must be true or false");
    }

    private static void optionalInt(ObjectNode body, String field, long min, long max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return;
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw invalid(field, field + " must be an integer from " + min + " to " + max);
        }
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(ErrorCode.INVALID_FIELD.problem(message, field));
    }

    private static ProblemException missing(String field) {
        return new ProblemException(ErrorCode.MISSING_FIELD.problem("'" + field + "' is required", field));
    }
}
