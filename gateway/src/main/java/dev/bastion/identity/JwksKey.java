package dev.bastion.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * One public verification key from a key set, with its verifier built once. Only RSA (≥ 2048 bits; RS256, and
 * PSS for attestation tokens), EC P-256 and OKP Ed25519 keys are kept; symmetric ({@code oct}) keys are never
 * usable, which rules out HMAC-with-public-key confusion on the key side as well as on the algorithm side.
 */
final class JwksKey {
    private static final Set<String> RSA_ALGS = Set.of("RS256", "PS256", "PS384");
    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519; the raw 32-byte key follows. */
    private static final byte[] ED25519_SPKI = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final String kid;
    private final String alg;        // the JWK's own "alg", or null
    private final Set<String> fitsAlgs; // the JWS algs this key can verify (RSA: PKCS#1 v1.5 or PSS)
    private final boolean usable;    // use/key_ops allow verification
    private final String json;
    private final JWSVerifier nimbus;
    private final PublicKey ed25519;

    private JwksKey(JWK jwk, Set<String> fitsAlgs, JWSVerifier nimbus, PublicKey ed25519) {
        this.kid = jwk.getKeyID();
        this.alg = jwk.getAlgorithm() == null ? null : jwk.getAlgorithm().getName();
        this.fitsAlgs = fitsAlgs;
        this.usable = (jwk.getKeyUse() == null || KeyUse.SIGNATURE.equals(jwk.getKeyUse()))
                && (jwk.getKeyOperations() == null || jwk.getKeyOperations().contains(KeyOperation.VERIFY));
        this.json = jwk.toPublicJWK().toJSONString();
        this.nimbus = nimbus;
        this.ed25519 = ed25519;
    }

    /** The key as a verifier, or null when Bastion never verifies with keys like it. */
    static JwksKey of(JWK jwk) {
        try {
            return switch (jwk) {
                case RSAKey rsa when rsa.size() >= 2048 ->
                        new JwksKey(jwk, RSA_ALGS, new RSASSAVerifier(rsa.toRSAPublicKey()), null);
                case ECKey ec when Curve.P_256.equals(ec.getCurve()) ->
                        new JwksKey(jwk, Set.of("ES256"), new ECDSAVerifier(ec.toECPublicKey()), null);
                case OctetKeyPair okp when Curve.Ed25519.equals(okp.getCurve()) ->
                        new JwksKey(jwk, Set.of("EdDSA"), null, ed25519(okp.getDecodedX()));
                default -> null;
            };
        } catch (JOSEException | GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static PublicKey ed25519(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) throw new GeneralSecurityException("Ed25519 key must be 32 bytes");
        byte[] der = new byte[ED25519_SPKI.length + 32];
        System.arraycopy(ED25519_SPKI, 0, der, 0, ED25519_SPKI.length);
        System.arraycopy(raw, 0, der, ED25519_SPKI.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    String kid() { return kid; }

    String json() { return json; }

    /** Whether this key may verify a token signed with {@code jwsAlg}: type, curve, size, use, key_ops, own alg. */
    boolean fits(String jwsAlg) { return usable && fitsAlgs.contains(jwsAlg) && (alg == null || alg.equals(jwsAlg)); }

    boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
        try {
            if (nimbus != null) return nimbus.verify(header, signingInput, signature);
            var sig = Signature.getInstance("Ed25519");
            sig.initVerify(ed25519);
            sig.update(signingInput);
            return sig.verify(signature.decode());
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
