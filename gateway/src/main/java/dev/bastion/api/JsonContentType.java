package dev.bastion.api;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.util.List;
import java.util.Locale;

/**
 * JSON routes read JSON only when the client says it sent JSON: exactly one {@code Content-Type} of
 * {@code application/json}, optionally with {@code charset=utf-8} (RFC 8259 JSON is UTF-8). A missing type,
 * {@code text/plain} (what a browser form may send cross-site without a preflight) or any other type is 415
 * {@code unsupported_media_type} before the body is read.
 */
final class JsonContentType {
    private JsonContentType() {}

    static void require(List<String> values) {
        if (values.size() != 1 || !isJson(values.getFirst())) {
            throw new ProblemException(ErrorCode.UNSUPPORTED_MEDIA_TYPE.problem(
                    "send the body as Content-Type: application/json", "Content-Type"));
        }
    }

    static boolean isJson(String value) {
        String[] parts = value.split(";", -1);
        if (!parts[0].strip().equalsIgnoreCase("application/json")) return false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.isEmpty() && i == parts.length - 1) continue; // a trailing ';'
            int eq = p.indexOf('=');
            if (eq <= 0) return false;
            String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String v = p.substring(eq + 1).strip();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            if (!name.equals("charset") || !(v.equalsIgnoreCase("utf-8") || v.equalsIgnoreCase("utf8"))) return false;
        }
        return true;
    }
}
