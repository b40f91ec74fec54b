package dev.bastion.identity;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several trusted issuers at once (a workforce IdP and, say, a Kubernetes cluster issuing workload tokens). A token
 * goes to the verifier of the issuer it names; that verifier then checks everything, {@code iss} included, so the
 * unverified look at {@code iss} only routes and never grants. Repeated tokens are answered from the verifiers'
 * caches before anything is parsed.
 */
public final class JwtIssuers {
    private final Map<String, JwtVerifier> byIssuer;

    public JwtIssuers(List<JwtVerifier> verifiers) {
        var map = new LinkedHashMap<String, JwtVerifier>();
        for (var v : verifiers) {
            if (map.put(v.config().issuer(), v) != null) {
                throw new IllegalArgumentException("two verifiers for one issuer");
            }
        }
        if (map.isEmpty()) throw new IllegalArgumentException("no issuers");
        this.byIssuer = Map.copyOf(map);
    }

    /** Verifies a bearer token with the verifier of its issuer; an issuer not configured is {@code wrong_issuer}. */
    public JwtResult verify(String token) {
        if (token == null || token.isEmpty() || token.length() > JwtVerifier.MAX_TOKEN_CHARS) {
            return new JwtResult.Rejected(JwtFailure.MALFORMED);
        }
        for (var v : byIssuer.values()) {
            var hit = v.cached(token, v.nowMillis());
            if (hit != null) return hit;
        }
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot1 <= 0 || dot2 < 0) return new JwtResult.Rejected(JwtFailure.MALFORMED);
        Object iss;
        try {
            iss = JSONObjectUtils.parse(new Base64URL(token.substring(dot1 + 1, dot2)).decodeToString()).get("iss");
        } catch (java.text.ParseException | RuntimeException e) {
            return new JwtResult.Rejected(JwtFailure.MALFORMED);
        }
        var verifier = iss instanceof String s ? byIssuer.get(s) : null;
        if (verifier == null) return new JwtResult.Rejected(JwtFailure.WRONG_ISSUER);
        return verifier.verify(token);
    }
}
