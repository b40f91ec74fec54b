package dev.bastion.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.pipeline.ResponseFilter;

import java.io.IOException;
import java.util.BitSet;

/**
 * Runs generated text through the response filters: {@code choices[].message.content} (chat) or
 * {@code choices[].text} (completions) of whole answers, and {@code delta.content} / {@code text} of stream
 * chunks. A choice's held-back text is released into the chunk that carries its finish reason, or into a final
 * chunk when the stream ends without one.
 */
final class AnswerRewriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ResponseFilter filter;
    private final BitSet open = new BitSet();
    private ObjectNode template;

    AnswerRewriter(ResponseFilter filter) {
        this.filter = filter;
    }

    byte[] rewriteComplete(byte[] answer) throws IOException {
        JsonNode root = JSON.readTree(answer);
        if (!root.isObject()) return answer;
        boolean changed = false;
        for (JsonNode choice : root.path("choices")) {
            int index = choice.path("index").asInt(0);
            JsonNode message = choice.get("message");
            ObjectNode holder;
            String field;
            if (message instanceof ObjectNode m && m.path("content").isTextual()) {
                holder = m;
                field = "content";
            } else if (choice instanceof ObjectNode c && c.path("text").isTextual()) {
                holder = c;
                field = "text";
            } else {
                continue;
            }
            String before = holder.get(field).asText();
            String after = filter.onText(index, before) + filter.flush(index);
            if (!after.equals(before)) {
                holder.put(field, after);
                changed = true;
            }
        }
        // nothing rewritten: the backend's bytes go out as they came, without a second serialisation
        return changed ? JSON.writeValueAsBytes(root) : answer;
    }

    /** Rewrites one stream chunk. */
    byte[] rewriteChunk(byte[] chunk) throws IOException {
        JsonNode root = JSON.readTree(chunk);
        if (!root.isObject() || !root.path("choices").isArray() || root.path("choices").isEmpty()) return chunk;
        if (template == null) template = ((ObjectNode) root).deepCopy();
        for (JsonNode choice : root.path("choices")) {
            if (!(choice instanceof ObjectNode c)) continue;
            int index = c.path("index").asInt(0);
            open.set(index);
            boolean finished = c.hasNonNull("finish_reason");
            JsonNode delta = c.get("delta");
            if (delta instanceof ObjectNode d) {
                String text = d.path("content").isTextual() ? filter.onText(index, d.get("content").asText()) : "";
                if (finished) text += filter.flush(index);
                if (d.has("content") || !text.isEmpty()) d.put("content", text);
            } else if (c.path("text").isTextual() || finished) {
                String text = c.path("text").isTextual() ? filter.onText(index, c.get("text").asText()) : "";
                if (finished) text += filter.flush(index);
                c.put("text", text);
            }
            if (finished) open.clear(index);
        }
        return JSON.writeValueAsBytes(root);
    }

    /** Text still held for choices that never finished, as a last chunk; null when there is none. */
    byte[] finalChunk() throws IOException {
        if (open.isEmpty() || template == null) return null;
        ObjectNode out = template.deepCopy();
        var choices = out.putArray("choices");
        boolean any = false;
        for (int i = open.nextSetBit(0); i >= 0; i = open.nextSetBit(i + 1)) {
            String rest = filter.flush(i);
            if (rest.isEmpty()) continue;
            any = true;
            ObjectNode c = choices.addObject();
            c.put("index", i);
            if ("text_completion".equals(template.path("object").asText())) c.put("text", rest);
            else c.putObject("delta").put("content", rest);
            c.putNull("finish_reason");
        }
        open.clear();
        out.remove("usage");
        return any ? JSON.writeValueAsBytes(out) : null;
    }
}
