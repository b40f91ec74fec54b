package dev.bastion.audit.tlog;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * C2SP tlog-cosignature v1 with Ed25519: a witness's timestamped statement that a checkpoint is the largest
 * consistent tree it has seen for the log. The signature line's bytes are key ID ‖ u64 timestamp ‖ signature over
 * {@code "cosignature/v1\ntime <t>\n" ‖ checkpoint text}; the key ID uses signature type 0x04, so a cosigner key
 * can never be mistaken for a log's (0x01) key.
 */
public final class Cosignature {
    static final byte TYPE = 0x04;
    private static final int SIGNATURE_BYTES = 8 + 64;

    private Cosignature() {}

    /** A cosigner's public key, written {@code <name>+<8 hex key ID>+<base64(0x04 ‖ 32-byte key)>}. */
    public record Verifier(String name, byte[] publicKey, int keyId) {
        public Verifier {
            if (!Note.isValidKeyName(name)) throw new IllegalArgumentException("invalid cosigner name");
            if (publicKey.length != 32) throw new IllegalArgumentException("an Ed25519 key is 32 bytes");
            publicKey = publicKey.clone();
            if (keyId != Cosignature.keyId(name, publicKey)) throw new IllegalArgumentException("key ID mismatch");
        }

        public static Verifier of(String name, byte[] publicKey) {
            return new Verifier(name, publicKey, Cosignature.keyId(name, publicKey));
        }

        public static Verifier parse(String vkey) throws TlogException {
            String[] parts = vkey == null ? new String[0] : vkey.split("\\+", 3);
            if (parts.length != 3 || !Note.isValidKeyName(parts[0])) throw TlogException.malformed("not a cosigner key");
            byte[] k;
            try {
                k = Base64.getDecoder().decode(parts[2]);
            } catch (IllegalArgumentException e) {
                throw TlogException.malformed("cosigner key is not base64");
            }
            if (k.length != 33 || k[0] != TYPE) throw TlogException.malformed("not an Ed25519 cosignature/v1 key");
            Verifier v = of(parts[0], Arrays.copyOfRange(k, 1, 33));
            if (!parts[1].equalsIgnoreCase(HexFormat.of().toHexDigits(v.keyId()))) {
                throw TlogException.malformed("cosigner key hash does not match the key");
            }
            return v;
        }

        public String encoded() {
            byte[] k = new byte[33];
            k[0] = TYPE;
            System.arraycopy(publicKey, 0, k, 1, 32);
            return name + "+" + HexFormat.of().toHexDigits(keyId) + "+" + Base64.getEncoder().encodeToString(k);
        }

        /**
         * The timestamp of {@code sig} when it is this cosigner's valid cosignature of {@code checkpointText};
         * empty when the line is someone else's (name or key ID differ) or does not verify.
         */
        public OptionalLong verify(String checkpointText, Note.Signature sig) {
            if (!sig.name().equals(name) || sig.keyId() != keyId || sig.signature().length != SIGNATURE_BYTES) {
                return OptionalLong.empty();
            }
            long time = ByteBuffer.wrap(sig.signature(), 0, 8).getLong();
            if (time < 0) return OptionalLong.empty();
            try {
                Ed25519Signer s = new Ed25519Signer();
                s.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
                byte[] msg = message(checkpointText, time);
                s.update(msg, 0, msg.length);
                return s.verifySignature(Arrays.copyOfRange(sig.signature(), 8, SIGNATURE_BYTES))
                        ? OptionalLong.of(time) : OptionalLong.empty();
            } catch (RuntimeException e) {
                return OptionalLong.empty();
            }
        }

        @Override
        public String toString() { return encoded(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Verifier v && v.name.equals(name) && Arrays.equals(v.publicKey, publicKey);
        }

        @Override
        public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(publicKey); }
    }

    /** Signs cosignatures (a witness's side; Bastion uses it for its in-test witness and tools). */
    public static final class Signer {
        private final Ed25519PrivateKeyParameters key;
        private final Verifier verifier;

        public Signer(String name, byte[] seed) {
            if (seed.length != 32) throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
            this.key = new Ed25519PrivateKeyParameters(seed, 0);
            this.verifier = Verifier.of(name, key.generatePublicKey().getEncoded());
        }

        public Verifier verifier() { return verifier; }

        /** The signature line's data for {@code checkpointText} at POSIX time {@code time}. */
        public Note.Signature sign(String checkpointText, long time) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, key);
            byte[] msg = message(checkpointText, time);
            s.update(msg, 0, msg.length);
            byte[] sig = ByteBuffer.allocate(SIGNATURE_BYTES).putLong(time).put(s.generateSignature()).array();
            return new Note.Signature(verifier.name(), verifier.keyId(), sig);
        }

        @Override
        public String toString() { return "Cosignature.Signer[" + verifier.encoded() + "]"; }
    }

    /** The POSIX time in a cosignature line's data, or -1 when it is not a cosignature/v1 Ed25519 signature. */
    public static long timestamp(Note.Signature sig) {
        return sig.signature().length == SIGNATURE_BYTES ? ByteBuffer.wrap(sig.signature(), 0, 8).getLong() : -1;
    }

    static byte[] message(String checkpointText, long time) {
        return ("cosignature/v1\ntime " + time + "\n" + checkpointText).getBytes(StandardCharsets.UTF_8);
    }

    static int keyId(String name, byte[] publicKey) {
        return NoteVerifier.keyId(name, TYPE, publicKey);
    }
}
