package dev.bastion.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.AdminOutcome;
import dev.bastion.identity.ApiKeyRecord;
import dev.bastion.identity.ApiKeyService;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /bastion/v1/keys}: create (secret shown once), list, show, revoke. Requires {@code keys.manage}; creating a
 * key also needs {@code keys.grant} for each of its roles ({@link RoleGrants}).
 */
public final class KeysApi {
    static final String ACTION = "keys.manage";
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9][a-z0-9._:-]{0,63}");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
    private static final Pattern KEY_ID = Pattern.compile("[a-z2-7]{12}");
    private static final Set<String> CREATE_FIELDS =
            Set.of("name", "roles", "models", "attributes", "expires_at", "expires_in_days");

    private final ApiKeyService keys;
    private final Clock clock;
    private final RoleGrants grants;

    public KeysApi(ApiKeyService keys, Clock clock, RoleGrants grants) {
        this.grants = grants;
        this.keys = keys;
        this.clock = clock;
    }

    public void register(AdminRoutes routes) {
        Access manage = Access.to(ACTION);
        routes.post("/bastion/v1/keys", manage.audited("key.create"), this::create);
        routes.get("/bastion/v1/keys", manage, this::list);
        routes.get("/bastion/v1/keys/{id}", manage, this::show);
        routes.delete("/bastion/v1/keys/{id}", manage.audited("key.revoke", call -> "key:" + keyId(call)), this::revoke);
    }

    private Reply create(AdminCall call) {
        ObjectNode body = call.body(64 * 1024, CREATE_FIELDS);
        String name = text(body, "name", true);
        List<String> roles = strings(body, "roles", TOKEN, List.of("developer"));
        grants.check(call, roles);
        List<String> models = strings(body, "models", ALIAS, List.of());
        Instant expires = expiry(body);
        Map<String, Object> attributes = attributes(body);
        ApiKeyService.Created created = keys.create(name, roles, attributes, models, expires, call.principal().id());
        call.outcome(AdminOutcome.target("key:" + created.record().keyId()));
        Map<String, Object> out = view(created.record());
        out.put("key", created.key());
        return Reply.json(201, out);
    }

    private Reply list(AdminCall call) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (ApiKeyRecord r : keys.list()) data.add(view(r));
        return Reply.ok(Map.of("object", "list", "data", data));
    }

    private Reply show(AdminCall call) {
        ApiKeyRecord r = keys.find(keyId(call)).orElseThrow(KeysApi::notFound);
        return Reply.ok(view(r));
    }

    private Reply revoke(AdminCall call) {
        String id = keyId(call);
        if (keys.find(id).isEmpty()) throw notFound();
        keys.revoke(id);
        return Reply.ok(view(keys.find(id).orElseThrow(KeysApi::notFound)));
    }

    private static String keyId(AdminCall call) {
        String id = call.pathParam("id");
        if (!KEY_ID.matcher(id).matches()) throw notFound();
        return id;
    }

    static Map<String, Object> view(ApiKeyRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.keyId());
        m.put("object", "api_key");
        m.put("name", r.name());
        m.put("roles", r.roles());
        m.put("attributes", r.attributes());
        m.put("models", r.models());
        m.put("created_at", r.createdAt().toString());
        m.put("expires_at", r.expiresAt() == null ? null : r.expiresAt().toString());
        m.put("revoked_at", r.revokedAt() == null ? null : r.revokedAt().toString());
        m.put("created_by", r.createdBy());
        return m;
    }

    private Instant expiry(ObjectNode body) {
        JsonNode at = body.get("expires_at");
        JsonNode days = body.get("expires_in_days");
        if (at != null && !at.isNull() && days != null && !days.isNull()) {
            throw invalid("expires_at", "give expires_at or expires_in_days, not both");
        }
        if (days != null && !days.isNull()) {
            if (!days.isIntegralNumber() || days.asLong() < 1 || days.asLong() > 3650) {
                throw invalid("expires_in_days", "expires_in_days must be an integer from 1 to 3650");
            }
            return clock.instant().plus(Duration.ofDays(days.asLong()));
        }
        if (at == null || at.isNull()) return null;
        if (!at.isTextual()) throw invalid("expires_at", "expires_at must be an RFC 3339 timestamp");
        try {
            Instant t = Instant.parse(at.asText());
            if (!t.isAfter(clock.instant())) throw invalid("expires_at", "expires_at must be in the future");
            return t;
        } catch (DateTimeParseException e) {
            throw invalid("expires_at", "expires_at must be an RFC 3339 timestamp such as 2027-01-31T00:00:00Z");
        }
    }

    private static Map<String, Object> attributes(ObjectNode body) {
        JsonNode a = body.get("attributes");
        if (a == null || a.isNull()) return Map.of();
        if (!a.isObject() || a.size() > 32) throw invalid("attributes", "attributes must be an object of at most 32 entries");
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : a.properties()) {
            if (!TOKEN.matcher(e.getKey()).matches()) throw invalid("attributes", "attribute names must be lowercase tokens");
            JsonNode v = e.getValue();
            if (v.isTextual() && v.asText().length() <= 256) out.put(e.getKey(), v.asText());
            else if (v.isBoolean()) out.put(e.getKey(), v.asBoolean());
            else if (v.isIntegralNumber()) out.put(e.getKey(), v.asLong());
            else if (v.isArray() && v.size() <= 64) {
                List<String> items = new ArrayList<>();
                for (JsonNode i : v) {
                    if (!i.isTextual() || i.asText().length() > 256) throw invalid("attributes", "list attributes hold short strings");
                    items.add(i.asText());
                }
                out.put(e.getKey(), items);
            } else {
                throw invalid("attributes", "attribute values must be short strings, booleans, integers or string lists");
            }
        }
        return out;
    }

    private static String text(ObjectNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new ProblemException(ErrorCode.MISSING_FIELD.problem("'" + field + "' is required", field));
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 200) {
            throw invalid(field, field + " must be a string of 1 to 200 characters");
        }
        return v.asText();
    }

    private static List<String> strings(ObjectNode body, String field, Pattern shape, List<String> fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isArray() || v.size() > 64) throw invalid(field, field + " must be an array of at most 64 strings");
        List<String> out = new ArrayList<>();
        for (JsonNode i : v) {
            if (!i.isTextual() || !shape.matcher(i.asText()).matches()) {
                throw invalid(field, field + " entries must match " + shape.pattern());
            }
            out.add(i.asText());
        }
        return out;
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(ErrorCode.INVALID_FIELD.problem(message, field));
    }

    private static ProblemException notFound() {
        return new ProblemException(ErrorCode.NOT_FOUND.problem("no such key"));
    }
}
