package dev.bastion.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/** Runs one generation and answers in OpenAI's chat or text-completion shape, whole or as server-sent events. */
final class Completions {
    private final LlamaEngine engine;
    private final String model;
    private final boolean chat;
    private final String id;
    private final long created = System.currentTimeMillis() / 1000;

    Completions(LlamaEngine engine, String model, boolean chat) {
        this.engine = engine;
        this.model = model;
        this.chat = chat;
        this.id = OpenAiRoutes.newId(chat ? "chatcmpl-" : "cmpl-");
    }

    void run(GenerationRequest gen, boolean stream, boolean includeUsage, HttpExchange ex) throws IOException {
        if (!stream) {
            GenerationRequest.Result r = engine.generate(gen, text -> true);
            ObjectNode root = envelope(chat ? "chat.completion" : "text_completion");
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0);
            if (chat) {
                ObjectNode msg = choice.putObject("message");
                msg.put("role", "assistant");
                msg.put("content", r.text());
            } else {
                choice.put("text", r.text());
                choice.putNull("logprobs");
            }
            choice.put("finish_reason", r.finishReason());
            usage(root, r);
            ex.sendJson(200, Json.bytes(root));
            return;
        }
        HttpExchange.Sse sse = ex.startEventStream();
        if (chat) sse.data(Json.bytes(chunk(null, true, null)));
        IOException[] failure = new IOException[1];
        GenerationRequest.Result r = engine.generate(gen, text -> {
            try {
                sse.data(Json.bytes(chunk(text, false, null)));
                return true;
            } catch (IOException e) {
                failure[0] = e;
                return false; // client gone: stop generating
            }
        });
        if (failure[0] != null || r.cancelled()) {
            ex.abandon();
            return;
        }
        // the closing events are ready together: one write, so the reader (the gateway) wakes once for all of them
        sse.dataThenMore(Json.bytes(chunk(chat ? null : "", false, r.finishReason())));
        if (includeUsage) {
            ObjectNode u = envelope(chat ? "chat.completion.chunk" : "text_completion");
            u.putArray("choices");
            usage(u, r);
            sse.dataThenMore(Json.bytes(u));
        }
        sse.done();
    }

    private ObjectNode chunk(String text, boolean first, String finish) {
        ObjectNode root = envelope(chat ? "chat.completion.chunk" : "text_completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (chat) {
            ObjectNode delta = choice.putObject("delta");
            if (first) {
                delta.put("role", "assistant");
                delta.put("content", "");
            } else if (text != null) {
                delta.put("content", text);
            }
        } else {
            choice.put("text", text == null ? "" : text);
            choice.putNull("logprobs");
        }
        if (finish == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finish);
        return root;
    }

    private ObjectNode envelope(String object) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        return root;
    }

    private static void usage(ObjectNode root, GenerationRequest.Result r) {
        ObjectNode u = root.putObject("usage");
        u.put("prompt_tokens", r.promptTokens());
        u.put("completion_tokens", r.completionTokens());
        u.put("total_tokens", r.promptTokens() + r.completionTokens());
    }
}
