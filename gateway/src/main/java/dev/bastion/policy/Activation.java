package dev.bastion.policy;

import dev.bastion.identity.Principal;
import dev.cel.runtime.CelVariableResolver;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL variables for one request, as maps shaped like the declared struct types, each built only when a condition
 * first reads it. Attributes are filtered through the policy's schema: undeclared keys are dropped and values of the
 * wrong type are left out, so a condition that reads them fails to evaluate (and fails closed) instead of comparing
 * a coerced value. One instance per decision; not shared between threads.
 */
final class Activation implements CelVariableResolver {
    private final PolicyRequest request;
    private final Map<String, AttributeType> principalSchema;
    private final Map<String, AttributeType> resourceSchema;
    private final Classifications levels;
    private Optional<Object> principal;
    private Optional<Object> resource;
    private Optional<Object> facts;
    private Optional<Object> action;

    Activation(PolicyRequest request, Map<String, AttributeType> principalSchema,
               Map<String, AttributeType> resourceSchema, Classifications levels) {
        this.request = request;
        this.principalSchema = principalSchema;
        this.resourceSchema = resourceSchema;
        this.levels = levels;
    }

    @Override
    public Optional<Object> find(String name) {
        return switch (name) {
            case "principal" -> principal != null ? principal : (principal = Optional.of(principal()));
            case "resource" -> resource != null ? resource : (resource = Optional.of(resource()));
            case "request" -> facts != null ? facts : (facts = Optional.of(facts()));
            case "action" -> action != null ? action : (action = Optional.of(request.action().wire()));
            default -> Optional.empty();
        };
    }

    /** All variables as one map (for tests and the simulate API's debugging). */
    Map<String, Object> toMap() {
        return Map.of("principal", principal(), "resource", resource(), "request", facts(),
                "action", request.action().wire());
    }

    private Map<String, Object> principal() {
        Principal p = request.principal();
        return Map.of(
                "id", p.id(),
                "type", p.type().name().toLowerCase(Locale.ROOT),
                "roles", List.copyOf(p.roles()),
                "auth_method", p.method().wireName(),
                "model_scope", List.copyOf(p.modelScope()),
                "attributes", typed(p.attributes(), principalSchema));
    }

    private Map<String, Object> resource() {
        Resource res = request.resource();
        return Map.ofEntries(
                Map.entry("kind", res.kind()),
                Map.entry("name", res.name()),
                Map.entry("labels", res.labels()),
                Map.entry("backend", res.backend()),
                Map.entry("region", res.region()),
                Map.entry("max_classification", res.maxClassification()),
                Map.entry("max_classification_level", (long) levels.resourceLevel(res.maxClassification())),
                Map.entry("attributes", typed(res.attributes(), resourceSchema)),
                Map.entry("approval", res.approval()),
                Map.entry("attested", res.attested()),
                Map.entry("tee", res.tee()),
                Map.entry("measurement", res.measurement()));
    }

    private Map<String, Object> facts() {
        RequestFacts f = request.facts();
        var findings = new HashMap<String, Long>(f.findings().size() * 2);
        f.findings().forEach((k, v) -> findings.put(k, v.longValue()));
        ConsentFacts c = f.consent();
        Map<String, Object> consent = Map.of("basis", c.basis(), "missing", (long) c.withoutBasis(),
                "bases", c.bases(), "sale_opt_out", c.saleOptOut());
        return Map.of(
                "purpose", f.purpose(),
                "subjects", f.subjects(),
                "classification", levels.effectiveRequestLabel(f),
                "classification_level", (long) levels.requestLevel(f),
                "declared_classification", f.classification(),
                "client_ip", f.clientIp(),
                "time", f.time(),
                "findings", findings,
                "consent", consent);
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
