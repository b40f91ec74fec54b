package dev.bastion.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.pipeline.ProblemJson;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Helpers for Bastion's non-pipeline routes: JSON answers, and a wrapper that turns a {@link ProblemException}
 * into its error body and anything unexpected into a logged 500 without details.
 */
public final class Responses {
    private static final Logger LOG = Logger.getLogger(Responses.class.getName());
    static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {}

    /** Wraps a route so every response has a request id and every failure the OpenAI error shape. */
    public static Handler guarded(Handler handler) {
        return (req, res) -> {
            res.header(HelidonResponseSink.REQUEST_ID, RequestIds.next());
            try {
                handler.handle(req, res);
            } catch (ProblemException e) {
                if (!res.isSent()) problem(res, e.problem());
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "route " + req.path().path() + " failed: " + e.getClass().getName());
                if (!res.isSent()) problem(res, ErrorCode.INTERNAL.problem("internal error"));
            }
        };
    }

    public static void json(ServerResponse res, int status, Object body) {
        try {
            res.status(Status.create(status));
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response is not serialisable", e);
        }
    }

    public static void problem(ServerResponse res, Problem problem) {
        res.status(Status.create(problem.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        String retryAfter = problem.details().get("retry_after");
        if (retryAfter != null) res.header(HeaderNames.RETRY_AFTER, retryAfter);
        if (problem.status() == 401) res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        // the body was not (fully) read, so the connection cannot carry another request: say so
        if (problem.status() == 413 || problem.status() == 408 || problem.code() == ErrorCode.MALFORMED_REQUEST) {
            res.header(HeaderNames.CONNECTION, "close");
        }
        res.send(ProblemJson.render(problem));
    }
}
