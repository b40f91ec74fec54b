package dev.bastion.backend;

import dev.bastion.config.BackendSettings;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.ProblemException;

import dev.bastion.egress.EgressGate;
import dev.bastion.egress.TlsLayer;
import java.io.IOException;

/** Any OpenAI-compatible server: vLLM, llama.cpp server, TGI, LocalAI, NIM. Requests and answers pass through. */
public final class OpenAiBackend implements ModelBackend {
    static final int MAX_ANSWER = 64 * 1024 * 1024;
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final String name;
    private final HttpUpstream http;

    /** Over TCP (TLS when the URL is https); every connection goes through {@code gate}. */
    public OpenAiBackend(BackendSettings settings, TlsLayer tls, EgressGate gate) {
        this(settings, tls, gate, null);
    }

    /**
     * An OpenAI-compatible server behind a Unix-domain socket (the local engine worker): requests go to the socket,
     * the URL only supplies the base path.
     */
    public static OpenAiBackend overUnixSocket(BackendSettings settings, java.nio.file.Path socket) {
        return new OpenAiBackend(settings, null, null, socket);
    }

    private OpenAiBackend(BackendSettings settings, TlsLayer tls, EgressGate gate, java.nio.file.Path socket) {
        this.name = settings.name();
        this.http = new HttpUpstream(settings.name(), settings.url(), settings.apiKey(), settings.connectTimeout(),
                settings.readTimeout(), settings.maxConnections(), tls, gate, socket);
    }

    @Override
    public String name() { return name; }

    @Override
    public UpstreamRequest prepare(ModelRequest request, String upstreamModel) {
        return new UpstreamRequest(request, "/" + request.operation().path(),
                UpstreamBodies.forOpenAi(request, upstreamModel), request.stream());
    }

    @Override
    public BackendAnswer send(UpstreamRequest prepared) {
        UpstreamResponse response;
        try {
            response = http.post(prepared.path(), prepared.body(), prepared.stream());
        } catch (UpstreamFailure f) {
            throw new ProblemException(f.problem());
        }
        return answer(http, response, prepared.stream());
    }

    /** Turns a response into an answer or a mapped problem; shared with other OpenAI-speaking transports. */
    static BackendAnswer answer(HttpUpstream http, UpstreamResponse response, boolean stream) {
        boolean handedOver = false;
        try {
            if (response.status() != 200) {
                byte[] error = readQuietly(response, MAX_ERROR_BODY);
                throw new ProblemException(UpstreamErrors.problemFor(http.backendName(), response.status(), error,
                        response.header("retry-after")));
            }
            String type = response.header("content-type");
            if (stream && type != null && type.startsWith("text/event-stream")) {
                handedOver = true;
                return new BackendAnswer.Events(new SseEventStream(response));
            }
            if (stream) {
                throw new ProblemException(dev.bastion.pipeline.ErrorCode.BACKEND_ERROR.problem(
                        "backend '" + http.backendName() + "' answered a stream request without an event stream"));
            }
            return new BackendAnswer.Complete(response.readAll(MAX_ANSWER));
        } catch (IOException e) {
            response.abort();
            throw new ProblemException(e instanceof java.net.SocketTimeoutException
                    ? dev.bastion.pipeline.ErrorCode.BACKEND_TIMEOUT.problem(
                            "backend '" + http.backendName() + "' stopped sending its answer")
                    : dev.bastion.pipeline.ErrorCode.BACKEND_ERROR.problem(
                            "backend '" + http.backendName() + "' sent a broken answer"));
        } finally {
            if (!handedOver) response.close();
        }
    }

    private static byte[] readQuietly(UpstreamResponse response, int max) {
        try {
            return response.readAll(max);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @Override
    public boolean probe() {
        try (UpstreamResponse r = http.get("/models")) {
            readQuietly(r, MAX_ERROR_BODY);
            return r.status() == 200;
        } catch (UpstreamFailure f) {
            return false;
        }
    }

    @Override
    public java.util.Map<String, java.util.Set<String>> reportedIdentities() {
        try (UpstreamResponse r = http.get("/models")) {
            byte[] body = r.readAll(ReportedIdentities.MAX_LIST);
            return r.status() == 200 ? ReportedIdentities.parse(body, "data", "id", ReportedIdentities.OPENAI_FIELDS) : null;
        } catch (UpstreamFailure | IOException f) {
            return null;
        }
    }

    @Override
    public void close() { http.close(); }
}
