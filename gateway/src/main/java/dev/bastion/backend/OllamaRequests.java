package dev.bastion.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.ProblemException;

import java.util.Map;
import java.util.Set;

/**
 * OpenAI request → Ollama native request ({@code /api/chat}, {@code /api/generate}, {@code /api/embed}).
 * Sampling fields become {@code options}; fields Bastion does not know are passed as options too (Ollama's
 * {@code top_k}, {@code num_ctx}, {@code min_p}, …), never dropped. Features Ollama cannot honour (n &gt; 1,
 * logit_bias, logprobs) are refused with 400 {@code unsupported_operation} rather than silently ignored.
 */
final class OllamaRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> OPTION_NAMES = Map.of(
            "temperature", "temperature", "top_p", "top_p", "seed", "seed",
            "presence_penalty", "presence_penalty", "frequency_penalty", "frequency_penalty",
            "max_tokens", "num_predict", "max_completion_tokens", "num_predict");
    /** OpenAI fields handled explicitly or meaningless to Ollama (metadata that does not change the answer). */
    private static final Set<String> HANDLED = Set.of("model", "messages", "prompt", "input", "stream",
            "stream_options", "stop", "tools", "tool_choice", "response_format", "user", "n", "logit_bias",
            "logprobs", "top_logprobs", "parallel_tool_calls", "encoding_format", "suffix", "dimensions",
            "echo", "best_of", "store", "metadata");

    private OllamaRequests() {}

    static ObjectNode chat(ModelRequest request, String model) {
        ObjectNode in = request.json();
        refuseUnsupported(in);
        ObjectNode out = JSON.createObjectNode();
        out.put("model", model);
        ArrayNode messages = out.putArray("messages");
        for (JsonNode m : in.path("messages")) messages.add(message(m));
        if (in.has("tools") && !in.get("tools").isNull()) out.set("tools", in.get("tools"));
        JsonNode format = in.get("response_format");
        if (format != null && format.isObject()) {
            switch (format.path("type").asText()) {
                case "json_object" -> out.put("format", "json");
                case "json_schema" -> out.set("format", format.path("json_schema").path("schema"));
                default -> { }
            }
        }
        out.put("stream", request.stream());
        out.set("options", options(in));
        return out;
    }

    static ObjectNode generate(ModelRequest request, String model) {
        ObjectNode in = request.json();
        refuseUnsupported(in);
        JsonNode prompt = in.get("prompt");
        if (prompt != null && !prompt.isTextual() && !(prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual())) {
            throw unsupported("Ollama backends take one text prompt per request");
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("model", model);
        out.put("prompt", prompt == null ? "" : prompt.isArray() ? prompt.get(0).asText() : prompt.asText());
        if (in.hasNonNull("suffix")) out.set("suffix", in.get("suffix"));
        out.put("stream", request.stream());
        out.set("options", options(in));
        return out;
    }

    static ObjectNode embed(ModelRequest request, String model) {
        ObjectNode in = request.json();
        JsonNode input = in.get("input");
        if (input.isArray()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) throw unsupported("Ollama backends embed text, not token ids");
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("model", model);
        out.set("input", input);
        if (in.hasNonNull("dimensions")) out.set("dimensions", in.get("dimensions"));
        return out;
    }

    private static void refuseUnsupported(ObjectNode in) {
        if (in.path("n").asInt(1) > 1 || in.path("best_of").asInt(1) > 1) {
            throw unsupported("Ollama backends produce one choice per request (n must be 1)");
        }
        JsonNode bias = in.get("logit_bias");
        if (bias != null && bias.isObject() && !bias.isEmpty()) throw unsupported("Ollama backends do not support logit_bias");
        if (in.path("logprobs").asBoolean(false) || (in.path("logprobs").isInt() && in.path("logprobs").asInt() > 0)) {
            throw unsupported("Ollama backends do not return logprobs");
        }
    }

    private static ObjectNode options(ObjectNode in) {
        ObjectNode options = JSON.createObjectNode();
        for (var e : OPTION_NAMES.entrySet()) {
            JsonNode v = in.get(e.getKey());
            if (v != null && !v.isNull()) options.set(e.getValue(), v);
        }
        JsonNode stop = in.get("stop");
        if (stop != null && stop.isTextual()) options.putArray("stop").add(stop.asText());
        else if (stop != null && stop.isArray()) options.set("stop", stop);
        for (var field : in.properties()) {
            String name = field.getKey();
            if (!HANDLED.contains(name) && !OPTION_NAMES.containsKey(name)) options.set(name, field.getValue());
        }
        return options;
    }

    private static ObjectNode message(JsonNode m) {
        ObjectNode out = JSON.createObjectNode();
        String role = m.path("role").asText();
        out.put("role", role.equals("developer") ? "system" : role.equals("function") ? "tool" : role);
        JsonNode content = m.get("content");
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            ArrayNode images = null;
            for (JsonNode part : content) {
                switch (part.path("type").asText()) {
                    case "text" -> text.append(part.path("text").asText());
                    case "image_url" -> {
                        String url = part.path("image_url").path("url").asText();
                        int comma = url.indexOf(',');
                        if (!url.startsWith("data:") || comma < 0) {
                            throw unsupported("Ollama backends take images as data: URLs only");
                        }
                        if (images == null) images = out.putArray("images");
                        images.add(url.substring(comma + 1));
                    }
                    default -> throw unsupported("content part type '" + part.path("type").asText()
                            + "' is not supported by Ollama backends");
                }
            }
            out.put("content", text.toString());
        } else {
            out.put("content", content == null || content.isNull() ? "" : content.asText());
        }
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray()) {
            ArrayNode outCalls = out.putArray("tool_calls");
            for (JsonNode call : calls) {
                ObjectNode fn = outCalls.addObject().putObject("function");
                fn.put("name", call.path("function").path("name").asText());
                fn.set("arguments", parseArguments(call.path("function").path("arguments")));
            }
        }
        if (m.hasNonNull("tool_call_id")) out.set("tool_call_id", m.get("tool_call_id"));
        if (m.hasNonNull("name")) out.set("tool_name", m.get("name"));
        return out;
    }

    private static JsonNode parseArguments(JsonNode arguments) {
        if (!arguments.isTextual()) return arguments;
        try {
            return JSON.readTree(arguments.asText());
        } catch (java.io.IOException e) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem(
                    "tool call arguments must be a JSON object", "messages"));
        }
    }

    private static ProblemException unsupported(String message) {
        return new ProblemException(ErrorCode.UNSUPPORTED_OPERATION.problem(message));
    }
}
