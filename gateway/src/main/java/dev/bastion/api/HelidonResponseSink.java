package dev.bastion.api;

import dev.bastion.audit.AuditIndex;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ResponseSink;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Header;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.io.OutputStream;

/** Writes an exchange's answer to Helidon, adding the {@code X-Bastion-*} headers every response carries. */
final class HelidonResponseSink implements ResponseSink {
    static final HeaderName REQUEST_ID = HeaderNames.create("X-Bastion-Request-Id");
    static final HeaderName AUDIT_INDEX = HeaderNames.create("X-Bastion-Audit-Index");
    private static final Header JSON = HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json");
    private static final Header EVENT_STREAM = HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/event-stream");
    private static final Header NO_CACHE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-cache");
    private static final Header NO_BUFFERING = HeaderValues.create(HeaderNames.create("X-Accel-Buffering"), "no");

    private final Exchange exchange;
    private final ServerResponse response;
    private final ProblemPage problemPage;
    private boolean committed;

    HelidonResponseSink(Exchange exchange, ServerResponse response) {
        this(exchange, response, null);
    }

    HelidonResponseSink(Exchange exchange, ServerResponse response, ProblemPage problemPage) {
        this.exchange = exchange;
        this.response = response;
        this.problemPage = problemPage;
    }

    @Override
    public void sendJson(int status, byte[] body) {
        head(status).header(JSON);
        response.send(body);
    }

    @Override
    public void send(int status, String contentType, byte[] body) {
        head(status).header(HeaderNames.CONTENT_TYPE, contentType);
        response.send(body);
    }

    /** The connection was already answered and closed (a body deadline's 408): nothing may be written. */
    private boolean abandoned;

    /** After the chain: a connection the body deadline already answered (408) and closed gets nothing more written. */
    void closeIfAbandoned() {
        if (abandoned) throw new io.helidon.webserver.CloseConnectionException("answered by the body deadline");
    }

    @Override
    public void sendProblem(Problem problem) {
        if (problem.details().containsKey(BoundedBody.ANSWERED)) {
            committed = true;
            abandoned = true;
            return;
        }
        Reply page = problemPage == null ? null : problemPage.render(exchange, problem);
        if (page != null) {
            head(page.status());
            page.headers().forEach(this::header);
            response.header(HeaderNames.CONTENT_TYPE, page.contentType());
            response.send(page.body());
            return;
        }
        head(problem.status());
        Responses.problem(response, problem);
    }

    @Override
    public OutputStream openEventStream() {
        head(200).header(EVENT_STREAM).header(NO_CACHE).header(NO_BUFFERING);
        return response.outputStream();
    }

    @Override
    public boolean committed() { return committed; }

    /** Adds a header to the answer not yet sent (admin replies: cache control of audit tiles). */
    void header(String name, String value) {
        response.header(HeaderNames.create(name), value);
    }

    private ServerResponse head(int status) {
        committed = true;
        response.status(Status.create(status));
        response.header(REQUEST_ID, exchange.requestId());
        AuditIndex index = exchange.get(AuditIndex.class);
        if (index != null) response.header(AUDIT_INDEX, Long.toString(index.leaf()));
        return response;
    }
}
