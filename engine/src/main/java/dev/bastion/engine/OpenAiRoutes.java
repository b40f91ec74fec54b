package dev.bastion.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The worker's HTTP surface: OpenAI's chat, completions, embeddings and models, plus {@code /health}. */
final class OpenAiRoutes implements UdsHttpServer.Handler {
    private static final Logger LOG = Logger.getLogger(OpenAiRoutes.class.getName());

    /** What /v1/models and /health tell about the loaded model. */
    record ModelInfo(String name, String sha256, String architecture, String quantization, long contextLength,
                     boolean isolated) {}

    private final LlamaEngine engine;
    private final EngineConfig config;
    private final ModelInfo info;
    private final Admission admission;
    private final Lockdown.Report lockdown;
    private volatile boolean stopping;

    OpenAiRoutes(LlamaEngine engine, EngineConfig config, ModelInfo info, Lockdown.Report lockdown) {
        this.engine = engine;
        this.config = config;
        this.info = info;
        this.lockdown = lockdown;
        this.admission = new Admission(config.parallel(), config.queue());
    }

    void stopAccepting() { stopping = true; }

    Admission admission() { return admission; }

    @Override
    public void handle(HttpRequest req, HttpExchange ex) throws IOException {
        try {
            route(req, ex);
        } catch (HttpProblem p) {
            if (!ex.committed()) {
                Map<String, String> headers = p.error() == EngineError.OVERLOADED ? Map.of("Retry-After", "1") : Map.of();
                ex.sendProblem(p, headers);
            } else {
                ex.abandon();
            }
        } catch (RuntimeException e) {
            // native or programming error: class name only, never request content
            LOG.log(Level.WARNING, "request failed: {0}", e.getClass().getName());
            if (!ex.committed()) ex.sendProblem(EngineError.INTERNAL.problem("the engine failed"));
            else ex.abandon();
        }
    }

    private void route(HttpRequest req, HttpExchange ex) throws IOException, HttpProblem {
        String path = req.path();
        if (path.equals("/lockdown") && req.method().equals("GET")) {
            ex.sendJson(200, Json.bytes(Json.MAPPER.valueToTree(lockdown.json())));
            return;
        }
        if (config.escapeProbes() && path.startsWith("/_probe/") && req.method().equals("POST")) {
            var args = req.body().length == 0 ? Json.object() : Json.parseObject(req.body());
            ex.sendJson(200, Json.bytes(EscapeProbes.run(path.substring("/_probe/".length()), args, config)));
            return;
        }
        boolean post = switch (path) {
            case "/health", "/v1/models" -> false;
            case "/v1/chat/completions", "/v1/completions", "/v1/embeddings" -> true;
            default -> throw EngineError.NOT_FOUND.problem("no such endpoint");
        };
        if (!req.method().equals(post ? "POST" : "GET")) throw EngineError.METHOD_NOT_ALLOWED.problem("method not allowed");
        if (!post) {
            ex.sendJson(200, Json.bytes(path.equals("/health") ? health() : models()));
            return;
        }
        String ct = req.header("content-type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw EngineError.UNSUPPORTED_MEDIA_TYPE.problem("Content-Type must be application/json");
        }
        if (stopping) throw EngineError.SHUTTING_DOWN.problem("the engine is stopping");
        ObjectNode body = Json.parseObject(req.body());
        switch (path) {
            case "/v1/chat/completions" -> {
                var chat = OpenAiRequests.chat(body, info.name(), config.maxTokensLimit());
                try (var ticket = admit()) {
                    String prompt = engine.applyChatTemplate(chat.messages());
                    var gen = plan(prompt, chat.sampling());
                    new Completions(engine, info.name(), true).run(gen, chat.stream(), chat.includeUsage(), ex);
                }
            }
            case "/v1/completions" -> {
                var text = OpenAiRequests.completion(body, info.name(), config.maxTokensLimit());
                try (var ticket = admit()) {
                    var gen = plan(text.prompt(), text.sampling());
                    new Completions(engine, info.name(), false).run(gen, text.stream(), text.includeUsage(), ex);
                }
            }
            default -> embeddings(OpenAiRequests.embeddings(body, info.name()), ex);
        }
    }

    private Admission.Ticket admit() throws HttpProblem {
        Admission.Ticket t = admission.tryEnter();
        if (t == null) throw EngineError.OVERLOADED.problem("the engine is at capacity; retry later");
        return t;
    }

    /** Counts the prompt and fixes max_tokens so that prompt plus answer fit one slot's context. */
    private GenerationRequest plan(String prompt, OpenAiRequests.Sampling s) throws HttpProblem {
        int promptTokens = engine.tokenize(prompt).length;
        int room = engine.slotContext() - promptTokens;
        if (room < 1) throw EngineError.CONTEXT_LENGTH_EXCEEDED.problem("prompt has " + promptTokens
                + " tokens; the context holds " + engine.slotContext());
        int max;
        if (s.maxTokens() != null) {
            if (s.maxTokens() > room) throw EngineError.CONTEXT_LENGTH_EXCEEDED.problem("prompt (" + promptTokens
                    + " tokens) plus max_tokens exceeds the context of " + engine.slotContext());
            max = s.maxTokens();
        } else {
            max = Math.min(config.defaultMaxTokens(), room);
        }
        return new GenerationRequest(prompt, promptTokens, max, s.temperature(), s.topP(), s.seed(), s.stop());
    }

    private void embeddings(OpenAiRequests.Embeddings req, HttpExchange ex) throws IOException, HttpProblem {
        if (!engine.embeddingsEnabled()) throw EngineError.NOT_FOUND.problem("embeddings are disabled on this worker");
        try (var ticket = admit()) {
            ArrayNode data = Json.MAPPER.createArrayNode();
            long tokens = 0;
            for (int i = 0; i < req.inputs().size(); i++) {
                String input = req.inputs().get(i);
                int n = engine.tokenize(input).length;
                if (n > engine.slotContext()) throw EngineError.CONTEXT_LENGTH_EXCEEDED.problem("input " + i
                        + " has " + n + " tokens; the context holds " + engine.slotContext(), "input");
                tokens += n;
                float[] v = engine.embed(input);
                ObjectNode item = data.addObject();
                item.put("object", "embedding");
                item.put("index", i);
                if (req.base64()) {
                    ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    for (float f : v) buf.putFloat(f);
                    item.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
                } else {
                    ArrayNode arr = item.putArray("embedding");
                    for (float f : v) arr.add(f);
                }
            }
            ObjectNode root = Json.object();
            root.put("object", "list");
            root.set("data", data);
            root.put("model", info.name());
            ObjectNode usage = root.putObject("usage");
            usage.put("prompt_tokens", tokens);
            usage.put("total_tokens", tokens);
            ex.sendJson(200, Json.bytes(root));
        }
    }

    private ObjectNode health() {
        ObjectNode h = Json.object();
        h.put("status", stopping ? "stopping" : "ok");
        h.put("model", info.name());
        h.put("sha256", info.sha256());
        h.put("pid", ProcessHandle.current().pid());
        h.put("isolated", info.isolated());
        h.put("inflight", admission.inflight());
        h.put("capacity", admission.capacity());
        h.put("parallel", config.parallel());
        h.put("slot_context", engine.slotContext());
        return h;
    }

    private ObjectNode models() {
        ObjectNode m = Json.object();
        m.put("id", info.name());
        m.put("object", "model");
        m.put("created", 0);
        m.put("owned_by", "bastion-engine");
        ObjectNode meta = m.putObject("meta");
        meta.put("sha256", info.sha256());
        meta.put("architecture", info.architecture());
        meta.put("quantization", info.quantization());
        meta.put("context_length", info.contextLength());
        meta.put("slot_context", engine.slotContext());
        ObjectNode root = Json.object();
        root.put("object", "list");
        root.putArray("data").add(m);
        return root;
    }

    static String newId(String prefix) {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }
}
