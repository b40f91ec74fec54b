package dev.bastion.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The JSON layout of each entry kind (snake_case, absent rather than null), canonicalised per RFC 8785. */
final class EntryJson {
    static final int MAX_ENTRY_BYTES = 0xFFFF;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private EntryJson() {}

    static byte[] encode(AuditEntry entry) {
        ObjectNode o = F.objectNode();
        o.put("kind", entry.kind());
        o.put("time", time(entry.time()));
        switch (entry) {
            case RequestEntry r -> {
                o.put("request_id", r.requestId());
                o.set("principal", actor(r.principal()));
                putIf(o, "client", r.clientAddress());
                o.put("action", r.action());
                o.set("model", model(r.model()));
                putIf(o, "purpose", r.purpose());
                if (!r.subjects().isEmpty()) o.set("subjects", array(r.subjects()));
                putIf(o, "classification", r.classification());
                if (r.decision() != null) o.set("decision", decision(r.decision()));
                if (!r.findings().isEmpty()) o.set("findings", counts(r.findings()));
                o.put("stream", r.stream());
                if (!r.sent().isEmpty()) {
                    var sent = o.putArray("sent");
                    for (SentBody b : r.sent()) {
                        sent.addObject().put("backend", b.backend()).put("bytes", b.bytes()).put("sha256", b.sha256());
                    }
                }
            }
            case CompleteEntry c -> {
                o.put("request_id", c.requestId());
                o.put("accept_index", c.acceptIndex());
                o.put("status", c.status());
                o.put("outcome", c.outcome());
                putIf(o, "error_code", c.errorCode());
                if (c.promptTokens() >= 0 || c.completionTokens() >= 0) {
                    ObjectNode t = o.putObject("tokens");
                    if (c.promptTokens() >= 0) t.put("prompt", c.promptTokens());
                    if (c.completionTokens() >= 0) t.put("completion", c.completionTokens());
                }
                o.put("latency_ms", c.latencyMillis());
                if (!c.findings().isEmpty()) o.set("findings", counts(c.findings()));
                putIf(o, "backend", c.backend());
                if (c.fallbacks() > 0) o.put("fallbacks", c.fallbacks());
            }
            case RefusedEntry r -> {
                o.put("request_id", r.requestId());
                if (r.principal() != null) o.set("principal", actor(r.principal()));
                putIf(o, "client", r.clientAddress());
                putIf(o, "action", r.action());
                if (r.model() != null) o.set("model", model(r.model()));
                o.put("status", r.status());
                o.put("error_code", r.errorCode());
                if (r.decision() != null) o.set("decision", decision(r.decision()));
                if (!r.findings().isEmpty()) o.set("findings", counts(r.findings()));
                if (!r.subjects().isEmpty()) o.set("subjects", array(r.subjects()));
            }
            case RefusalWindowEntry w -> {
                ObjectNode window = o.putObject("window");
                window.put("from", time(w.from()));
                window.put("to", time(w.to()));
                o.put("count", w.count());
                o.set("by_code", counts(w.byErrorCode()));
                o.set("by_client", counts(w.byClient()));
                if (w.otherClients() > 0) o.put("other_clients", w.otherClients());
            }
            case AdminEntry a -> {
                putIf(o, "request_id", a.requestId());
                o.set("principal", actor(a.principal()));
                putIf(o, "client", a.clientAddress());
                o.put("action", a.action());
                putIf(o, "target", a.target());
                putIf(o, "policy_digest", a.policyDigest());
                if (!a.settings().isEmpty()) o.set("settings", array(a.settings()));
                o.put("outcome", a.outcome());
            }
            case ErasureEntry e -> {
                o.put("request_id", e.requestId());
                o.set("principal", actor(e.principal()));
                putIf(o, "client", e.clientAddress());
                // a string: subject key ids are 63-bit, beyond what a JSON number holds exactly (RFC 8785)
                if (e.keyId() >= 0) o.put("key_id", Long.toString(e.keyId()));
                o.set("counts", counts(e.counts()));
                o.put("outcome", e.outcome());
            }
            case RetentionEntry r -> {
                o.put("rule", r.rule());
                o.put("data", r.data());
                putIf(o, "purpose", r.purpose());
                putIf(o, "classification", r.classification());
                o.put("cutoff", time(r.cutoff()));
                o.put("removed", r.removed());
                o.put("method", r.method());
                o.put("digest", r.digest());
            }
            case ModelEntry m -> {
                putIf(o, "request_id", m.requestId());
                o.set("principal", actor(m.principal()));
                o.put("action", m.action());
                o.put("entry", m.entry());
                putIf(o, "from_state", m.fromState());
                putIf(o, "to_state", m.toState());
                putIf(o, "artifact_digest", m.artifactDigest());
                putIf(o, "card_digest", m.cardDigest());
                if (!m.evidence().isEmpty()) o.set("evidence", array(m.evidence()));
            }
            case EgressManifestEntry m -> {
                o.put("reason", m.reason());
                o.put("mode", m.mode());
                o.put("version", m.version());
                o.set("allow", array(m.allow()));
                var list = F.arrayNode(m.destinations().size());
                for (EgressManifestEntry.Destination d : m.destinations()) {
                    list.addObject().put("purpose", d.purpose()).put("scheme", d.scheme()).put("host", d.host())
                            .put("port", d.port()).put("allowed", d.allowed());
                }
                o.set("destinations", list);
            }
            case QuotaEntry q -> {
                o.put("rule", q.rule());
                o.put("limit", q.limit());
                o.put("scope", q.scope());
                o.put("window_start", time(q.windowStart()));
                o.put("threshold", q.threshold());
                o.put("limit_value", q.limitValue());
                o.put("used", q.used());
            }
            case RetrievalEntry r -> {
                o.put("request_id", r.requestId());
                o.set("principal", actor(r.principal()));
                putIf(o, "client", r.client());
                putIf(o, "purpose", r.purpose());
                putIf(o, "model", r.model());
                o.set("collections", array(r.collections()));
                o.put("unavailable", r.unavailable());
                putIf(o, "max_classification", r.maxClassification());
                o.set("documents", array(r.documents()));
                o.put("chunks", r.chunks());
            }
        }
        byte[] bytes = CanonicalJson.encode(o);
        if (bytes.length > MAX_ENTRY_BYTES) throw new IllegalArgumentException("audit entry exceeds 65535 bytes");
        return bytes;
    }

    static String time(Instant t) {
        return TIME.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    private static void putIf(ObjectNode o, String field, String value) {
        if (value != null) o.put(field, value);
    }

    private static ObjectNode actor(Actor a) {
        ObjectNode p = F.objectNode();
        p.put("id", a.id());
        p.set("roles", array(a.roles()));
        p.put("auth", a.authMethod());
        return p;
    }

    private static ObjectNode model(ModelRoute m) {
        ObjectNode n = F.objectNode();
        n.put("alias", m.alias());
        putIf(n, "upstream", m.upstreamModel());
        putIf(n, "backend", m.backend());
        putIf(n, "artifact_digest", m.artifactDigest());
        putIf(n, "attestation", m.attestationDigest());
        return n;
    }

    private static ObjectNode decision(PolicyDecision d) {
        ObjectNode n = F.objectNode();
        n.put("effect", d.effect());
        n.set("rules", array(d.ruleIds()));
        n.set("obligations", array(d.obligations()));
        return n;
    }

    private static ObjectNode counts(Map<String, Long> counts) {
        ObjectNode n = F.objectNode();
        counts.forEach(n::put);
        return n;
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode array(List<String> values) {
        var a = F.arrayNode(values.size());
        values.forEach(a::add);
        return a;
    }
}
