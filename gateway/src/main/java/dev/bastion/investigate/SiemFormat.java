package dev.bastion.investigate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * How an audit entry reads to a SIEM. Every message carries the log's origin and the entry's leaf index, so a
 * receiver can check it against the log (and drop a duplicate delivered again after a lost connection).
 * <ul>
 *   <li>{@code rfc5424}: a syslog message (facility 13, log audit), structured data
 *       {@code [bastion@32473 origin= index= kind=]}, the entry's canonical JSON as the message;</li>
 *   <li>{@code cef}: ArcSight CEF:0 with the entry's fields as extensions (the text of a syslog message on the
 *       wire);</li>
 *   <li>{@code json}: {@code {"origin","index","entry"}} on one line.</li>
 * </ul>
 */
public final class SiemFormat {
    /** Private enterprise number 32473 is reserved for documentation (RFC 5612); ours until one is assigned. */
    static final String SD_ID = "bastion@32473";
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Kind { RFC5424, CEF, JSON }

    private final Kind kind;
    private final String origin;
    private final String hostname;
    private final String appName;

    public SiemFormat(Kind kind, String origin, String hostname, String appName) {
        this.kind = kind;
        this.origin = origin;
        this.hostname = printable(hostname, 255);
        this.appName = printable(appName, 48);
    }

    /** The message body (what goes on one line of a file, or inside a syslog frame). */
    public String body(long index, byte[] entry) {
        JsonNode n = parse(entry);
        return switch (kind) {
            case JSON -> {
                ObjectNode o = JSON.createObjectNode();
                o.put("origin", origin);
                o.put("index", index);
                o.set("entry", n);
                yield o.toString();
            }
            case CEF -> cef(index, n);
            case RFC5424 -> new String(entry, StandardCharsets.UTF_8);
        };
    }

    /** A complete RFC 5424 message whose MSG is {@link #body}. */
    public String syslog(long index, byte[] entry) {
        JsonNode n = parse(entry);
        String shortKind = SearchIndexer.shortKind(n.path("kind").asText());
        String time = n.path("time").isTextual() ? n.path("time").asText() : Instant.EPOCH.toString();
        int pri = 13 * 8 + severity(shortKind, n);
        return "<" + pri + ">1 " + time + " " + hostname + " " + appName + " - " + printable(shortKind, 32)
                + " [" + SD_ID + " origin=\"" + sdValue(origin) + "\" index=\"" + index + "\" kind=\""
                + sdValue(n.path("kind").asText()) + "\"] " + body(index, entry);
    }

    /** Syslog severity: warning for refusals and forbids, notice for erasure and retention, else informational. */
    static int severity(String shortKind, JsonNode n) {
        if ("refused".equals(shortKind) || "refusal_window".equals(shortKind)
                || "forbid".equals(n.path("decision").path("effect").asText())) return 4;
        if ("erasure".equals(shortKind) || "retention".equals(shortKind)) return 5;
        return 6;
    }

    private String cef(long index, JsonNode n) {
        String shortKind = SearchIndexer.shortKind(n.path("kind").asText());
        int severity = switch (severity(shortKind, n)) {
            case 4 -> 6;
            case 5 -> 4;
            default -> 2;
        };
        StringBuilder ext = new StringBuilder();
        ext(ext, "rt", n.path("time").isTextual() ? epochMillis(n.path("time").asText()) : null);
        ext(ext, "externalId", text(n.path("request_id")));
        ext(ext, "suser", text(n.path("principal").path("id")));
        ext(ext, "src", text(n.path("client")));
        ext(ext, "act", text(n.path("action")));
        ext(ext, "outcome", text(n.path("outcome")) != null ? text(n.path("outcome")) : text(n.path("decision").path("effect")));
        ext(ext, "reason", text(n.path("error_code")));
        String[][] custom = {{"cs1", "model", text(n.path("model").path("alias"))},
                {"cs2", "purpose", text(n.path("purpose"))}, {"cs3", "classification", text(n.path("classification"))},
                {"cs4", "origin", origin}};
        for (String[] c : custom) {
            if (c[2] == null) continue;
            ext(ext, c[0] + "Label", c[1]);
            ext(ext, c[0], c[2]);
        }
        ext(ext, "cn1Label", "leafIndex");
        ext(ext, "cn1", Long.toString(index));
        ext(ext, "msg", n.toString());
        return "CEF:0|Bastion|Bastion|1|" + header(shortKind) + "|" + header(n.path("kind").asText()) + "|"
                + severity + "|" + ext.toString().stripTrailing();
    }

    private static String epochMillis(String time) {
        try {
            return Long.toString(Instant.parse(time).toEpochMilli());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void ext(StringBuilder sb, String key, String value) {
        if (value == null) return;
        sb.append(key).append('=').append(value.replace("\\", "\\\\").replace("=", "\\=")
                .replace("\r", "\\r").replace("\n", "\\n")).append(' ');
    }

    private static String header(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    private static String sdValue(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]");
    }

    /** RFC 5424 header fields: printable US-ASCII without spaces, "-" when empty. */
    static String printable(String s, int max) {
        if (s == null || s.isEmpty()) return "-";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c > 0x20 && c < 0x7F ? c : '_');
        }
        return b.toString();
    }

    private static String text(JsonNode n) { return n.isTextual() ? n.asText() : null; }

    private static JsonNode parse(byte[] entry) {
        try {
            return JSON.readTree(entry);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
