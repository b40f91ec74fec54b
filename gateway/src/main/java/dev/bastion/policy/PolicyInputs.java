package dev.bastion.policy;

import dev.bastion.identity.Principal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link PolicyRequest} from plain data (a parsed JSON or YAML object): the shape of a test case in
 * {@code cases.yaml} and of the body of {@code POST /bastion/v1/policy/simulate}.
 *
 * <pre>
 * principal: {id, type: user|service, roles: [..], attributes: {..}, auth_method: api_key|jwt|mtls|local, model_scope: [..]}
 * action: model.invoke
 * resource: "model:llama-3"  or  {kind, name, labels: {..}, backend, region, max_classification, attributes: {..},
 *            approval}
 * request: {purpose, subjects: [..], classification, client_ip, time: ISO-8601, findings: {TYPE: count},
 *           consent: {basis: true|false, bases: [..], sale_opt_out: false}}
 * </pre>
 */
public final class PolicyInputs {
    private static final Set<String> TOP = Set.of("principal", "action", "resource", "request");
    private static final Set<String> PRINCIPAL = Set.of("id", "type", "roles", "attributes", "auth_method", "model_scope");
    private static final Set<String> RESOURCE = Set.of("kind", "name", "labels", "backend", "region",
            "max_classification", "attributes", "approval", "attested", "tee", "measurement");
    private static final Set<String> REQUEST = Set.of("purpose", "subjects", "classification", "client_ip", "time",
            "findings", "consent");
    private static final Set<String> CONSENT = Set.of("basis", "bases", "sale_opt_out");

    private PolicyInputs() {}

    /**
     * @param input       the object with {@code principal}, {@code action}, {@code resource}, {@code request}
     * @param defaultTime request time when the input gives none
     * @throws IllegalArgumentException naming the offending field (never echoing values)
     */
    public static PolicyRequest request(Map<String, ?> input, Instant defaultTime) {
        keys(input, TOP, "input");
        Principal principal = principal(map(input.get("principal"), "principal"));
        String actionName = string(input.get("action"), "action", true);
        Action action = Action.parse(actionName)
                .orElseThrow(() -> new IllegalArgumentException("action: unknown action"));
        Object res = input.get("resource");
        Resource resource = res instanceof String ref ? resourceRef(ref) : resource(map(res, "resource"));
        RequestFacts facts = facts(input.get("request") == null ? Map.of() : map(input.get("request"), "request"),
                defaultTime);
        return new PolicyRequest(principal, action, resource, facts);
    }

    private static Principal principal(Map<String, ?> m) {
        keys(m, PRINCIPAL, "principal");
        String id = m.containsKey("id") ? string(m.get("id"), "principal.id", true) : "test";
        var type = switch (m.containsKey("type") ? string(m.get("type"), "principal.type", true) : "user") {
            case "user" -> Principal.Type.USER;
            case "service" -> Principal.Type.SERVICE;
            default -> throw new IllegalArgumentException("principal.type: user or service");
        };
        String method = m.containsKey("auth_method") ? string(m.get("auth_method"), "principal.auth_method", true) : "api_key";
        Principal.AuthMethod auth = null;
        for (var a : Principal.AuthMethod.values()) if (a.wireName().equals(method)) auth = a;
        if (auth == null) throw new IllegalArgumentException("principal.auth_method: api_key, jwt, mtls or local");
        var attributes = m.containsKey("attributes") ? new HashMap<String, Object>(map(m.get("attributes"), "principal.attributes"))
                : new HashMap<String, Object>();
        attributes.values().removeIf(java.util.Objects::isNull);
        return new Principal(id, type, Set.copyOf(strings(m.get("roles"), "principal.roles")), attributes, auth,
                Set.copyOf(strings(m.get("model_scope"), "principal.model_scope")));
    }

    private static Resource resourceRef(String ref) {
        int colon = ref.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("resource: 'kind:name' or an object");
        return new Resource(ref.substring(0, colon), ref.substring(colon + 1), Map.of(), "", "", "", Map.of());
    }

    private static Resource resource(Map<String, ?> m) {
        keys(m, RESOURCE, "resource");
        var labels = new LinkedHashMap<String, String>();
        if (m.get("labels") != null) {
            map(m.get("labels"), "resource.labels").forEach((k, v) -> labels.put(k, string(v, "resource.labels." + k, true)));
        }
        var attributes = m.get("attributes") == null ? new HashMap<String, Object>()
                : new HashMap<String, Object>(map(m.get("attributes"), "resource.attributes"));
        attributes.values().removeIf(java.util.Objects::isNull);
        Resource r = new Resource(string(m.get("kind"), "resource.kind", true), string(m.get("name"), "resource.name", true),
                labels, string(m.get("backend"), "resource.backend", false), string(m.get("region"), "resource.region", false),
                string(m.get("max_classification"), "resource.max_classification", false), attributes, true,
                string(m.get("approval"), "resource.approval", false));
        Object attested = m.get("attested");
        if (attested != null && !(attested instanceof Boolean)) throw new IllegalArgumentException("resource.attested must be a boolean");
        return Boolean.TRUE.equals(attested) ? r.withAttestation(string(m.get("tee"), "resource.tee", false),
                string(m.get("measurement"), "resource.measurement", false)) : r;
    }

    private static RequestFacts facts(Map<String, ?> m, Instant defaultTime) {
        keys(m, REQUEST, "request");
        Instant time = defaultTime;
        if (m.get("time") != null) {
            try {
                time = Instant.parse(string(m.get("time"), "request.time", true));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("request.time: ISO-8601 instant expected (2025-01-31T09:00:00Z)");
            }
        }
        var findings = new HashMap<String, Integer>();
        if (m.get("findings") != null) {
            map(m.get("findings"), "request.findings").forEach((k, v) -> {
                if (!(v instanceof Number n) || n.longValue() < 0 || n.longValue() > Integer.MAX_VALUE
                        || (v instanceof Double d && d != Math.rint(d))) {
                    throw new IllegalArgumentException("request.findings: counts must be non-negative integers");
                }
                findings.put(k, n.intValue());
            });
        }
        List<String> subjects = strings(m.get("subjects"), "request.subjects");
        return new RequestFacts(string(m.get("purpose"), "request.purpose", false), subjects,
                string(m.get("classification"), "request.classification", false),
                string(m.get("client_ip"), "request.client_ip", false), time, findings,
                m.get("consent") == null ? null : consent(map(m.get("consent"), "request.consent"), subjects.size()));
    }

    /** Without {@code basis}, every named subject has one; {@code basis: false} needs subjects to lack it. */
    private static ConsentFacts consent(Map<String, ?> m, int subjects) {
        keys(m, CONSENT, "request.consent");
        boolean basis = bool(m.get("basis"), "request.consent.basis", true);
        if (!basis && subjects == 0) throw new IllegalArgumentException("request.consent.basis: false needs request.subjects");
        return new ConsentFacts(subjects, basis ? 0 : subjects, strings(m.get("bases"), "request.consent.bases"),
                bool(m.get("sale_opt_out"), "request.consent.sale_opt_out", false));
    }

    private static boolean bool(Object o, String what, boolean fallback) {
        if (o == null) return fallback;
        if (o instanceof Boolean b) return b;
        throw new IllegalArgumentException(what + " must be true or false");
    }

    private static void keys(Map<String, ?> m, Set<String> allowed, String what) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException(what + ": unknown key '" + YamlReader.printable(k) + "'");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> map(Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) if (!(k instanceof String)) throw new IllegalArgumentException(what + ": keys must be strings");
            return (Map<String, ?>) m;
        }
        throw new IllegalArgumentException(what + " must be an object");
    }

    private static String string(Object o, String what, boolean required) {
        if (o == null && !required) return "";
        if (o instanceof String s) return s;
        throw new IllegalArgumentException(what + (o == null ? " is required" : " must be a string"));
    }

    private static List<String> strings(Object o, String what) {
        if (o == null) return List.of();
        if (!(o instanceof List<?> list)) throw new IllegalArgumentException(what + " must be a list of strings");
        var out = new ArrayList<String>();
        for (Object i : list) out.add(string(i, what + " item", true));
        return out;
    }

}
