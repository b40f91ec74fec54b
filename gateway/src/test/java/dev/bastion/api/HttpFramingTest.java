package dev.bastion.api;

import dev.bastion.testing.RawHttp;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hole 8 of issue 13: HTTP edge cases get the status RFC 9110/9112 gives them and a stable code — never a 500, a
 * stack trace in the log or a hang — and a request has one canonical spelling, so a path-filtering proxy in front
 * and Bastion agree on what it is.
 */
class HttpFramingTest {
    static StandInUpstream upstream;
    static TestGateway gw;
    static final List<LogRecord> LOGGED = new ArrayList<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public synchronized void publish(LogRecord r) { LOGGED.add(r); }
        @Override
        public void flush() {}
        @Override
        public void close() {}
    };

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        gw = TestGateway.start(upstream);
        CAPTURE.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("").removeHandler(CAPTURE);
        gw.close();
        upstream.close();
    }

    static boolean webOrApi(LogRecord r) {
        String name = r.getLoggerName() == null ? "" : r.getLoggerName();
        return name.startsWith("io.helidon") || name.startsWith("dev.bastion.api");
    }

    private static RawHttp.Answer raw(String request) throws Exception {
        return RawHttp.exchange(gw.base(), request, Duration.ofSeconds(15));
    }

    private static String post(String headers, String body) throws Exception {
        return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + gw.developerKey() + "\r\n"
                + headers + "\r\n" + body;
    }

    private static void expect(RawHttp.Answer a, int status, String code) {
        assertThat(a.status()).as(a.head() + "\n" + a.body()).isEqualTo(status);
        assertThat(a.code()).isEqualTo(code);
        assertThat(a.head()).containsIgnoringCase("X-Bastion-Request-Id");
    }

    @Test
    void aTransferCodingOtherThanChunkedIs501NotA500WithAStackTrace() throws Exception {
        synchronized (CAPTURE) { LOGGED.clear(); }
        expect(raw(post("Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n", "5\r\nhello\r\n0\r\n\r\n")),
                501, "not_implemented");
        expect(raw("X<b>M</b> /v1/models HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "malformed_request");
        expect(raw("FROB /v1/models HTTP/1.1\r\nHost: x\r\n\r\n"), 501, "not_implemented");
        synchronized (CAPTURE) {
            // the web server's and the API's own log (other tests may share this JVM and log for their reasons)
            List<LogRecord> ours = LOGGED.stream().filter(HttpFramingTest::webOrApi).toList();
            assertThat(ours).as("nothing logged with a stack trace").noneMatch(r -> r.getThrown() != null);
            assertThat(ours).noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue());
        }
    }

    @Test
    void anOverflowingChunkSizeIsRefusedAtOnceNotAfterTheReadTimeout() throws Exception {
        RawHttp.Answer a = raw(post("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
                "ffffffffffffffff\r\nabc"));
        expect(a, 400, "malformed_request");
        assertThat(a.elapsed()).isLessThan(Duration.ofSeconds(1));
        expect(raw(post("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", "zz\r\n{}\r\n0\r\n\r\n")),
                400, "malformed_request");
    }

    @Test
    void slowClientsGetA408BeforeTheirConnectionIsClosed() throws Exception {
        RawHttp.Answer body = raw(post("Content-Type: application/json\r\nContent-Length: 100\r\n", "{\"model\":"));
        expect(body, 408, "request_timeout");
        assertThat(body.head()).containsIgnoringCase("Connection: close");
        RawHttp.Answer headers = raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        expect(headers, 408, "request_timeout");
    }

    @Test
    void onlyJsonIsParsedAsJson() throws Exception {
        String chat = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        for (String type : new String[] {"Content-Type: text/plain\r\n", "", "Content-Type: application/x-www-form-urlencoded\r\n",
                "Content-Type: application/json; charset=utf-16\r\n", "Content-Type: application/jsonp\r\n"}) {
            expect(raw(post(type + "Content-Length: " + chat.length() + "\r\n", chat)), 415, "unsupported_media_type");
        }
        assertThat(raw(post("Content-Type: application/json; charset=UTF-8\r\nContent-Length: " + chat.length()
                + "\r\n", chat)).status()).isEqualTo(200);
    }

    @Test
    void aRequestHasOneCanonicalSpelling() throws Exception {
        for (String target : new String[] {"//v1/chat/completions", "/v1/x/../chat/completions", "/v1/chat%2Fcompletions",
                "/v1/./chat/completions", "/v1/chat/completions;x=1", "/v1/%63hat/completions",
                "http://evil.example/v1/chat/completions", "/v1/chat/completions#frag", "*"}) {
            expect(raw("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 400, "invalid_request_target");
        }
    }

    @Test
    void hostMustBeSentExactlyOnceAndValid() throws Exception {
        expect(raw("GET /v1/models HTTP/1.1\r\n\r\n"), 400, "invalid_header");
        expect(raw("GET /v1/models HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400, "invalid_header");
        expect(raw("GET /v1/models HTTP/1.1\r\nHost: a b\r\n\r\n"), 400, "invalid_header");
        expect(raw("GET /v1/models HTTP/1.1\r\nHost: a@b\r\n\r\n"), 400, "invalid_header");
        assertThat(raw("GET /v1/models HTTP/1.1\r\nHost: x:1\r\n\r\n").status()).isEqualTo(401);
    }
}
