package dev.bastion.policy;

import dev.bastion.identity.Principal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CEL variables for one request, as maps shaped like the declared struct types. Attributes are filtered through
 * the policy's schema: undeclared keys are dropped and values of the wrong type are left out, so a condition that
 * reads them fails to evaluate (and fails closed) instead of comparing a coerced value.
 */
final class Activation {
    private Activation() {}

    static Map<String, Object> of(PolicyRequest r, Map<String, AttributeType> principalSchema,
                                  Map<String, AttributeType> resourceSchema, Classifications levels) {
        Principal p = r.principal();
        Resource res = r.resource();
        RequestFacts f = r.facts();
        var principal = Map.of(
                "id", p.id(),
                "type", p.type().name().toLowerCase(Locale.ROOT),
                "roles", List.copyOf(p.roles()),
                "auth_method", p.method().wireName(),
                "model_scope", List.copyOf(p.modelScope()),
                "attributes", typed(p.attributes(), principalSchema));
        var resource = Map.of(
                "kind", res.kind(),
                "name", res.name(),
                "labels", res.labels(),
                "backend", res.backend(),
                "region", res.region(),
                "max_classification", res.maxClassification(),
                "max_classification_level", (long) levels.resourceLevel(res.maxClassification()),
                "attributes", typed(res.attributes(), resourceSchema));
        var findings = new HashMap<String, Long>(f.findings().size() * 2);
        f.findings().forEach((k, v) -> findings.put(k, v.longValue()));
        var request = Map.of(
                "purpose", f.purpose(),
                "subjects", f.subjects(),
                "classification", levels.effectiveRequestLabel(f.classification()),
                "classification_level", (long) levels.requestLevel(f.classification()),
                "client_ip", f.clientIp(),
                "time", f.time(),
                "findings", findings);
        return Map.of("principal", principal, "resource", resource, "request", request, "action", r.action().wire());
    }

    private static Map<String, Object> typed(Map<String, Object> values, Map<String, AttributeType> schema) {
        if (schema.isEmpty() || values.isEmpty()) return Map.of();
        var out = new HashMap<String, Object>();
        schema.forEach((name, type) -> {
            Object v = values.get(name);
            if (v != null) {
                Object c = type.coerce(v);
                if (c != null) out.put(name, c);
            }
        });
        return out;
    }
}
