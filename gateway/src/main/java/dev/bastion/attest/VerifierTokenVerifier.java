package dev.bastion.attest;

import dev.bastion.identity.ClaimMapping;
import dev.bastion.identity.JwtClaims;
import dev.bastion.identity.JwtVerifier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Accepts attestation results as JWTs from a remote verifier instead of raw evidence: the token's signature,
 * issuer, audience and lifetime are checked by the identity package's {@link JwtVerifier} against the service's
 * key set; then the claims must name an accepted TEE, a non-debuggable guest, an allowed measurement, an accepted
 * TCB status, and carry the expected REPORT_DATA binding — the same decisions as for raw evidence.
 */
public final class VerifierTokenVerifier {
    private final JwtVerifier jwt;
    private final VerifierTokenProfile profile;
    private final AllowList measurements;
    private final Set<String> acceptedTcbStatuses;

    /**
     * @param jwt                 from {@link JwtVerifier#forAttestationTokens}
     * @param acceptedTcbStatuses used when the profile names a TCB status claim
     */
    public VerifierTokenVerifier(JwtVerifier jwt, VerifierTokenProfile profile, AllowList measurements,
                                 Set<String> acceptedTcbStatuses) {
        this.jwt = jwt;
        this.profile = profile;
        this.measurements = measurements;
        this.acceptedTcbStatuses = Set.copyOf(acceptedTcbStatuses);
    }

    public Verdict verify(String token, byte[] expectedReportData) {
        try {
            return check(token, expectedReportData);
        } catch (EvidenceException e) {
            return e.verdict();
        }
    }

    private Verdict check(String token, byte[] expected) throws EvidenceException {
        Map<String, Object> claims = switch (jwt.verifyClaims(token)) {
            case JwtClaims.Valid v -> v.claims();
            case JwtClaims.Invalid i -> throw new EvidenceException(Refusal.TOKEN_INVALID, profile.service()
                    + " token refused: " + i.failure().code());
        };
        Object teeValue = ClaimMapping.at(claims, profile.teeClaim());
        Tee tee = teeValue instanceof String s ? profile.teeValues().get(s) : null;
        if (tee == null) {
            throw new EvidenceException(Refusal.UNSUPPORTED, "token does not describe an accepted TEE ("
                    + profile.teeClaim() + ")");
        }
        if (profile.debugClaim() != null) {
            Object debug = ClaimMapping.at(claims, profile.debugClaim());
            if (!(debug instanceof Boolean b)) {
                throw new EvidenceException(Refusal.MALFORMED, "token lacks boolean " + profile.debugClaim());
            }
            if (b) throw new EvidenceException(Refusal.DEBUG_ENABLED, "the verifier reports a debuggable guest");
        }
        String status = null;
        if (profile.tcbStatusClaim() != null) {
            Object s = ClaimMapping.at(claims, profile.tcbStatusClaim());
            status = s instanceof String str ? str : null;
            if (status == null || !acceptedTcbStatuses.contains(status)) {
                throw new EvidenceException(Refusal.TCB_NOT_ACCEPTED, "TCB status " + status + " is not accepted");
            }
        }
        byte[] measurement = bytes(claims, profile.measurementClaim());
        if (!measurements.allows(measurement)) {
            throw new EvidenceException(Refusal.MEASUREMENT_NOT_ALLOWED, "measurement "
                    + HexFormat.of().formatHex(measurement) + " is not allowed");
        }
        byte[] reportData = bytes(claims, profile.reportDataClaim());
        if (expected == null || !MessageDigest.isEqual(expected, reportData)) {
            throw new EvidenceException(Refusal.BINDING_MISMATCH, "report data does not carry the expected binding");
        }
        Object exp = claims.get("exp");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("verifier", profile.service());
        if (status != null) facts.put("tcb_status", status);
        return new Verdict.Attested(tee, HexFormat.of().formatHex(measurement), reportData,
                HexFormat.of().formatHex(Ecdsa.sha256(token.getBytes(StandardCharsets.US_ASCII))),
                java.time.Instant.ofEpochSecond(exp instanceof Number n ? n.longValue() : 0), facts);
    }

    /** A claim holding bytes as hex (what the services use) or base64. */
    private static byte[] bytes(Map<String, Object> claims, String path) throws EvidenceException {
        if (!(ClaimMapping.at(claims, path) instanceof String s) || s.isEmpty() || s.length() > 1024) {
            throw new EvidenceException(Refusal.MALFORMED, "token lacks " + path);
        }
        try {
            return HexFormat.of().parseHex(s.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notHex) {
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException notBase64) {
                throw new EvidenceException(Refusal.MALFORMED, path + " is neither hex nor base64");
            }
        }
    }
}
