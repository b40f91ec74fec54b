package dev.bastion.hostile;

import java.util.ArrayList;
import java.util.List;

import static dev.bastion.hostile.HostileCase.passes;
import static dev.bastion.hostile.HostileCase.refused;

/** HTTP framing (RFC 9110/9112): request line, transfer codings, lengths, chunks, header syntax, targets, Host. */
final class FramingCases {
    private FramingCases() {}

    private static final String C = "framing";

    /** A POST to the chat route by the developer with {@code headers} (lines ending CRLF) and a raw {@code body}. */
    private static HostileCase.Request chat(String headers, String body) {
        return f -> f.raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                + f.developer + "\r\nContent-Type: application/json\r\n" + headers + "\r\n" + body);
    }

    private static HostileCase.Request line(String requestLine) {
        return f -> f.raw(requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    static List<HostileCase> all() {
        List<HostileCase> c = new ArrayList<>();
        // transfer codings and lengths
        c.add(refused(C, "Transfer-Encoding: gzip, chunked", 501, "not_implemented", chat("Transfer-Encoding: gzip, chunked\r\n", "2\r\n{}\r\n0\r\n\r\n")));
        c.add(refused(C, "Transfer-Encoding: deflate, chunked", 501, "not_implemented", chat("Transfer-Encoding: deflate, chunked\r\n", "2\r\n{}\r\n0\r\n\r\n")));
        c.add(refused(C, "Transfer-Encoding: gzip (not chunked last)", 400, "invalid_header", chat("Transfer-Encoding: gzip\r\n", "{}")));
        c.add(refused(C, "Transfer-Encoding: chunked, chunked", 400, "invalid_header", chat("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n")));
        c.add(refused(C, "Transfer-Encoding: identity", 400, "invalid_header", chat("Transfer-Encoding: identity\r\n", "{}")));
        c.add(refused(C, "Transfer-Encoding and Content-Length", 400, "invalid_header", chat("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n")));
        c.add(refused(C, "Content-Length negative", 400, "invalid_header", chat("Content-Length: -1\r\n", "")));
        c.add(refused(C, "Content-Length not a number", 400, "invalid_header", chat("Content-Length: 1e3\r\n", "")));
        c.add(refused(C, "Content-Length twice, different", 400, "invalid_header", chat("Content-Length: 2\r\nContent-Length: 3\r\n", "{}")));
        c.add(refused(C, "Content-Length beyond the body limit", 413, "body_too_large", chat("Content-Length: 99999999999\r\n", "")));
        c.add(refused(C, "chunk size ffffffffffffffff", 400, "malformed_request", chat("Transfer-Encoding: chunked\r\n", "ffffffffffffffff\r\nabc")));
        c.add(refused(C, "chunk size ffffffff (negative as int)", 400, "malformed_request", chat("Transfer-Encoding: chunked\r\n", "ffffffff\r\nabc")));
        c.add(refused(C, "chunk size 100000000 (over 32 bits)", 400, "malformed_request", chat("Transfer-Encoding: chunked\r\n", "100000000\r\nabc")));
        c.add(refused(C, "chunk size not hex", 400, "malformed_request", chat("Transfer-Encoding: chunked\r\n", "zz\r\n{}\r\n0\r\n\r\n")));
        c.add(refused(C, "chunk size empty", 400, "malformed_request", chat("Transfer-Encoding: chunked\r\n", "\r\n{}\r\n0\r\n\r\n")));
        c.add(refused(C, "a chunk extension (the web server does not parse them)", 400, "malformed_request", chat("Transfer-Encoding: chunked\r\n", "2;ext=1\r\n{}\r\n0\r\n\r\n")));
        c.add(refused(C, "chunked body over the limit", 413, "body_too_large", chat("Transfer-Encoding: chunked\r\n", "40001\r\n" + "a".repeat(0x40001) + "\r\n0\r\n\r\n")));
        // request line
        c.add(refused(C, "method with markup", 400, "malformed_request", line("X<b>M</b> /v1/models HTTP/1.1")));
        c.add(refused(C, "method with a slash", 400, "malformed_request", line("GE/T /v1/models HTTP/1.1")));
        c.add(refused(C, "unknown method", 501, "not_implemented", line("FROB /v1/models HTTP/1.1")));
        c.add(refused(C, "TRACE", 501, "not_implemented", line("TRACE /v1/models HTTP/1.1")));
        c.add(refused(C, "CONNECT", 501, "not_implemented", line("CONNECT evil.example:443 HTTP/1.1")));
        // the web server upper-cases method names before Bastion sees them: "get" is served as GET
        c.add(refused(C, "lower-case method (read as GET)", 401, "missing_credentials", line("get /v1/models HTTP/1.1")));
        c.add(refused(C, "HTTP/1.0", 505, "http_version_not_supported", line("GET /v1/models HTTP/1.0")));
        c.add(refused(C, "HTTP/2.0 on the HTTP/1 listener", 400, "invalid_header", line("GET /v1/models HTTP/2.0")));
        c.add(refused(C, "no version", 400, "invalid_header", f -> f.raw("GET /v1/models\r\nHost: x\r\n\r\n")));
        c.add(refused(C, "request line over 8 KiB", 414, "uri_too_long", line("GET /v1/models?" + "q".repeat(9000) + " HTTP/1.1")));
        c.add(refused(C, "two spaces before the target", 400, "invalid_header", line("GET  /v1/models HTTP/1.1")));
        // header syntax
        c.add(refused(C, "bare LF line ends", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\nHost: x\n\n")));
        c.add(refused(C, "header line without a colon", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: x\r\nBroken\r\n\r\n")));
        c.add(refused(C, "space before the colon", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost : x\r\n\r\n")));
        c.add(refused(C, "obsolete line folding", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n")));
        c.add(refused(C, "NUL in a header value", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n")));
        c.add(refused(C, "header block over the limit", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "z".repeat(100_000) + "\r\n\r\n")));
        // request targets: one canonical spelling
        for (String[] t : new String[][] {{"double slash at the start", "//v1/models"}, {"empty segment", "/v1//models"},
                {"dot segment", "/v1/./models"}, {"dot-dot segment", "/v1/x/../models"}, {"encoded dot-dot", "/v1/%2e%2e/models"},
                {"encoded slash", "/v1%2fmodels"}, {"encoded backslash", "/v1%5Cmodels"}, {"path parameter", "/v1/models;x=1"},
                {"encoded unreserved letter", "/v1/%6dodels"}, {"encoded NUL", "/v1/models%00"},
                {"absolute-form http", "http://evil.example/v1/models"},
                {"absolute-form https with port", "https://evil.example:443/v1/models"}, {"asterisk-form", "*"},
                {"fragment", "/v1/models#x"}, {"trailing dot segment", "/bastion/v1/policy/reload/."},
                {"walking up from the model API", "/v1/../bastion/v1/keys"}}) {
            c.add(refused(C, "target: " + t[0], 400, "invalid_request_target", line("GET " + t[1] + " HTTP/1.1")));
        }
        c.add(refused(C, "target: invalid percent-encoding", 400, "invalid_header", line("GET /v1/mo%zzdels HTTP/1.1")));
        c.add(refused(C, "target: truncated percent-encoding", 400, "invalid_header", line("GET /v1/models%4 HTTP/1.1")));
        c.add(refused(C, "target: raw backslash", 400, "invalid_header", line("GET /v1\\models HTTP/1.1")));
        c.add(refused(C, "target: encoded non-ASCII is canonical (then credentials are asked)", 401, "missing_credentials", line("GET /v1/models/caf%C3%A9 HTTP/1.1")));
        // Host
        c.add(refused(C, "no Host", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nConnection: close\r\n\r\n")));
        c.add(refused(C, "two Host headers", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")));
        c.add(refused(C, "Host with a space", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: a b\r\n\r\n")));
        c.add(refused(C, "Host with userinfo", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: user@evil\r\n\r\n")));
        c.add(refused(C, "Host empty", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: \r\n\r\n")));
        c.add(refused(C, "Host with a six-digit port", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: [::1]:123456\r\n\r\n")));
        c.add(refused(C, "Host with a path", 400, "invalid_header", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: evil/x\r\n\r\n")));
        c.add(refused(C, "a valid odd Host is accepted (then credentials are asked)", 401, "missing_credentials", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n")));
        // clients too slow for the deadlines
        c.add(refused(C, "headers never finished", 408, "request_timeout", f -> f.raw("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Slow: ")));
        c.add(refused(C, "body never finished", 408, "request_timeout", chat("Content-Length: 100\r\n", "{\"model\":")));
        c.add(refused(C, "chunked body never finished", 408, "request_timeout", chat("Transfer-Encoding: chunked\r\n", "10\r\n{\"model\":")));
        c.add(passes(C, "control: a plain request gets through", 200, f -> f.post("/v1/chat/completions", f.developer, HostileFixture.CHAT)));
        return c;
    }
}
