package dev.bastion.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.BastionConfig;
import dev.bastion.config.PrivacySettings;
import dev.bastion.config.TlsSettings;
import dev.bastion.egress.EgressGate;
import dev.bastion.policy.Policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generated compliance records: the GDPR Art. 30(1) record of processing activities and a HIPAA §164.312
 * technical-safeguards mapping, built from the running configuration and policy. Every claim names the settings or
 * policy rules that satisfy it ({@code evidence}) or says {@code missing} — nothing is asserted that the
 * configuration does not show.
 *
 * @param entityTypes what inspection detects (the categories of personal data Bastion can act on)
 */
public record ComplianceRecords(BastionConfig config, Policy policy, String auditOrigin, Duration pseudonymTtl,
                                List<String> entityTypes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** GDPR Art. 30(1): the controller's record of processing, for the processing Bastion mediates. */
    public ObjectNode gdprArt30(Instant now) {
        ObjectNode doc = header("gdpr-art30", now);
        ArrayNode items = doc.putArray("items");
        PrivacySettings p = config.privacy();
        var c = p.controller();
        claim(items, "30(1)(a)", "Name and contact details of the controller and the data protection officer",
                c.name().isEmpty() || c.contact().isEmpty() ? "missing" : "stated",
                map("name", c.name(), "contact", c.contact(), "dpo", c.dpo()),
                List.of("privacy.controller.name", "privacy.controller.contact", "privacy.controller.dpo"));
        claim(items, "30(1)(b)", "Purposes of the processing", policy.purposes().isEmpty() ? "missing" : "stated",
                List.copyOf(new java.util.TreeSet<>(policy.purposes())), List.of("policy: purposes (" + policy.digest() + ")"));
        claim(items, "30(1)(c)", "Categories of data subjects", p.subjectCategories().isEmpty() ? "missing" : "stated",
                p.subjectCategories(), List.of("privacy.data-subject-categories"));
        claim(items, "30(1)(c)", "Categories of personal data and how each is treated before it reaches a model",
                "stated", personalData(), obligationRules());
        List<String> recipientSources = new ArrayList<>(indexed("backends", config.backends().size()));
        recipientSources.addAll(indexed("siem", p.siem().size()));
        claim(items, "30(1)(d)", "Categories of recipients (model backends; SIEM receivers of audit records)",
                config.backends().isEmpty() ? "missing" : "stated", recipients(), recipientSources);
        claim(items, "30(1)(e)", "Transfers to third countries", p.homeRegion().isEmpty() ? "missing" : "stated",
                transfers(), List.of("privacy.home-region", "backends[].region"));
        claim(items, "30(1)(f)", "Time limits for erasure of the different categories of data",
                p.retention().isEmpty() ? "missing" : "stated", retention(), p.retention().isEmpty()
                        ? List.of("privacy.retention") : indexed("privacy.retention", p.retention().size()));
        claim(items, "30(1)(g)", "Technical and organisational security measures (Art. 32(1))", "stated",
                measures(), List.of("barrier.provider", "server.tls.mode", "audit.origin", "policy"));
        return doc;
    }

    /** HIPAA §164.312 technical safeguards: each standard and implementation specification, met or not. */
    public ObjectNode hipaa164312(Instant now) {
        ObjectNode doc = header("hipaa-164.312", now);
        ArrayNode items = doc.putArray("items");
        boolean tls = config.server().tls().mode() != TlsSettings.Mode.NONE;
        boolean allBackendsTls = config.backends().stream().allMatch(b -> "https".equals(b.url().getScheme()));
        String provider = config.barrier().provider();
        boolean emergency = policy.ruleIds().stream().anyMatch(id -> id.contains("break-glass") || id.contains("emergency"));
        boolean jwt = !config.identity().issuers().isEmpty();
        safeguard(items, "164.312(a)(1)", "Access control", "required", "met",
                "every model and admin request is decided by the policy (default deny, " + policy.ruleCount() + " rules)",
                List.of("policy (" + policy.digest() + ")"));
        safeguard(items, "164.312(a)(2)(i)", "Unique user identification", "required", "met",
                "each caller is one principal: API keys" + (jwt ? ", OIDC/JWT subjects" : "")
                        + (config.server().tls().mtlsRules().isEmpty() ? "" : ", client certificates"),
                List.of("identity.issuers", "server.tls.mtls-rules", "/bastion/v1/keys"));
        safeguard(items, "164.312(a)(2)(ii)", "Emergency access procedure", "required", emergency ? "met" : "missing",
                emergency ? "a policy rule grants emergency access" : "no policy rule named break-glass or emergency",
                List.of("policy rules"));
        var console = config.console();
        String logoff = (console.enabled() ? "console sessions end after " + console.idleTimeout() + " unused and "
                + console.sessionTtl() + " in all; " : "")
                + (jwt ? "bearer tokens expire (exp enforced); " : "") + "API keys can expire";
        safeguard(items, "164.312(a)(2)(iii)", "Automatic logoff", "addressable",
                console.enabled() || jwt ? "met" : "partial", logoff,
                List.of("console.idle-timeout", "console.session-ttl", "identity.issuers", "keys: expires_at"));
        safeguard(items, "164.312(a)(2)(iv)", "Encryption and decryption", "addressable",
                "insecure-file".equals(provider) ? "partial" : "met",
                "stored secrets and personal data pass the AES-256-GCM barrier; root key protected by " + provider
                        + ("insecure-file".equals(provider) ? " (a file beside the data: development only)" : ""),
                List.of("barrier.provider"));
        var audit = config.audit();
        String witnessed = audit.witnesses().isEmpty() ? ""
                : ", each checkpoint cosigned by " + audit.witnessQuorum() + " of " + audit.witnesses().size()
                        + " independent witness(es)";
        safeguard(items, "164.312(b)", "Audit controls", "required", "met",
                "append-only Merkle log, signed checkpoints (" + auditOrigin + ")" + witnessed
                        + (config.privacy().siem().isEmpty() ? "" : ", streamed to " + config.privacy().siem().size() + " SIEM sink(s)"),
                List.of("audit.origin", "audit.checkpoint-interval", "audit.witnesses", "siem"));
        safeguard(items, "164.312(c)(1)", "Integrity", "required", "met",
                "audit entries are leaves of an RFC 6962 tree; stored values are authenticated (AES-GCM)"
                        + (audit.witnesses().isEmpty() ? "; no witnesses: a rolled-back log is caught only against a "
                        + "checkpoint kept elsewhere" : "; witnesses refuse to cosign a rolled-back or forked log"),
                List.of("audit.origin", "audit.witnesses", "audit.witness-quorum", "barrier.provider"));
        safeguard(items, "164.312(c)(2)", "Mechanism to authenticate electronic PHI", "addressable", "met",
                "each ciphertext is bound to its record path; inclusion proofs against signed checkpoints",
                List.of("barrier.provider", "/bastion/v1/audit/proof/inclusion"));
        safeguard(items, "164.312(d)", "Person or entity authentication", "required", "met",
                "API keys (keyed hashes)" + (jwt ? ", OIDC/JWT" : "")
                        + (config.server().tls().clientAuth() != TlsSettings.ClientAuth.NONE ? ", mutual TLS" : ""),
                List.of("identity.issuers", "server.tls.client-auth"));
        boolean backendsTls = allBackendsTls && !config.backends().isEmpty();
        String transmission = tls ? (allBackendsTls ? "met" : "partial") : backendsTls ? "partial" : "missing";
        String how = (tls ? "clients reach Bastion over TLS" : "the listener is plain HTTP") + "; "
                + (config.backends().isEmpty() ? "no remote backends" : allBackendsTls
                        ? "every backend is reached over TLS" : "some backends are plain HTTP")
                + "; outbound connections only to " + (config.egress().mode() == EgressGate.Mode.ALLOW_LIST
                        ? "the egress allow-list" : "declared destinations") + " through the egress gate";
        safeguard(items, "164.312(e)(1)", "Transmission security", "required", transmission, how,
                List.of("server.tls.mode", "backends[].url", "egress.mode"));
        safeguard(items, "164.312(e)(2)(i)", "Integrity controls", "addressable", transmission, how,
                List.of("server.tls.mode", "backends[].url"));
        safeguard(items, "164.312(e)(2)(ii)", "Encryption", "addressable", transmission, how,
                List.of("server.tls.mode", "backends[].tls"));
        return doc;
    }

    private ObjectNode header(String record, Instant now) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("object", "compliance.record");
        doc.put("record", record);
        doc.put("generated_at", now.toString());
        doc.put("policy_digest", policy.digest());
        doc.put("audit_origin", auditOrigin);
        return doc;
    }

    private static void claim(ArrayNode items, String article, String claim, String status, Object value,
                              List<String> evidence) {
        ObjectNode o = items.addObject();
        o.put("article", article);
        o.put("claim", claim);
        o.put("status", status);
        o.set("value", JSON.valueToTree(value));
        o.set("evidence", JSON.valueToTree(evidence));
    }

    private static void safeguard(ArrayNode items, String section, String name, String kind, String status,
                                  String how, List<String> evidence) {
        ObjectNode o = items.addObject();
        o.put("section", section);
        o.put("safeguard", name);
        o.put("specification", kind);
        o.put("status", status);
        o.put("implementation", how);
        o.set("evidence", JSON.valueToTree(evidence));
    }

    private Map<String, String> personalData() {
        Map<String, String> treatment = new TreeMap<>();
        for (String type : entityTypes) treatment.put(type, "detected, counted in the audit record");
        for (Policy.RuleSummary r : policy.summaries()) {
            r.obligations().entities().forEach((type, action) -> treatment.put(type,
                    action.name().toLowerCase(java.util.Locale.ROOT) + " (rule " + r.id() + ")"));
        }
        return treatment;
    }

    private List<String> obligationRules() {
        List<String> out = new ArrayList<>();
        for (Policy.RuleSummary r : policy.summaries()) {
            if (!r.obligations().entities().isEmpty()) out.add("policy rule " + r.id());
        }
        out.add("inspect: detectors");
        return out;
    }

    private List<Map<String, String>> recipients() {
        List<Map<String, String>> out = new ArrayList<>();
        for (BackendSettings b : config.backends()) {
            out.add(map("name", b.name(), "host", b.url().getHost(), "region", b.attributes().getOrDefault("region", ""),
                    "max_classification", b.attributes().getOrDefault("max_classification", "")));
        }
        for (PrivacySettings.Siem s : config.privacy().siem()) {
            out.add(map("siem", s.name(), "host", s.host() == null ? "file" : s.host(),
                    "receives", "audit entries (principals, subject tokens, finding counts; no text)"));
        }
        return out;
    }

    private List<Map<String, String>> transfers() {
        String home = config.privacy().homeRegion();
        List<Map<String, String>> out = new ArrayList<>();
        for (BackendSettings b : config.backends()) {
            String region = b.attributes().getOrDefault("region", "");
            if (home.isEmpty() || !home.equals(region)) {
                out.add(map("backend", b.name(), "region", region.isEmpty() ? "undeclared" : region));
            }
        }
        return out;
    }

    private List<Map<String, String>> retention() {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(map("data", "pseudonyms", "keep", pseudonymTtl.toString(), "source", "pseudonym vault TTL"));
        for (PrivacySettings.Retention r : config.privacy().retention()) {
            out.add(map("rule", r.name(), "data", r.data().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    "purpose", r.purpose() == null ? "any" : r.purpose(),
                    "classification", r.classification() == null ? "any" : r.classification(), "keep", r.keep().toString()));
        }
        return out;
    }

    private Map<String, String> measures() {
        return map("encryption_at_rest", "AES-256-GCM barrier, root key: " + config.barrier().provider(),
                "transport", config.server().tls().mode() == TlsSettings.Mode.NONE ? "plain HTTP listener" : "TLS 1.3 listener",
                "audit", "tamper-evident log " + auditOrigin + " with signed checkpoints",
                "access_control", "policy " + policy.digest() + " (default deny, separation of duties)",
                "pseudonymisation", "data subjects stored only as keyed tokens; erasure destroys their key");
    }

    private static List<String> indexed(String key, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(key + "[" + i + "]");
        return out;
    }

    private static Map<String, String> map(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
