package dev.bastion.api;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemJson;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Errors raised before routing (malformed request line, oversized headers or body) and unknown routes, answered in
 * the same OpenAI error shape as everything else instead of the web server's plain-text pages.
 */
public final class ErrorPages {
    /** Paths that exist, for telling 405 (wrong method) from 404. */
    private static final Set<String> KNOWN = Set.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings",
            "/v1/models", "/bastion/v1/keys", "/healthz", "/readyz", "/metrics",
            "/bastion/v1/policy", "/bastion/v1/policy/reload", "/bastion/v1/policy/simulate", "/bastion/v1/inspect",
            "/bastion/v1/operator/status", "/bastion/v1/operator/init", "/bastion/v1/operator/unseal",
            "/bastion/v1/operator/seal", "/bastion/v1/operator/rotate", "/bastion/v1/operator/rewrap",
            "/bastion/v1/audit/proof/inclusion", "/bastion/v1/audit/proof/consistency");

    /** Routes with one path parameter: {@code /v1/models/{id}}, {@code /bastion/v1/keys/{id}}. */
    private static final Pattern ONE_SEGMENT = Pattern.compile("/(v1/models|bastion/v1/keys)/[^/]+");

    private ErrorPages() {}

    public static DirectHandlers directHandlers() {
        DirectHandler handler = (request, type, status, headers, message) -> {
            Problem p = switch (status.code()) {
                case 413 -> ErrorCode.BODY_TOO_LARGE.problem("request body is too large");
                case 431 -> ErrorCode.HEADERS_TOO_LARGE.problem("request headers are too large");
                case 408 -> ErrorCode.REQUEST_TIMEOUT.problem("request was not received in time");
                case 414 -> ErrorCode.URI_TOO_LONG.problem("request line is too long");
                case 501 -> ErrorCode.NOT_IMPLEMENTED.problem("transfer coding not implemented (only chunked)");
                case 505 -> ErrorCode.HTTP_VERSION_NOT_SUPPORTED.problem("only HTTP/1.1 is supported");
                default -> status.code() >= 500 ? connectionLevel(type, request)
                        : ErrorCode.INVALID_HEADER.problem("malformed HTTP request");
            };
            return DirectHandler.TransportResponse.builder()
                    .status(Status.create(p.status()))
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HelidonResponseSink.REQUEST_ID, RequestIds.next())
                    .keepAlive(false)
                    .entity(ProblemJson.render(p))
                    .build();
        };
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (DirectHandler.EventType t : DirectHandler.EventType.values()) b.addHandler(t, handler);
        return b.build();
    }

    /**
     * A failure before any route ran. With no request line parsed (the web server reports an empty request), it came
     * from the client's bytes — a method that is not a token ({@code X<b>M</b>}), an unparseable line — and is a
     * 400, not a server error (Helidon 4.5 reports those as internal errors with a stack trace). Anything else stays
     * a 500: a real fault must not be hidden.
     */
    private static Problem connectionLevel(DirectHandler.EventType type, DirectHandler.TransportRequest request) {
        if (type == DirectHandler.EventType.INTERNAL_ERROR && request.method().isEmpty()) {
            return ErrorCode.MALFORMED_REQUEST.problem("malformed HTTP request line");
        }
        return ErrorCode.INTERNAL.problem("internal error");
    }

    /** Registered last: anything no route matched. */
    public static void registerFallback(HttpRouting.Builder routing) {
        routing.any(Responses.guarded((req, res) -> {
            String path = req.path().path();
            boolean known = KNOWN.contains(path) || ONE_SEGMENT.matcher(path).matches();
            Responses.problem(res, known && req.prologue().method() != Method.OPTIONS
                    ? ErrorCode.METHOD_NOT_ALLOWED.problem("method " + req.prologue().method().text()
                            + " is not allowed here")
                    : ErrorCode.NOT_FOUND.problem("no such route"));
        }));
    }
}
