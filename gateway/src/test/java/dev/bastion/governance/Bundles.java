package dev.bastion.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * Test signers that produce OpenSSF model-signing bundles the way the model-signing tool does (Sigstore bundle v0.3,
 * DSSE envelope over an in-toto statement with the {@code signature/v1.0} predicate), with a key or a certificate.
 */
final class Bundles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Bundles() {}

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** The in-toto statement for one file of a model. */
    static byte[] statement(String modelName, String fileName, String sha256) {
        ObjectNode st = JSON.createObjectNode();
        st.put("_type", "https://in-toto.io/Statement/v1");
        ObjectNode subject = st.putArray("subject").addObject();
        subject.put("name", modelName);
        subject.putObject("digest").put("sha256", Digests.hex(HexFormat.of().parseHex(sha256)));
        st.put("predicateType", "https://model_signing/signature/v1.0");
        ObjectNode predicate = st.putObject("predicate");
        ObjectNode ser = predicate.putObject("serialization");
        ser.put("method", "files");
        ser.put("hash_type", "sha256");
        ser.put("allow_symlinks", false);
        ObjectNode r = predicate.putArray("resources").addObject();
        r.put("name", fileName);
        r.put("algorithm", "sha256");
        r.put("digest", sha256);
        return st.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sign(KeyPair key, byte[] payload) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key.getPrivate());
        s.update(SignatureVerifier.pae(SignatureVerifier.IN_TOTO, payload));
        return s.sign();
    }

    /** A bundle signed with a key (verification material: a public key hint). */
    static ObjectNode withKey(KeyPair key, byte[] payload) throws Exception {
        ObjectNode b = envelope(payload, sign(key, payload));
        b.putObject("verificationMaterial").putObject("publicKey").put("hint",
                Digests.hex(key.getPublic().getEncoded()));
        return b;
    }

    /** A bundle signed with a certificate's key, carrying the chain (leaf first). */
    static ObjectNode withChain(KeyPair leafKey, List<X509Certificate> chain, byte[] payload) throws Exception {
        ObjectNode b = envelope(payload, sign(leafKey, payload));
        var certs = b.putObject("verificationMaterial").putObject("x509CertificateChain").putArray("certificates");
        for (X509Certificate c : chain) certs.addObject().put("rawBytes", Base64.getEncoder().encodeToString(c.getEncoded()));
        b.with("verificationMaterial").putArray("tlogEntries");
        return b;
    }

    private static ObjectNode envelope(byte[] payload, byte[] sig) {
        ObjectNode b = JSON.createObjectNode();
        b.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
        ObjectNode env = b.putObject("dsseEnvelope");
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        env.put("payloadType", "application/vnd.in-toto+json");
        env.putArray("signatures").addObject().put("sig", Base64.getEncoder().encodeToString(sig));
        return b;
    }

    /** A certificate for {@code subject}'s key, signed by {@code issuerKey}; a CA when {@code ca}. */
    static X509Certificate certificate(String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey, boolean ca,
                                       int keyUsage) throws Exception {
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
                new X500Name("CN=" + subject), subjectKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }

    static Path pem(Path dir, String name, String type, byte[] der) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n");
        return f;
    }
}
