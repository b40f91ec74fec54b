package dev.bastion.hostile;

import java.util.ArrayList;
import java.util.List;

import static dev.bastion.hostile.HostileCase.passes;
import static dev.bastion.hostile.HostileCase.refused;

/** Credentials, the X-Bastion-* context headers and Content-Type. */
final class HeaderCases {
    private HeaderCases() {}

    private static final String C = "headers";
    private static final String CHAT = HostileFixture.CHAT;

    /** A chat request by the developer with extra header lines. */
    private static HostileCase.Request chatWith(String... headers) {
        return f -> {
            String[] all = java.util.Arrays.copyOf(headers, headers.length + 1);
            all[headers.length] = HostileFixture.JSON;
            return f.send("POST", "/v1/chat/completions", f.developer, CHAT, all);
        };
    }

    /** A chat request by the developer with exactly these header lines (no Content-Type added). */
    private static HostileCase.Request typed(String... headers) {
        return f -> f.send("POST", "/v1/chat/completions", f.developer, CHAT, headers);
    }

    static List<HostileCase> all() {
        List<HostileCase> c = new ArrayList<>();
        // credentials
        c.add(refused(C, "no Authorization", 401, "missing_credentials", f -> f.post("/v1/chat/completions", null, CHAT)));
        c.add(refused(C, "Basic credentials", 401, "invalid_api_key", f -> f.send("POST", "/v1/chat/completions", null, CHAT, HostileFixture.JSON, "Authorization: Basic YWRtaW46YWRtaW4=")));
        c.add(refused(C, "Bearer garbage", 401, "invalid_api_key", f -> f.post("/v1/chat/completions", "garbage", CHAT)));
        c.add(refused(C, "Bearer with no token", 401, "invalid_api_key", f -> f.send("POST", "/v1/chat/completions", null, CHAT, HostileFixture.JSON, "Authorization: Bearer ")));
        c.add(refused(C, "a key with its secret altered", 401, "invalid_api_key", f -> f.post("/v1/chat/completions", f.developer.substring(0, f.developer.length() - 2) + "AA", CHAT)));
        c.add(refused(C, "two Authorization headers", 400, "invalid_header", f -> f.send("POST", "/v1/chat/completions", f.developer, CHAT, HostileFixture.JSON, "Authorization: Bearer sk-other")));
        c.add(refused(C, "a key in the query string", 401, "missing_credentials", f -> f.post("/v1/chat/completions?api_key=" + f.developer, null, CHAT)));
        c.add(refused(C, "a revoked key", 401, "revoked_credentials", f -> f.post("/v1/chat/completions", f.revoked, CHAT)));
        c.add(refused(C, "an expired key", 401, "expired_credentials", f -> f.post("/v1/chat/completions", f.expired, CHAT)));
        c.add(refused(C, "a key scoped to another model", 403, "model_not_allowed", f -> f.post("/v1/chat/completions", f.scoped, CHAT)));
        c.add(refused(C, "the admin calling a model", 403, "permission_denied", f -> f.post("/v1/chat/completions", f.admin, CHAT)));
        c.add(refused(C, "the auditor calling a model", 403, "permission_denied", f -> f.post("/v1/chat/completions", f.auditor, CHAT)));
        c.add(refused(C, "a JWT-looking token when no issuer is trusted", 401, "invalid_api_key", f -> f.post("/v1/chat/completions", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", CHAT)));
        // context headers
        c.add(refused(C, "X-Bastion-Purpose twice", 400, "invalid_header", chatWith("X-Bastion-Purpose: support", "X-Bastion-Purpose: analytics")));
        c.add(refused(C, "X-Bastion-Purpose with a space", 400, "invalid_header", chatWith("X-Bastion-Purpose: fraud detection")));
        c.add(refused(C, "X-Bastion-Purpose 200 characters", 400, "invalid_header", chatWith("X-Bastion-Purpose: " + "p".repeat(200))));
        c.add(refused(C, "X-Bastion-Purpose empty", 400, "invalid_header", chatWith("X-Bastion-Purpose: ")));
        c.add(refused(C, "X-Bastion-Purpose two in one", 400, "invalid_header", chatWith("X-Bastion-Purpose: support,analytics")));
        c.add(refused(C, "X-Bastion-Classification restricted", 403, "permission_denied", chatWith("X-Bastion-Classification: restricted")));
        c.add(refused(C, "X-Bastion-Classification twice", 400, "invalid_header", chatWith("X-Bastion-Classification: public", "X-Bastion-Classification: restricted")));
        c.add(refused(C, "X-Bastion-Subject with 40 subjects", 400, "invalid_header", chatWith("X-Bastion-Subject: " + String.join(",", java.util.Collections.nCopies(40, "s1")))));
        c.add(refused(C, "X-Bastion-Subject with an empty item", 400, "invalid_header", chatWith("X-Bastion-Subject: a,,b")));
        c.add(refused(C, "X-Bastion-Conversation with a slash", 400, "invalid_header", chatWith("X-Bastion-Conversation: a/b")));
        c.add(refused(C, "X-Bastion-Purpose with a non-ASCII look-alike", 400, "invalid_header", chatWith("X-Bastion-Purpose: supp\u00f6rt")));
        c.add(refused(C, "confidential data without a purpose", 403, "purpose_required", chatWith("X-Bastion-Classification: confidential")));
        c.add(refused(C, "confidential data with a purpose not allowed", 403, "purpose_not_allowed", chatWith("X-Bastion-Classification: confidential", "X-Bastion-Purpose: legal-request")));
        // content types of JSON routes
        String media = "unsupported_media_type";
        c.add(refused(C, "no Content-Type", 415, media, typed()));
        c.add(refused(C, "text/plain", 415, media, typed("Content-Type: text/plain")));
        c.add(refused(C, "a form", 415, media, typed("Content-Type: application/x-www-form-urlencoded")));
        c.add(refused(C, "multipart", 415, media, typed("Content-Type: multipart/form-data; boundary=x")));
        c.add(refused(C, "JSON in UTF-16", 415, media, typed("Content-Type: application/json; charset=utf-16")));
        c.add(refused(C, "a look-alike type", 415, media, typed("Content-Type: application/jsonx")));
        c.add(refused(C, "two Content-Types", 415, media, typed("Content-Type: application/json", "Content-Type: text/plain")));
        c.add(refused(C, "an unknown parameter", 415, media, typed("Content-Type: application/json; boundary=x")));
        c.add(passes(C, "control: JSON with a quoted UTF-8 charset", 200, typed("Content-Type: application/json; charset=\"UTF-8\"")));
        c.add(passes(C, "control: the type in capitals", 200, typed("Content-Type: APPLICATION/JSON")));
        return c;
    }
}
