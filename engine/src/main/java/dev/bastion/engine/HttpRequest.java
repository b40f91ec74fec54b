package dev.bastion.engine;

import java.util.Map;

/**
 * One parsed HTTP/1.1 request.
 *
 * @param headers lower-cased names; a repeated header keeps its last value (the parser refuses repeated
 *                Content-Length)
 */
record HttpRequest(String method, String path, Map<String, String> headers, byte[] body) {

    String header(String name) { return headers.get(name); }

    boolean keepAlive() {
        String c = headers.get("connection");
        return c == null || !c.toLowerCase(java.util.Locale.ROOT).contains("close");
    }
}
