package dev.bastion.hostile;

import java.util.ArrayList;
import java.util.List;

import static dev.bastion.hostile.HostileCase.refused;

/** The audit read API (tlog-tiles, proofs) and the operator routes, credentialed or not. */
final class AuditOperatorCases {
    private AuditOperatorCases() {}

    private static final String C = "audit";
    private static final String O = "operator";
    private static final String A = "/bastion/v1/audit/";

    private static HostileCase.Request audit(String rest) {
        return f -> f.send("GET", A + rest, f.auditor, null);
    }

    private static HostileCase.Request operator(String route, String key, String body, String... headers) {
        return f -> {
            f.clock.advance(java.time.Duration.ofSeconds(11)); // the doors' rate limit refills between cases
            String k = switch (key) {
                case "admin" -> f.admin;
                case "developer" -> f.developer;
                case "auditor" -> f.auditor;
                default -> null;
            };
            return f.send("POST", "/bastion/v1/operator/" + route, k, body, headers);
        };
    }

    static List<HostileCase> all() {
        List<HostileCase> c = new ArrayList<>();
        String nf = "not_found";
        String f = "invalid_field";
        String denied = "permission_denied";
        c.add(refused(C, "checkpoint without credentials", 401, "missing_credentials", g -> g.send("GET", A + "checkpoint", null, null)));
        c.add(refused(C, "checkpoint as the admin", 403, denied, g -> g.send("GET", A + "checkpoint", g.admin, null)));
        c.add(refused(C, "checkpoint as a developer", 403, denied, g -> g.send("GET", A + "checkpoint", g.developer, null)));
        c.add(refused(C, "an unknown resource", 404, nf, audit("nope")));
        c.add(refused(C, "a tile index that is not a number", 404, nf, audit("tile/0/x")));
        c.add(refused(C, "a tile level out of range", 404, nf, audit("tile/99/000")));
        c.add(refused(C, "a tile far beyond the log", 404, nf, audit("tile/0/x999/999")));
        c.add(refused(C, "a negative tile level", 404, nf, audit("tile/-1/000")));
        c.add(refused(C, "an entry bundle that is not a number", 404, nf, audit("tile/entries/abc")));
        c.add(refused(C, "a partial tile wider than 256", 404, nf, audit("tile/0/000.p/999")));
        c.add(refused(C, "a partial tile of width 0", 404, nf, audit("tile/0/000.p/0")));
        c.add(refused(C, "a tile path with too many digits", 404, nf, audit("tile/0/0000")));
        c.add(refused(C, "inclusion proof without parameters", 400, "missing_field", audit("proof/inclusion")));
        c.add(refused(C, "inclusion proof with a negative index", 400, f, audit("proof/inclusion?index=-1&size=1")));
        c.add(refused(C, "inclusion proof with a text index", 400, f, audit("proof/inclusion?index=abc&size=1")));
        c.add(refused(C, "inclusion proof index beyond the size", 400, f, audit("proof/inclusion?index=5&size=2")));
        c.add(refused(C, "inclusion proof size beyond the log", 400, f, audit("proof/inclusion?index=0&size=999999999")));
        c.add(refused(C, "inclusion proof with an overflowing size", 400, f, audit("proof/inclusion?index=0&size=99999999999999999999")));
        c.add(refused(C, "consistency proof backwards", 400, f, audit("proof/consistency?from=5&to=2")));
        c.add(refused(C, "consistency proof without to", 400, "missing_field", audit("proof/consistency?from=1")));
        c.add(refused(C, "consistency proof beyond the log", 400, f, audit("proof/consistency?from=1&to=999999999")));
        c.add(refused(C, "proofs as the admin", 403, denied, g -> g.send("GET", A + "proof/inclusion?index=0&size=1", g.admin, null)));
        // operator routes (this server's barrier is open: insecure-file provider)
        String json = HostileFixture.JSON;
        c.add(refused(O, "init on an initialised server", 409, "invalid_state", operator("init", "none", "{\"passphrase\":\"a passphrase of mine\",\"init_token\":\"x\"}", json)));
        c.add(refused(O, "init with an unknown field", 400, f, operator("init", "none", "{\"passphrase\":\"a passphrase of mine\",\"x\":1}", json)));
        c.add(refused(O, "init not JSON", 400, "invalid_json", operator("init", "none", "{", json)));
        c.add(refused(O, "init as text/plain", 415, "unsupported_media_type", operator("init", "none", "{}", "Content-Type: text/plain")));
        c.add(refused(O, "unseal an unsealed server", 409, "invalid_state", operator("unseal", "none", "{\"passphrase\":\"a passphrase of mine\"}", json)));
        c.add(refused(O, "unseal with a short passphrase", 400, f, operator("unseal", "none", "{\"passphrase\":\"short\"}", json)));
        c.add(refused(O, "unseal with an unknown field", 400, f, operator("unseal", "none", "{\"passphrase\":\"a passphrase of mine\",\"x\":1}", json)));
        c.add(refused(O, "unseal with a passphrase that is a number", 400, f, operator("unseal", "none", "{\"passphrase\":123456789012345}", json)));
        c.add(refused(O, "unseal without a body", 415, "unsupported_media_type", operator("unseal", "none", null)));
        c.add(refused(O, "seal without credentials", 401, "missing_credentials", operator("seal", "none", null)));
        c.add(refused(O, "seal as a developer", 403, denied, operator("seal", "developer", null)));
        c.add(refused(O, "rotate as the auditor", 403, denied, operator("rotate", "auditor", null)));
        c.add(refused(O, "rewrap without credentials", 401, "missing_credentials", operator("rewrap", "none", null)));
        c.add(refused(O, "rewrap as a developer", 403, denied, operator("rewrap", "developer", null)));
        c.add(refused(O, "status with POST", 405, "method_not_allowed", operator("status", "none", null)));
        return c;
    }
}
