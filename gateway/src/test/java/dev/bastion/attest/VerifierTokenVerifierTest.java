package dev.bastion.attest;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bastion.identity.JwksSource;
import dev.bastion.identity.JwtConfig;
import dev.bastion.identity.JwtVerifier;
import dev.bastion.testing.ManualClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class VerifierTokenVerifierTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String MAA = "https://bastiontest.weu.attest.azure.net";
    static final String ITA = "https://portal.trustauthority.intel.com";
    static final String MEASUREMENT = "ab".repeat(48);
    static final byte[] BINDING = TdxTestAuthority.filled(64, 0x5c);

    static RSAKey serviceKey;
    static RSAKey attackerKey;
    @TempDir
    static Path dir;
    static Path jwks;
    final ManualClock clock = new ManualClock(NOW);

    @BeforeAll
    static void keys() throws Exception {
        serviceKey = new RSAKeyGenerator(2048).keyID("svc-1").generate();
        attackerKey = new RSAKeyGenerator(2048).keyID("svc-1").generate();
        jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(serviceKey.toPublicJWK()).toString());
    }

    VerifierTokenVerifier verifier(String issuer, VerifierTokenProfile profile, Set<String> algorithms) {
        JwtConfig config = new JwtConfig(issuer, Set.of("bastion"), algorithms, Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(1), 0,
                dev.bastion.identity.ClaimMapping.defaults());
        JwtVerifier jwt = JwtVerifier.forAttestationTokens(config, JwksSource.file(jwks), clock);
        return new VerifierTokenVerifier(jwt, profile, AllowList.of(MEASUREMENT), Set.of("UpToDate"));
    }

    static String token(RSAKey key, JWSAlgorithm alg, String issuer, Map<String, Object> claims, Instant exp)
            throws Exception {
        var b = new JWTClaimsSet.Builder().issuer(issuer).issueTime(Date.from(NOW.minusSeconds(5)))
                .notBeforeTime(Date.from(NOW.minusSeconds(5))).expirationTime(Date.from(exp));
        claims.forEach(b::claim);
        JWSHeader header = new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT)
                .jwkURL(URI.create(issuer + "/certs")).build();
        SignedJWT jwt = new SignedJWT(header, b.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    static Map<String, Object> maaClaims(boolean debuggable, String measurement, byte[] reportData) {
        return Map.of("x-ms-attestation-type", "sevsnpvm", "x-ms-sevsnpvm-is-debuggable", debuggable,
                "x-ms-sevsnpvm-launchmeasurement", measurement,
                "x-ms-sevsnpvm-reportdata", HexFormat.of().formatHex(reportData));
    }

    static Map<String, Object> itaClaims(String status) {
        return Map.of("attester_type", "TDX", "tdx_is_debuggable", false, "tdx_mrtd", MEASUREMENT.toUpperCase(),
                "tdx_report_data", java.util.Base64.getEncoder().encodeToString(BINDING),
                "attester_tcb_status", status);
    }

    Verdict maa(String token) {
        return verifier(MAA, VerifierTokenProfile.azureMaa(), Set.of("RS256")).verify(token, BINDING);
    }

    @Test
    void anAzureAttestationTokenWithAKeyUrlHeaderAndNoAudienceIsAcceptedFromTheConfiguredKeySet() throws Exception {
        Verdict v = maa(token(serviceKey, JWSAlgorithm.RS256, MAA, maaClaims(false, MEASUREMENT, BINDING),
                NOW.plusSeconds(600)));
        assertThat(v).isInstanceOf(Verdict.Attested.class);
        var a = (Verdict.Attested) v;
        assertThat(a.tee()).isEqualTo(Tee.SEV_SNP);
        assertThat(a.measurement()).isEqualTo(MEASUREMENT);
        assertThat(a.notAfter()).isEqualTo(NOW.plusSeconds(600));
    }

    @Test
    void anIntelTrustAuthorityPs384TokenIsAcceptedAndItsTcbStatusEnforced() throws Exception {
        var ita = verifier(ITA, VerifierTokenProfile.intelTrustAuthority(), Set.of("PS384"));
        Verdict ok = ita.verify(token(serviceKey, JWSAlgorithm.PS384, ITA, itaClaims("UpToDate"), NOW.plusSeconds(60)),
                BINDING);
        assertThat(ok).isInstanceOf(Verdict.Attested.class);
        assertThat(((Verdict.Attested) ok).claims()).containsEntry("tcb_status", "UpToDate");
        Verdict old = ita.verify(token(serviceKey, JWSAlgorithm.PS384, ITA, itaClaims("OutOfDate"),
                NOW.plusSeconds(60)), BINDING);
        assertThat(((Verdict.Refused) old).reason()).isEqualTo(Refusal.TCB_NOT_ACCEPTED);
    }

    @Test
    void aDebuggableGuestAnUnknownMeasurementOrAnotherBindingIsRefused() throws Exception {
        Instant exp = NOW.plusSeconds(600);
        assertThat(((Verdict.Refused) maa(token(serviceKey, JWSAlgorithm.RS256, MAA,
                maaClaims(true, MEASUREMENT, BINDING), exp))).reason()).isEqualTo(Refusal.DEBUG_ENABLED);
        assertThat(((Verdict.Refused) maa(token(serviceKey, JWSAlgorithm.RS256, MAA,
                maaClaims(false, "cd".repeat(48), BINDING), exp))).reason()).isEqualTo(Refusal.MEASUREMENT_NOT_ALLOWED);
        assertThat(((Verdict.Refused) maa(token(serviceKey, JWSAlgorithm.RS256, MAA,
                maaClaims(false, MEASUREMENT, new byte[64]), exp))).reason()).isEqualTo(Refusal.BINDING_MISMATCH);
    }

    @Test
    void aTokenNotSignedByTheServiceExpiredOrFromAnotherIssuerIsRefused() throws Exception {
        var claims = maaClaims(false, MEASUREMENT, BINDING);
        assertThat(maa(token(attackerKey, JWSAlgorithm.RS256, MAA, claims, NOW.plusSeconds(600))))
                .isEqualTo(Verdict.refused(Refusal.TOKEN_INVALID, "azure-maa token refused: bad_signature"));
        assertThat(maa(token(serviceKey, JWSAlgorithm.RS256, MAA, claims, NOW.minusSeconds(120))))
                .isEqualTo(Verdict.refused(Refusal.TOKEN_INVALID, "azure-maa token refused: expired"));
        assertThat(maa(token(serviceKey, JWSAlgorithm.RS256, "https://evil.attest.azure.net", claims,
                NOW.plusSeconds(600)))).isEqualTo(Verdict.refused(Refusal.TOKEN_INVALID,
                "azure-maa token refused: wrong_issuer"));
        assertThat(maa(token(serviceKey, JWSAlgorithm.PS384, MAA, claims, NOW.plusSeconds(600))))
                .isEqualTo(Verdict.refused(Refusal.TOKEN_INVALID, "azure-maa token refused: algorithm_not_allowed"));
        assertThat(((Verdict.Refused) maa("not.a.token")).reason()).isEqualTo(Refusal.TOKEN_INVALID);
    }

    @Test
    void aTokenForAnotherTeeIsRefused() throws Exception {
        var claims = new java.util.HashMap<>(maaClaims(false, MEASUREMENT, BINDING));
        claims.put("x-ms-attestation-type", "sgx");
        assertThat(((Verdict.Refused) maa(token(serviceKey, JWSAlgorithm.RS256, MAA, claims, NOW.plusSeconds(60))))
                .reason()).isEqualTo(Refusal.UNSUPPORTED);
    }
}
