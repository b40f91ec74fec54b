package dev.bastion.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates OpenAI request bodies into what the engine runs. Fields the worker cannot honour (tools, logprobs,
 * n &gt; 1, non-text content) are refused rather than silently ignored; unknown fields are ignored like OpenAI does.
 */
final class OpenAiRequests {
    static final int MAX_MESSAGES = 1024;
    static final int MAX_STOP = 4;
    static final int MAX_STOP_CHARS = 128;
    static final int MAX_EMBEDDING_INPUTS = 256;

    private OpenAiRequests() {}

    /** @param maxTokens null when the client did not set it */
    record Sampling(Integer maxTokens, Float temperature, Float topP, Integer seed, List<String> stop) {}

    record Chat(List<LlamaEngine.Message> messages, Sampling sampling, boolean stream, boolean includeUsage) {}

    record Text(String prompt, Sampling sampling, boolean stream, boolean includeUsage) {}

    record Embeddings(List<String> inputs, boolean base64) {}

    static Chat chat(ObjectNode b, String servedModel, int maxTokensLimit) throws HttpProblem {
        model(b, servedModel);
        refuseUnsupported(b);
        JsonNode msgs = b.get("messages");
        if (msgs == null || msgs.isNull()) throw EngineError.MISSING_FIELD.problem("messages is required", "messages");
        if (!msgs.isArray() || msgs.isEmpty() || msgs.size() > MAX_MESSAGES) {
            throw EngineError.INVALID_FIELD.problem("messages must be an array of 1 to " + MAX_MESSAGES, "messages");
        }
        List<LlamaEngine.Message> out = new ArrayList<>(msgs.size());
        for (JsonNode m : msgs) {
            if (!m.isObject()) throw EngineError.INVALID_FIELD.problem("each message must be an object", "messages");
            String role = m.path("role").isTextual() ? m.get("role").asText() : "";
            role = switch (role) {
                case "system", "developer" -> "system";
                case "user" -> "user";
                case "assistant" -> "assistant";
                default -> throw EngineError.INVALID_FIELD.problem(
                        "role must be system, developer, user or assistant", "messages");
            };
            out.add(new LlamaEngine.Message(role, content(m.get("content"), role)));
        }
        boolean stream = bool(b, "stream");
        return new Chat(List.copyOf(out), sampling(b, maxTokensLimit), stream, stream && includeUsage(b));
    }

    static Text completion(ObjectNode b, String servedModel, int maxTokensLimit) throws HttpProblem {
        model(b, servedModel);
        refuseUnsupported(b);
        if (b.path("echo").asBoolean(false)) throw EngineError.INVALID_FIELD.problem("echo is not supported", "echo");
        if (b.hasNonNull("suffix")) throw EngineError.INVALID_FIELD.problem("suffix is not supported", "suffix");
        if (b.has("best_of") && b.get("best_of").asInt(1) != 1) {
            throw EngineError.INVALID_FIELD.problem("best_of must be 1", "best_of");
        }
        JsonNode p = b.get("prompt");
        if (p == null || p.isNull()) throw EngineError.MISSING_FIELD.problem("prompt is required", "prompt");
        String prompt;
        if (p.isTextual()) prompt = p.asText();
        else if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) prompt = p.get(0).asText();
        else throw EngineError.INVALID_FIELD.problem("prompt must be a string (or an array of one)", "prompt");
        boolean stream = bool(b, "stream");
        return new Text(prompt, sampling(b, maxTokensLimit), stream, stream && includeUsage(b));
    }

    static Embeddings embeddings(ObjectNode b, String servedModel) throws HttpProblem {
        model(b, servedModel);
        JsonNode in = b.get("input");
        if (in == null || in.isNull()) throw EngineError.MISSING_FIELD.problem("input is required", "input");
        List<String> inputs = new ArrayList<>();
        if (in.isTextual()) {
            inputs.add(in.asText());
        } else if (in.isArray() && !in.isEmpty() && in.size() <= MAX_EMBEDDING_INPUTS) {
            for (JsonNode s : in) {
                if (!s.isTextual()) throw EngineError.INVALID_FIELD.problem("input must hold strings", "input");
                inputs.add(s.asText());
            }
        } else {
            throw EngineError.INVALID_FIELD.problem("input must be a string or 1 to " + MAX_EMBEDDING_INPUTS
                    + " strings", "input");
        }
        for (String s : inputs) {
            if (s.isEmpty()) throw EngineError.INVALID_FIELD.problem("input must not be empty", "input");
        }
        String format = b.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw EngineError.INVALID_FIELD.problem("encoding_format must be float or base64", "encoding_format");
        }
        if (b.hasNonNull("dimensions")) {
            throw EngineError.INVALID_FIELD.problem("dimensions is not supported", "dimensions");
        }
        return new Embeddings(List.copyOf(inputs), format.equals("base64"));
    }

    private static void model(ObjectNode b, String servedModel) throws HttpProblem {
        JsonNode m = b.get("model");
        if (m == null || m.isNull()) return;
        if (!m.isTextual()) throw EngineError.INVALID_FIELD.problem("model must be a string", "model");
        if (!m.asText().equals(servedModel)) throw EngineError.MODEL_NOT_FOUND.problem("this worker serves one other model", "model");
    }

    private static void refuseUnsupported(ObjectNode b) throws HttpProblem {
        if (b.has("n") && !b.get("n").isNull() && !(b.get("n").canConvertToInt() && b.get("n").asInt() == 1)) {
            throw EngineError.INVALID_FIELD.problem("n must be 1", "n");
        }
        for (String f : List.of("tools", "functions", "tool_choice", "function_call")) {
            JsonNode v = b.get(f);
            if (v != null && !v.isNull() && !(v.isArray() && v.isEmpty()) && !"none".equals(v.asText(null))) {
                throw EngineError.INVALID_FIELD.problem(f + " is not supported by the local engine", f);
            }
        }
        if (b.path("logprobs").asBoolean(false) || (b.has("logprobs") && b.get("logprobs").isInt())) {
            throw EngineError.INVALID_FIELD.problem("logprobs is not supported", "logprobs");
        }
        JsonNode rf = b.get("response_format");
        if (rf != null && !rf.isNull() && !"text".equals(rf.path("type").asText())) {
            throw EngineError.INVALID_FIELD.problem("response_format must be text", "response_format");
        }
    }

    private static Sampling sampling(ObjectNode b, int maxTokensLimit) throws HttpProblem {
        Integer max = null;
        for (String f : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode v = b.get(f);
            if (v == null || v.isNull()) continue;
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
                throw EngineError.INVALID_FIELD.problem(f + " must be a positive integer", f);
            }
            if (v.asLong() > maxTokensLimit) {
                throw EngineError.MAX_TOKENS_TOO_LARGE.problem(f + " exceeds the limit of " + maxTokensLimit, f);
            }
            max = v.asInt();
            break;
        }
        Float temperature = number(b, "temperature", 0, 2, true);
        Float topP = number(b, "top_p", 0, 1, false);
        Integer seed = null;
        JsonNode s = b.get("seed");
        if (s != null && !s.isNull()) {
            if (!s.isIntegralNumber() || !s.canConvertToInt()) {
                throw EngineError.INVALID_FIELD.problem("seed must be a 32-bit integer", "seed");
            }
            seed = s.asInt();
        }
        return new Sampling(max, temperature, topP, seed, stop(b.get("stop")));
    }

    private static Float number(ObjectNode b, String f, double min, double max, boolean minInclusive)
            throws HttpProblem {
        JsonNode v = b.get(f);
        if (v == null || v.isNull()) return null;
        if (!v.isNumber()) throw EngineError.INVALID_FIELD.problem(f + " must be a number", f);
        double d = v.asDouble();
        if (!(minInclusive ? d >= min : d > min) || d > max) {
            throw EngineError.INVALID_FIELD.problem(f + " out of range", f);
        }
        return (float) d;
    }

    private static List<String> stop(JsonNode v) throws HttpProblem {
        if (v == null || v.isNull()) return List.of();
        List<String> out = new ArrayList<>();
        if (v.isTextual()) out.add(v.asText());
        else if (v.isArray() && v.size() <= MAX_STOP) for (JsonNode s : v) {
            if (!s.isTextual()) throw EngineError.INVALID_FIELD.problem("stop must hold strings", "stop");
            out.add(s.asText());
        }
        else throw EngineError.INVALID_FIELD.problem("stop must be a string or up to " + MAX_STOP + " strings", "stop");
        for (String s : out) {
            if (s.isEmpty() || s.length() > MAX_STOP_CHARS) {
                throw EngineError.INVALID_FIELD.problem("each stop sequence must have 1 to " + MAX_STOP_CHARS
                        + " characters", "stop");
            }
        }
        return List.copyOf(out);
    }

    private static String content(JsonNode c, String role) throws HttpProblem {
        if (c == null || c.isNull()) {
            if (role.equals("assistant")) return "";
            throw EngineError.MISSING_FIELD.problem("message content is required", "messages");
        }
        if (c.isTextual()) return c.asText();
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw EngineError.INVALID_FIELD.problem("only text content parts are supported", "messages");
                }
                sb.append(part.get("text").asText());
            }
            return sb.toString();
        }
        throw EngineError.INVALID_FIELD.problem("content must be a string or an array of text parts", "messages");
    }

    private static boolean bool(ObjectNode b, String f) throws HttpProblem {
        JsonNode v = b.get(f);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw EngineError.INVALID_FIELD.problem(f + " must be a boolean", f);
        return v.asBoolean();
    }

    private static boolean includeUsage(ObjectNode b) {
        return b.path("stream_options").path("include_usage").asBoolean(false);
    }
}
