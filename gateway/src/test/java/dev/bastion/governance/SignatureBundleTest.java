package dev.bastion.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.gguf.ModelFileDigest;
import dev.bastion.gguf.SyntheticLlamaModel;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static dev.bastion.testing.TestGateway.errorCode;
import static dev.bastion.testing.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * OpenSSF model-signing bundles are verified offline against configured keys and certificate roots: a bundle that
 * verifies is recorded with its signer; a tampered payload or signature, a bundle for another artifact, an unknown
 * key or root, or a signing certificate that may not sign, is refused — and a refused artifact is not registered.
 */
class SignatureBundleTest {
    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static KeyPair key;
    static KeyPair rootKey;
    static KeyPair leafKey;
    static java.security.cert.X509Certificate root;
    static java.security.cert.X509Certificate leaf;
    static SignatureVerifier verifier;
    @TempDir
    static Path dir;

    @BeforeAll
    static void keys() throws Exception {
        key = Bundles.ecKey();
        rootKey = Bundles.ecKey();
        leafKey = Bundles.ecKey();
        root = Bundles.certificate("Model CA", rootKey, "Model CA", rootKey, true, KeyUsage.keyCertSign);
        leaf = Bundles.certificate("release-bot", leafKey, "Model CA", rootKey, false, KeyUsage.digitalSignature);
        verifier = new SignatureVerifier(TrustedSigners.load(
                List.of(Bundles.pem(dir, "signer.pub", "PUBLIC KEY", key.getPublic().getEncoded())),
                List.of(Bundles.pem(dir, "root.pem", "CERTIFICATE", root.getEncoded()))));
    }

    private static byte[] bytes(ObjectNode bundle) { return bundle.toString().getBytes(StandardCharsets.UTF_8); }

    @Test
    void aBundleSignedWithAConfiguredKeyVerifiesAndNamesItsSigner() throws Exception {
        var check = verifier.verify(bytes(Bundles.withKey(key, Bundles.statement("tiny", "tiny.gguf", SHA))), SHA, Instant.now());
        assertThat(check.method()).isEqualTo("key");
        assertThat(check.signer()).isEqualTo("sha256:" + Digests.hex(key.getPublic().getEncoded()));
        assertThat(check.subjectName()).isEqualTo("tiny");
        assertThat(check.bundleDigest()).startsWith("sha256:");
    }

    @Test
    void aCertificateChainingToAConfiguredRootVerifies() throws Exception {
        var bundle = Bundles.withChain(leafKey, List.of(leaf, root), Bundles.statement("tiny", "tiny.gguf", SHA));
        var check = verifier.verify(bytes(bundle), SHA, Instant.now());
        assertThat(check.method()).isEqualTo("certificate");
        assertThat(check.signerName()).isEqualTo("CN=release-bot");
    }

    @Test
    void tamperedBundlesAreRefused() throws Exception {
        byte[] statement = Bundles.statement("tiny", "tiny.gguf", SHA);
        ObjectNode good = Bundles.withKey(key, statement);

        ObjectNode payload = good.deepCopy();
        String other = new String(statement, StandardCharsets.UTF_8).replace("\"tiny\"", "\"tinz\"");
        payload.with("dsseEnvelope").put("payload", Base64.getEncoder().encodeToString(other.getBytes(StandardCharsets.UTF_8)));
        refused(payload, SHA, "does not verify");

        ObjectNode sig = good.deepCopy();
        byte[] s = Base64.getDecoder().decode(sig.path("dsseEnvelope").path("signatures").get(0).path("sig").asText());
        s[s.length - 1] ^= 1;
        ((ObjectNode) sig.with("dsseEnvelope").withArray("signatures").get(0)).put("sig", Base64.getEncoder().encodeToString(s));
        refused(sig, SHA, "does not verify");

        refused(good, SHA.replace('9', '8'), "does not cover");
        refused(Bundles.withKey(Bundles.ecKey(), statement), SHA, "any configured key");

        ObjectNode media = good.deepCopy();
        media.put("mediaType", "application/json");
        refused(media, SHA, "Sigstore bundle");
    }

    @Test
    void aStatementWhoseSubjectDoesNotSumItsResourcesIsRefused() throws Exception {
        String text = new String(Bundles.statement("tiny", "tiny.gguf", SHA), StandardCharsets.UTF_8);
        String subject = Digests.hex(java.util.HexFormat.of().parseHex(SHA));
        byte[] forged = text.replace(subject, subject.replace('a', 'b')).getBytes(StandardCharsets.UTF_8);
        refused(Bundles.withKey(key, forged), SHA, "subject digest");
    }

    @Test
    void certificatesFromAnUnknownRootOrThatMayNotSignAreRefused() throws Exception {
        KeyPair otherRootKey = Bundles.ecKey();
        var otherRoot = Bundles.certificate("Other CA", otherRootKey, "Other CA", otherRootKey, true, KeyUsage.keyCertSign);
        var stranger = Bundles.certificate("release-bot", leafKey, "Other CA", otherRootKey, false, KeyUsage.digitalSignature);
        byte[] statement = Bundles.statement("tiny", "tiny.gguf", SHA);
        refused(Bundles.withChain(leafKey, List.of(stranger, otherRoot), statement), SHA, "chain to a configured root");
        var encipherOnly = Bundles.certificate("release-bot", leafKey, "Model CA", rootKey, false, KeyUsage.keyEncipherment);
        refused(Bundles.withChain(leafKey, List.of(encipherOnly), statement), SHA, "chain to a configured root");
    }

    private static void refused(ObjectNode bundle, String sha, String because) {
        assertThatThrownBy(() -> verifier.verify(bytes(bundle), sha, Instant.now()))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().code().code()).isEqualTo("signature_invalid");
                    assertThat(e.problem().message()).contains(because);
                });
    }

    @Test
    void theRegistryApiRecordsAVerifiedSignatureAndRefusesATamperedOne() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path file = models.resolve("tiny.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        String sha = ModelFileDigest.sha256(file, (d, t) -> { });
        Path keyPem = Bundles.pem(dir, "api-signer.pub", "PUBLIC KEY", key.getPublic().getEncoded());
        try (var upstream = new StandInUpstream(); var gw = TestGateway.start(upstream, """
                governance:
                  model-dirs: ["%s"]
                  signing: {keys: ["%s"], require: true}
                """.formatted(models, keyPem))) {
            var people = new Stewards(gw);
            ObjectNode good = Bundles.withKey(key, Bundles.statement("tiny", "tiny.gguf", sha));
            ObjectNode tampered = good.deepCopy();
            tampered.with("dsseEnvelope").put("payload", Base64.getEncoder().encodeToString(
                    Bundles.statement("tiny", "tiny.gguf", sha.replace('0', '1')))); // signature no longer matches
            var refused = people.post(people.a, "/bastion/v1/models", """
                    {"source":"local","path":"%s","name":"tiny","signature_bundle":%s}""".formatted(file, tampered));
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(errorCode(refused)).isEqualTo("signature_invalid");
            assertThat(json(people.get(people.a, "/bastion/v1/models").body()).path("data")).isEmpty();

            var unsigned = people.post(people.a, "/bastion/v1/models", """
                    {"source":"local","path":"%s","name":"tiny"}""".formatted(file));
            String id = json(unsigned.body()).path("id").asText();
            assertThat(json(unsigned.body()).path("signature").isNull()).isTrue();
            var signed = people.post(people.a, "/bastion/v1/models/" + id + "/signature", good.toString());
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
            assertThat(json(signed.body()).path("signature").path("method").asText()).isEqualTo("key");
            assertThat(json(signed.body()).path("signature").path("verified").asBoolean()).isTrue();
            var card = people.get(people.a, "/bastion/v1/models/" + id + "/card?format=markdown");
            assertThat(card.body()).contains("verified offline (key");
            // a path outside governance.model-dirs is not read at all
            var outside = people.post(people.a, "/bastion/v1/models", """
                    {"source":"local","path":"%s"}""".formatted(keyPem));
            assertThat(errorCode(outside)).isEqualTo("invalid_field");
        }
    }
}
