package dev.bastion.audit.tlog;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** C2SP tlog-cosignature v1 (Ed25519), checked against the spec's examples and the JDK's own Ed25519. */
class CosignatureTest {
    private static final String CHECKPOINT = "example.com/behind-the-sofa\n20852163\n"
            + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    // RFC 8032 section 7.1, test 1
    private static final byte[] SEED = HexFormat.of().parseHex(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    @Test
    void signatureIsEd25519OverTheSpecMessageWithTheTimestampFirst() throws Exception {
        Cosignature.Signer signer = new Cosignature.Signer("witness.example.com/w1", SEED);
        Note.Signature sig = signer.sign(CHECKPOINT, 1679315147L);
        assertThat(sig.signature()).hasSize(72);
        assertThat(ByteBuffer.wrap(sig.signature(), 0, 8).getLong()).isEqualTo(1679315147L);
        byte[] message = ("cosignature/v1\ntime 1679315147\n" + CHECKPOINT).getBytes(StandardCharsets.UTF_8);
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(jdkKey(signer.verifier().publicKey()));
        jdk.update(message);
        assertThat(jdk.verify(Arrays.copyOfRange(sig.signature(), 8, 72))).isTrue();
        assertThat(HexFormat.of().formatHex(signer.verifier().publicKey()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    }

    @Test
    void keyIdUsesSignatureType4SoALogKeyCannotPassForACosignerKey() throws Exception {
        Cosignature.Verifier v = new Cosignature.Signer("witness.example.com/w1", SEED).verifier();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update("witness.example.com/w1\n".getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0x04);
        md.update(v.publicKey());
        assertThat(v.keyId()).isEqualTo(ByteBuffer.wrap(md.digest(), 0, 4).getInt());
        assertThat(Cosignature.Verifier.parse(v.encoded())).isEqualTo(v);
        String logKey = NoteSigner.fromSeed("witness.example.com/w1", SEED).verifierKey();
        assertThatThrownBy(() -> Cosignature.Verifier.parse(logKey)).isInstanceOf(TlogException.class);
    }

    @Test
    void specExampleLineCarriesItsTimestampAfterTheKeyId() throws Exception {
        Note n = Note.parse((CHECKPOINT + "\n\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtP"
                + "HeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n").getBytes(StandardCharsets.UTF_8));
        assertThat(Cosignature.timestamp(n.signatures().getFirst())).isEqualTo(1679315147L);
    }

    @Test
    void verifyAcceptsOnlyThisCosignersSignatureOfThisCheckpoint() throws Exception {
        Cosignature.Signer signer = new Cosignature.Signer("w.test/1", SEED);
        Note.Signature sig = signer.sign(CHECKPOINT, 1700000000L);
        assertThat(signer.verifier().verify(CHECKPOINT, sig)).hasValue(1700000000L);
        assertThat(signer.verifier().verify(CHECKPOINT.replace("20852163", "20852164"), sig)).isEmpty();
        Cosignature.Verifier other = new Cosignature.Signer("w.test/1", NoteSigner.newSeed()).verifier();
        assertThat(other.verify(CHECKPOINT, sig)).isEmpty();
        byte[] moved = sig.signature().clone();
        moved[7] ^= 1; // the timestamp is signed too
        assertThat(signer.verifier().verify(CHECKPOINT, new Note.Signature(sig.name(), sig.keyId(), moved))).isEmpty();
        // a log's own (type 0x01) signature over the checkpoint is not a cosignature
        Note logNote = Note.parse(NoteSigner.fromSeed("w.test/1", SEED).sign(CHECKPOINT));
        assertThat(signer.verifier().verify(CHECKPOINT, logNote.signatures().getFirst())).isEmpty();
        assertThat(Base64.getEncoder().encodeToString(sig.signature())).isNotBlank();
    }

    private static PublicKey jdkKey(byte[] raw) throws Exception {
        byte[] le = raw.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) be[i] = le[31 - i];
        return KeyFactory.getInstance("Ed25519").generatePublic(
                new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new java.math.BigInteger(1, be))));
    }
}
