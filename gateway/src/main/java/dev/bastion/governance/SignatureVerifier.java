package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Verifies OpenSSF model-signing bundles offline: a Sigstore bundle (v0.2/v0.3 JSON) whose DSSE envelope carries an
 * in-toto statement with the {@code https://model_signing/signature/v1.0} predicate (or the older
 * {@code Digests/v0.1} one), signed by a configured public key or by a certificate that chains to a configured root.
 * Transparency-log entries in the bundle are ignored: nothing is looked up at run time. The statement must cover the
 * artifact: one of its resources is the artifact's SHA-256, and the subject digest is the SHA-256 over the resource
 * digests in order, as the model-signing format defines.
 */
public final class SignatureVerifier {
    static final int MAX_BUNDLE_BYTES = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> MEDIA_TYPES = Set.of("application/vnd.dev.sigstore.bundle.v0.3+json",
            "application/vnd.dev.sigstore.bundle+json;version=0.3",
            "application/vnd.dev.sigstore.bundle+json;version=0.2");
    static final String IN_TOTO = "application/vnd.in-toto+json";
    private static final String STATEMENT = "https://in-toto.io/Statement/v1";
    static final String PREDICATE = "https://model_signing/signature/v1.0";
    private static final String PREDICATE_V01 = "https://model_signing/Digests/v0.1";

    private final TrustedSigners trust;

    public SignatureVerifier(TrustedSigners trust) {
        this.trust = trust;
    }

    /**
     * @param artifactSha256 lower-case hex SHA-256 of the artifact the bundle must cover
     * @throws ProblemException 422 {@code signature_invalid} naming what failed (never echoing the bundle)
     */
    public SignatureCheck verify(byte[] bundle, String artifactSha256, Instant now) {
        if (bundle.length > MAX_BUNDLE_BYTES) throw invalid("the bundle is larger than 4 MiB");
        if (trust.isEmpty()) throw invalid("no signing keys or certificate roots are configured (governance.signing)");
        JsonNode b;
        try {
            b = JSON.readTree(bundle);
        } catch (java.io.IOException e) {
            throw invalid("the bundle is not JSON");
        }
        if (!MEDIA_TYPES.contains(b.path("mediaType").asText())) throw invalid("not a Sigstore bundle v0.2/v0.3");
        JsonNode envelope = b.path("dsseEnvelope");
        if (!IN_TOTO.equals(envelope.path("payloadType").asText())) throw invalid("the DSSE payload is not an in-toto statement");
        byte[] payload = base64(envelope.path("payload").asText(null), "payload");
        JsonNode sigs = envelope.path("signatures");
        if (!sigs.isArray() || sigs.isEmpty()) throw invalid("the DSSE envelope has no signature");
        byte[] sig = base64(sigs.get(0).path("sig").asText(null), "signature");
        byte[] pae = pae(IN_TOTO, payload);

        JsonNode material = b.path("verificationMaterial");
        String method;
        TrustedSigners.Signer signer;
        if (material.has("x509CertificateChain") || material.has("certificate")) {
            List<byte[]> chain = new java.util.ArrayList<>();
            if (material.has("certificate")) chain.add(base64(material.path("certificate").path("rawBytes").asText(null), "certificate"));
            for (JsonNode c : material.path("x509CertificateChain").path("certificates")) {
                chain.add(base64(c.path("rawBytes").asText(null), "certificate"));
            }
            if (chain.isEmpty()) throw invalid("the certificate chain is empty");
            signer = trust.chainSigner(chain).orElseThrow(() -> invalid("the certificate does not chain to a configured root"));
            method = "certificate";
        } else if (material.has("publicKey")) {
            signer = null;
            for (TrustedSigners.Signer k : trust.keys()) {
                if (verifies(k.key(), pae, sig)) {
                    signer = k;
                    break;
                }
            }
            if (signer == null) throw invalid("the signature does not verify with any configured key");
            method = "key";
        } else {
            throw invalid("the bundle has no verification material");
        }
        if (method.equals("certificate") && !verifies(signer.key(), pae, sig)) {
            throw invalid("the signature does not verify with the signing certificate");
        }
        String subjectName = covers(payload, artifactSha256);
        return new SignatureCheck(method, "sha256:" + Digests.hex(signer.key().getEncoded()), signer.name(),
                subjectName, Digests.of(bundle), now);
    }

    /** Checks the statement and returns its subject name; refuses one that does not cover the artifact. */
    private static String covers(byte[] payload, String artifactSha256) {
        JsonNode st;
        try {
            st = JSON.readTree(payload);
        } catch (java.io.IOException e) {
            throw invalid("the signed statement is not JSON");
        }
        if (!STATEMENT.equals(st.path("_type").asText())) throw invalid("the signed statement is not an in-toto v1 statement");
        String predicate = st.path("predicateType").asText();
        if (predicate.equals(PREDICATE_V01)) {
            for (JsonNode s : st.path("subject")) {
                if (artifactSha256.equals(s.path("digest").path("sha256").asText())) return s.path("name").asText("model");
            }
            throw invalid("the signed statement does not cover this artifact's digest");
        }
        if (!predicate.equals(PREDICATE)) throw invalid("the signed statement is not a model-signing statement");
        JsonNode subjects = st.path("subject");
        if (!subjects.isArray() || subjects.size() != 1) throw invalid("a model-signing statement has one subject");
        String root = subjects.get(0).path("digest").path("sha256").asText();
        ByteArrayOutputStream concat = new ByteArrayOutputStream();
        boolean found = false;
        for (JsonNode r : st.path("predicate").path("resources")) {
            String digest = r.path("digest").asText();
            try {
                concat.writeBytes(HexFormat.of().parseHex(digest));
            } catch (IllegalArgumentException e) {
                throw invalid("a resource digest is not hex");
            }
            if (r.path("algorithm").asText().equals("sha256") && digest.equals(artifactSha256)) found = true;
        }
        if (!Digests.hex(concat.toByteArray()).equals(root)) {
            throw invalid("the statement's subject digest does not match its resources");
        }
        if (!found) throw invalid("the signed statement does not cover this artifact's digest");
        return subjects.get(0).path("name").asText("model");
    }

    /** DSSE pre-authentication encoding: {@code DSSEv1 <len> <type> <len> <payload>}. */
    static byte[] pae(String type, byte[] payload) {
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("DSSEv1 " + t.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(t);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static boolean verifies(PublicKey key, byte[] data, byte[] sig) {
        try {
            Signature s = Signature.getInstance(algorithm(key));
            s.initVerify(key);
            s.update(data);
            return s.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** ECDSA with the hash the curve size calls for (as the model-signing format does), or Ed25519. */
    static String algorithm(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits <= 256 ? "SHA256withECDSA" : bits <= 384 ? "SHA384withECDSA" : "SHA512withECDSA";
        }
        if (key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA")) return "Ed25519";
        throw new IllegalArgumentException("unsupported key type");
    }

    private static byte[] base64(String value, String what) {
        if (value == null) throw invalid("the bundle has no " + what);
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw invalid("the bundle's " + what + " is not base64");
        }
    }

    static ProblemException invalid(String message) {
        return new ProblemException(ErrorCode.SIGNATURE_INVALID.problem(message));
    }
}
