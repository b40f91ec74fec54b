package dev.bastion.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.config.BackendSettings;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.ProblemException;

import dev.bastion.egress.EgressGate;
import dev.bastion.egress.TlsLayer;
import java.io.IOException;

/** Ollama through its native API ({@code /api/chat}, {@code /api/generate}, {@code /api/embed}), translated. */
public final class OllamaBackend implements ModelBackend {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final HttpUpstream http;

    /** Every connection goes through {@code gate}. */
    public OllamaBackend(BackendSettings settings, TlsLayer tls, EgressGate gate) {
        this.name = settings.name();
        this.http = new HttpUpstream(settings.name(), settings.url(), settings.apiKey(), settings.connectTimeout(),
                settings.readTimeout(), settings.maxConnections(), tls, gate, null);
    }

    @Override
    public String name() { return name; }

    @Override
    public UpstreamRequest prepare(ModelRequest request, String upstreamModel) {
        Operation op = request.operation();
        ObjectNode body = switch (op) {
            case CHAT -> OllamaRequests.chat(request, upstreamModel);
            case COMPLETION -> OllamaRequests.generate(request, upstreamModel);
            case EMBEDDING -> OllamaRequests.embed(request, upstreamModel);
        };
        String path = switch (op) {
            case CHAT -> "/api/chat";
            case COMPLETION -> "/api/generate";
            case EMBEDDING -> "/api/embed";
        };
        boolean stream = request.stream() && op != Operation.EMBEDDING;
        try {
            return new UpstreamRequest(request, path, JSON.writeValueAsBytes(body), stream);
        } catch (IOException e) {
            throw new IllegalStateException("request tree is not serialisable", e);
        }
    }

    @Override
    public BackendAnswer send(UpstreamRequest prepared) {
        ModelRequest request = prepared.request();
        Operation op = request.operation();
        boolean stream = prepared.stream();
        UpstreamResponse response;
        try {
            response = http.post(prepared.path(), prepared.body(), false);
        } catch (UpstreamFailure f) {
            throw new ProblemException(f.problem());
        }
        boolean handedOver = false;
        try {
            if (response.status() != 200) {
                byte[] error = response.readAll(64 * 1024);
                throw new ProblemException(UpstreamErrors.problemFor(name, response.status(), error,
                        response.header("retry-after")));
            }
            if (stream) {
                handedOver = true;
                return new BackendAnswer.Events(new OllamaEventStream(response, op, request.model(),
                        request.includeUsage()));
            }
            JsonNode answer = JSON.readTree(response.readAll(OpenAiBackend.MAX_ANSWER));
            ObjectNode out = switch (op) {
                case CHAT -> OllamaAnswers.chat(answer, OllamaAnswers.Ids.chat(request.model()));
                case COMPLETION -> OllamaAnswers.completion(answer, OllamaAnswers.Ids.completion(request.model()));
                case EMBEDDING -> OllamaAnswers.embeddings(answer, request.model(),
                        "base64".equals(request.json().path("encoding_format").asText()));
            };
            return new BackendAnswer.Complete(JSON.writeValueAsBytes(out));
        } catch (IOException e) {
            response.abort();
            throw new ProblemException(e instanceof java.net.SocketTimeoutException
                    ? ErrorCode.BACKEND_TIMEOUT.problem("backend '" + name + "' stopped sending its answer")
                    : ErrorCode.BACKEND_ERROR.problem("backend '" + name + "' sent a broken answer"));
        } finally {
            if (!handedOver) response.close();
        }
    }

    @Override
    public boolean probe() {
        try (UpstreamResponse r = http.get("/api/tags")) {
            r.readAll(1024 * 1024);
            return r.status() == 200;
        } catch (UpstreamFailure | IOException f) {
            return false;
        }
    }

    @Override
    public java.util.Map<String, java.util.Set<String>> reportedIdentities() {
        try (UpstreamResponse r = http.get("/api/tags")) {
            byte[] body = r.readAll(ReportedIdentities.MAX_LIST);
            return r.status() == 200 ? ReportedIdentities.parse(body, "models", "name", ReportedIdentities.OLLAMA_FIELDS) : null;
        } catch (UpstreamFailure | IOException f) {
            return null;
        }
    }

    @Override
    public void close() { http.close(); }
}
