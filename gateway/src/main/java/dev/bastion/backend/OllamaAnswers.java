package dev.bastion.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Ollama native answers → OpenAI answers (whole documents and stream chunks). */
final class OllamaAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OllamaAnswers() {}

    /** Identity shared by every chunk of one answer, as OpenAI streams have. */
    record Ids(String id, long created, String model) {
        static Ids chat(String model) { return new Ids("chatcmpl-" + random(), now(), model); }

        static Ids completion(String model) { return new Ids("cmpl-" + random(), now(), model); }
    }

    static ObjectNode chat(JsonNode o, Ids ids) {
        ObjectNode out = head(ids, "chat.completion");
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", o.path("message").path("content").asText(""));
        boolean tools = addToolCalls(message, o.path("message").path("tool_calls"));
        choice.put("finish_reason", finishReason(o, tools));
        out.set("usage", usage(o));
        return out;
    }

    /** A stream chunk for one NDJSON line; the final line also carries the finish reason. */
    static ObjectNode chatChunk(JsonNode o, Ids ids, boolean first) {
        ObjectNode out = head(ids, "chat.completion.chunk");
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (first) delta.put("role", "assistant");
        String text = o.path("message").path("content").asText("");
        if (!text.isEmpty()) delta.put("content", text);
        boolean tools = addToolCalls(delta, o.path("message").path("tool_calls"));
        if (o.path("done").asBoolean(false)) choice.put("finish_reason", finishReason(o, tools));
        else choice.putNull("finish_reason");
        return out;
    }

    static ObjectNode completion(JsonNode o, Ids ids) {
        ObjectNode out = head(ids, "text_completion");
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("text", o.path("response").asText(""));
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(o, false));
        out.set("usage", usage(o));
        return out;
    }

    static ObjectNode completionChunk(JsonNode o, Ids ids) {
        ObjectNode out = head(ids, "text_completion");
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("text", o.path("response").asText(""));
        choice.putNull("logprobs");
        if (o.path("done").asBoolean(false)) choice.put("finish_reason", finishReason(o, false));
        else choice.putNull("finish_reason");
        return out;
    }

    /** The trailing usage-only chunk sent when the client asked for {@code stream_options.include_usage}. */
    static ObjectNode usageChunk(JsonNode last, Ids ids, String object) {
        ObjectNode out = head(ids, object);
        out.putArray("choices");
        out.set("usage", usage(last));
        return out;
    }

    static ObjectNode embeddings(JsonNode o, String model, boolean base64) {
        ObjectNode out = JSON.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        int i = 0;
        for (JsonNode vector : o.path("embeddings")) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i++);
            if (base64) item.put("embedding", toBase64(vector));
            else item.set("embedding", vector);
        }
        out.put("model", model);
        ObjectNode usage = out.putObject("usage");
        long prompt = o.path("prompt_eval_count").asLong(0);
        usage.put("prompt_tokens", prompt);
        usage.put("total_tokens", prompt);
        return out;
    }

    private static String toBase64(JsonNode vector) {
        ByteBuffer buf = ByteBuffer.allocate(vector.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode v : vector) buf.putFloat((float) v.asDouble());
        return Base64.getEncoder().encodeToString(buf.array());
    }

    private static boolean addToolCalls(ObjectNode target, JsonNode calls) {
        if (!calls.isArray() || calls.isEmpty()) return false;
        ArrayNode out = target.putArray("tool_calls");
        int i = 0;
        for (JsonNode call : calls) {
            ObjectNode c = out.addObject();
            c.put("index", i++);
            c.put("id", "call_" + random());
            c.put("type", "function");
            ObjectNode fn = c.putObject("function");
            fn.put("name", call.path("function").path("name").asText());
            JsonNode args = call.path("function").path("arguments");
            fn.put("arguments", args.isTextual() ? args.asText() : args.toString());
        }
        return true;
    }

    private static String finishReason(JsonNode o, boolean toolCalls) {
        if (toolCalls) return "tool_calls";
        return "length".equals(o.path("done_reason").asText()) ? "length" : "stop";
    }

    static ObjectNode usage(JsonNode o) {
        ObjectNode usage = JSON.createObjectNode();
        long prompt = o.path("prompt_eval_count").asLong(0);
        long completion = o.path("eval_count").asLong(0);
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        return usage;
    }

    private static ObjectNode head(Ids ids, String object) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", ids.id());
        out.put("object", object);
        out.put("created", ids.created());
        out.put("model", ids.model());
        return out;
    }

    private static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private static long now() { return System.currentTimeMillis() / 1000; }
}
