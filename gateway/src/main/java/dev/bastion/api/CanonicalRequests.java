package dev.bastion.api;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.List;
import java.util.Set;

/**
 * One spelling per request, checked before any route: a path-filtering proxy in front of Bastion and Bastion itself
 * must never read one request as two different routes. Refused (400 {@code invalid_request_target}): absolute-form
 * and any target not starting with {@code /}, a fragment, empty ({@code //}) or dot segments (also percent-encoded),
 * an encoded {@code /} or {@code \}, a percent-encoded unreserved character (which has a shorter spelling), a
 * {@code ;} parameter, any character outside RFC 3986 {@code pchar}. {@code Host} must be sent exactly once with a
 * valid value (RFC 9112 §3.2: 400 {@code invalid_header}). A method Bastion does not implement is 501
 * {@code not_implemented} (RFC 9110 §9.1). One pass over the target, no regular expressions: it runs on every request.
 */
public final class CanonicalRequests implements Filter {
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Problem p = check(req.prologue(), req.headers().all(HeaderNames.HOST, List::of));
        if (p != null) {
            res.header(HeaderNames.CONNECTION, "close");
            res.header(HelidonResponseSink.REQUEST_ID, RequestIds.next());
            Responses.problem(res, p);
            return;
        }
        chain.proceed();
    }

    /** Null when the request line and Host are canonical; otherwise why not. */
    public static Problem check(HttpPrologue prologue, List<String> hosts) {
        if (!METHODS.contains(prologue.method().text())) {
            return ErrorCode.NOT_IMPLEMENTED.problem("method not implemented");
        }
        if (prologue.fragment().hasValue()) return target("a request target has no fragment");
        String path = prologue.uriPath().rawPath();
        String why = pathProblem(path);
        if (why != null) return target(why);
        if (hosts.isEmpty()) return ErrorCode.INVALID_HEADER.problem("Host is required", "Host");
        if (hosts.size() > 1) return ErrorCode.INVALID_HEADER.problem("Host must be sent once", "Host");
        if (!validHost(hosts.getFirst())) return ErrorCode.INVALID_HEADER.problem("Host is not a valid host", "Host");
        return null;
    }

    /** Null when {@code raw} is an origin-form path in Bastion's one canonical spelling. */
    static String pathProblem(String raw) {
        if (raw.isEmpty() || raw.charAt(0) != '/') return "the request target must be a path starting with /";
        int segmentStart = 1;
        for (int i = 1; i <= raw.length(); i++) {
            boolean end = i == raw.length();
            if (end || raw.charAt(i) == '/') {
                int len = i - segmentStart;
                // an empty last segment (a trailing slash) is another resource, not another spelling: routes decide
                if (len == 0 && !end) return "empty path segment (//)";
                if (len == 1 && raw.charAt(segmentStart) == '.'
                        || len == 2 && raw.charAt(segmentStart) == '.' && raw.charAt(segmentStart + 1) == '.') {
                    return "dot segment in path";
                }
                segmentStart = i + 1;
                continue;
            }
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) return "truncated percent-encoding";
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return "invalid percent-encoding";
                int b = hi * 16 + lo;
                if (b == '/' || b == '\\') return "encoded slash or backslash in path";
                if (b < 0x20 || b == 0x7f) return "encoded control character in path";
                if (unreserved(b)) return "percent-encoded unreserved character (it has a plain spelling)";
                i += 2;
            } else if (!pchar(c)) {
                return c == ';' ? "path parameters (;) are not accepted" : "character not allowed in a path";
            }
        }
        return null;
    }

    private static boolean unreserved(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    /** RFC 3986 pchar without '%' (handled by the caller) and without ';' (matrix parameters change routing). */
    private static boolean pchar(char c) {
        return unreserved(c) || c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*'
                || c == '+' || c == ',' || c == '=' || c == ':' || c == '@';
    }

    /** {@code host[:port]}: a registered name, IPv4 or bracketed IPv6 literal; port digits only. */
    static boolean validHost(String h) {
        if (h.isEmpty() || h.length() > 255) return false;
        int end = h.length();
        int colon = h.lastIndexOf(':');
        int bracket = h.lastIndexOf(']');
        if (colon > bracket) {
            if (colon == h.length() - 1 || h.length() - colon - 1 > 5) return false;
            for (int i = colon + 1; i < h.length(); i++) if (h.charAt(i) < '0' || h.charAt(i) > '9') return false;
            end = colon;
        }
        if (end == 0) return false;
        if (h.charAt(0) == '[') {
            if (h.charAt(end - 1) != ']' || end < 3) return false;
            for (int i = 1; i < end - 1; i++) {
                char c = h.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) return false;
            }
            return true;
        }
        for (int i = 0; i < end; i++) {
            char c = h.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~')) {
                return false;
            }
        }
        return true;
    }

    private static Problem target(String why) {
        return ErrorCode.INVALID_REQUEST_TARGET.problem("request target is not canonical: " + why);
    }
}
