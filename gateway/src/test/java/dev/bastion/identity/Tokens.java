package dev.bastion.identity;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mints tokens byte by byte, including the malformed and hostile ones a real library would refuse to produce. */
public final class Tokens {
    private Tokens() {}

    public interface Signer {
        byte[] sign(byte[] input) throws Exception;
    }

    /** The claims of a valid developer token (audience "bastion", ten minutes from {@code nowSeconds}). */
    public static Map<String, Object> developerClaims(String issuer, long nowSeconds) {
        var c = new LinkedHashMap<String, Object>();
        c.put("iss", issuer);
        c.put("sub", "alice");
        c.put("aud", "bastion");
        c.put("iat", nowSeconds);
        c.put("exp", nowSeconds + 600);
        c.put("roles", List.of("developer"));
        return c;
    }

    public static String b64(String json) { return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString(); }

    public static String json(Map<String, ?> m) {
        @SuppressWarnings("unchecked") var cast = (Map<String, Object>) m;
        return JSONObjectUtils.toJSONString(cast);
    }

    /** header.payload.signature with exactly the given header and payload JSON. */
    public static String mint(String headerJson, String payloadJson, Signer signer) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        try {
            byte[] sig = signer == null ? new byte[0] : signer.sign(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64URL.encode(sig);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String mint(Map<String, ?> header, Map<String, ?> payload, Signer signer) {
        return mint(json(header), json(payload), signer);
    }

    public static Map<String, Object> header(String alg, String kid) {
        var h = new LinkedHashMap<String, Object>();
        h.put("alg", alg);
        h.put("typ", "JWT");
        if (kid != null) h.put("kid", kid);
        return h;
    }

    public static Signer rs256(RSAKey key) { return jdk("SHA256withRSA", privateOf(key)); }

    public static Signer es256(ECKey key) { return jdk("SHA256withECDSAinP1363Format", privateOf(key)); }

    public static Signer hs256(byte[] secret) {
        return input -> {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(input);
        };
    }

    public static Signer jdk(String algorithm, PrivateKey key) {
        return input -> {
            var s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(input);
            return s.sign();
        };
    }

    private static PrivateKey privateOf(JWK key) {
        try {
            return switch (key) {
                case RSAKey r -> r.toPrivateKey();
                case ECKey e -> e.toPrivateKey();
                default -> throw new IllegalArgumentException();
            };
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey rsa(String kid) { return rsa(kid, 2048); }

    /** Another kid for existing key material (where the material does not matter, key generation is slow). */
    public static RSAKey rsaAs(RSAKey material, String kid) {
        try {
            return new RSAKey.Builder(material.toRSAPublicKey()).privateKey(material.toRSAPrivateKey()).keyID(kid).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey rsa(String kid, int bits) {
        try {
            return new RSAKeyGenerator(bits, true).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ec(String kid, Curve curve) {
        try {
            return new ECKeyGenerator(curve).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Ed25519 key pair as a JDK pair plus its public JWK (nimbus signs EdDSA only through Tink; the JDK does it). */
    public record Ed25519(KeyPair pair, OctetKeyPair publicJwk) {
        public Signer signer() { return jdk("Ed25519", pair.getPrivate()); }
    }

    public static Ed25519 ed25519(String kid) {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = kp.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            var jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw)).keyID(kid).build();
            return new Ed25519(kp, jwk);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String jwks(JWK... keys) {
        var list = Arrays.stream(keys)
                .map(k -> (k instanceof com.nimbusds.jose.jwk.OctetSequenceKey ? k : k.toPublicJWK()).toJSONObject()).toList();
        return JSONObjectUtils.toJSONString(Map.of("keys", list));
    }
}
