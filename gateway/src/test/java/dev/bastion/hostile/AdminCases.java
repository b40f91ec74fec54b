package dev.bastion.hostile;

import java.util.ArrayList;
import java.util.List;

import static dev.bastion.hostile.HostileCase.refused;

/** Every admin route: keys, policy, inspect, models, the audit read API, operator routes and the ops endpoints. */
final class AdminCases {
    private AdminCases() {}

    private static final String C = "admin";
    private static final String K = "/bastion/v1/keys";

    private static HostileCase.Request key(String body) {
        return f -> f.post(K, f.admin, body);
    }

    private static HostileCase.Request get(String target, java.util.function.Function<HostileFixture, String> who) {
        return f -> f.send("GET", target, who.apply(f), null);
    }

    static List<HostileCase> all() {
        List<HostileCase> c = new ArrayList<>();
        String f = "invalid_field";
        String denied = "permission_denied";
        // keys
        c.add(refused(C, "keys: create without credentials", 401, "missing_credentials", g -> g.post(K, null, "{\"name\":\"x\"}")));
        c.add(refused(C, "keys: create as a developer", 403, denied, g -> g.post(K, g.developer, "{\"name\":\"x\"}")));
        c.add(refused(C, "keys: create as the auditor", 403, denied, g -> g.post(K, g.auditor, "{\"name\":\"x\"}")));
        c.add(refused(C, "keys: no name", 400, "missing_field", key("{}")));
        c.add(refused(C, "keys: blank name", 400, f, key("{\"name\":\" \"}")));
        c.add(refused(C, "keys: name 300 characters", 400, f, key("{\"name\":\"" + "n".repeat(300) + "\"}")));
        c.add(refused(C, "keys: roles a string", 400, f, key("{\"name\":\"x\",\"roles\":\"admin\"}")));
        c.add(refused(C, "keys: a role with capitals and !", 400, f, key("{\"name\":\"x\",\"roles\":[\"Admin!\"]}")));
        c.add(refused(C, "keys: a role the policy does not define", 400, f, key("{\"name\":\"x\",\"roles\":[\"root\"]}")));
        c.add(refused(C, "keys: the admin minting an auditor", 403, denied, key("{\"name\":\"x\",\"roles\":[\"auditor\"]}")));
        c.add(refused(C, "keys: the admin minting admin+auditor", 403, denied, key("{\"name\":\"x\",\"roles\":[\"admin\",\"auditor\"]}")));
        c.add(refused(C, "keys: the admin minting a model steward", 403, denied, key("{\"name\":\"x\",\"roles\":[\"model-steward\"]}")));
        c.add(refused(C, "keys: expires_at not a time", 400, f, key("{\"name\":\"x\",\"expires_at\":\"tomorrow\"}")));
        c.add(refused(C, "keys: expires_at in the past", 400, f, key("{\"name\":\"x\",\"expires_at\":\"2001-01-01T00:00:00Z\"}")));
        c.add(refused(C, "keys: expires_in_days negative", 400, f, key("{\"name\":\"x\",\"expires_in_days\":-1}")));
        c.add(refused(C, "keys: both expiries", 400, f, key("{\"name\":\"x\",\"expires_in_days\":1,\"expires_at\":\"2099-01-01T00:00:00Z\"}")));
        c.add(refused(C, "keys: a nested attribute", 400, f, key("{\"name\":\"x\",\"attributes\":{\"a\":{\"b\":1}}}")));
        c.add(refused(C, "keys: 40 attributes", 400, f, key("{\"name\":\"x\",\"attributes\":{" + String.join(",",
                java.util.stream.IntStream.range(0, 40).mapToObj(i -> "\"a" + i + "\":1").toList()) + "}}")));
        c.add(refused(C, "keys: a misspelt field (model for models)", 400, f, key("{\"name\":\"x\",\"model\":[\"chat\"]}")));
        c.add(refused(C, "keys: a model alias with a space", 400, f, key("{\"name\":\"x\",\"models\":[\"a b\"]}")));
        c.add(refused(C, "keys: not JSON", 400, "invalid_json", key("name=x")));
        c.add(refused(C, "keys: text/plain", 415, "unsupported_media_type", g -> g.send("POST", K, g.admin, "{\"name\":\"x\"}", "Content-Type: text/plain")));
        c.add(refused(C, "keys: show an unknown id", 404, "not_found", get(K + "/nosuchkeyid9", g -> g.admin)));
        c.add(refused(C, "keys: show an id in capitals", 404, "not_found", get(K + "/NOSUCHKEYID9", g -> g.admin)));
        c.add(refused(C, "keys: revoke an unknown id", 404, "not_found", g -> g.send("DELETE", K + "/nosuchkeyid9", g.admin, null)));
        c.add(refused(C, "keys: list as the auditor", 403, denied, get(K, g -> g.auditor)));
        c.add(refused(C, "keys: PUT", 405, "method_not_allowed", g -> g.send("PUT", K, g.admin, "{}", HostileFixture.JSON)));
        // policy
        c.add(refused(C, "policy: read as a developer", 403, denied, get("/bastion/v1/policy", g -> g.developer)));
        c.add(refused(C, "policy: reload as a developer", 403, denied, g -> g.send("POST", "/bastion/v1/policy/reload", g.developer, null)));
        c.add(refused(C, "policy: reload without credentials", 401, "missing_credentials", g -> g.send("POST", "/bastion/v1/policy/reload", null, null)));
        c.add(refused(C, "policy: reload as the auditor", 403, denied, g -> g.send("POST", "/bastion/v1/policy/reload", g.auditor, null)));
        c.add(refused(C, "policy: simulate an empty request", 400, f, g -> g.post("/bastion/v1/policy/simulate", g.admin, "{}")));
        c.add(refused(C, "policy: simulate an unknown action", 400, f, g -> g.post("/bastion/v1/policy/simulate", g.admin, "{\"principal\":{\"roles\":[\"admin\"]},\"action\":\"model.delete\",\"resource\":\"model:chat\"}")));
        c.add(refused(C, "policy: simulate with an unknown field", 400, f, g -> g.post("/bastion/v1/policy/simulate", g.admin, "{\"principal\":{\"roles\":[\"admin\"]},\"action\":\"keys.manage\",\"resource\":\"keys:*\",\"x\":1}")));
        c.add(refused(C, "policy: simulate not JSON", 400, "invalid_json", g -> g.post("/bastion/v1/policy/simulate", g.admin, "{")));
        c.add(refused(C, "policy: simulate as text/plain", 415, "unsupported_media_type", g -> g.send("POST", "/bastion/v1/policy/simulate", g.admin, "{}", "Content-Type: text/plain")));
        c.add(refused(C, "policy: simulate as a developer", 403, denied, g -> g.post("/bastion/v1/policy/simulate", g.developer, "{}")));
        // inspect (dry run)
        c.add(refused(C, "inspect: empty object", 400, f, g -> g.post("/bastion/v1/inspect", g.developer, "{}")));
        c.add(refused(C, "inspect: text a number", 400, f, g -> g.post("/bastion/v1/inspect", g.developer, "{\"text\":5}")));
        c.add(refused(C, "inspect: an unknown field", 400, f, g -> g.post("/bastion/v1/inspect", g.developer, "{\"text\":\"x\",\"y\":1}")));
        c.add(refused(C, "inspect: as the admin", 403, denied, g -> g.post("/bastion/v1/inspect", g.admin, "{\"text\":\"x\"}")));
        c.add(refused(C, "inspect: text/plain", 415, "unsupported_media_type", g -> g.send("POST", "/bastion/v1/inspect", g.developer, "{\"text\":\"x\"}", "Content-Type: text/plain")));
        c.add(refused(C, "inspect: empty body", 400, "invalid_json", g -> g.post("/bastion/v1/inspect", g.developer, "")));
        // models
        c.add(refused(C, "models: an unknown id", 404, "model_not_found", get("/v1/models/gpt-9", g -> g.developer)));
        c.add(refused(C, "models: an id in capitals", 404, "model_not_found", get("/v1/models/CHAT", g -> g.developer)));
        c.add(refused(C, "models: list without credentials", 401, "missing_credentials", get("/v1/models", g -> null)));
        c.add(refused(C, "models: the scoped key reading another model", 404, "model_not_found", get("/v1/models/chat", g -> g.scoped)));
        // ops and fallbacks
        c.add(refused(C, "no such route", 404, "not_found", get("/v1/nothing", g -> g.developer)));
        c.add(refused(C, "a model route with GET", 405, "method_not_allowed", get("/v1/chat/completions", g -> g.developer)));
        c.add(refused(C, "a key id route with POST", 405, "method_not_allowed", g -> g.post(K + "/nosuchkeyid9", g.admin, "{}")));
        return c;
    }
}
