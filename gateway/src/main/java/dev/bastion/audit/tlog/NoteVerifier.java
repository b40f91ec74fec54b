package dev.bastion.audit.tlog;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * An Ed25519 signed-note verifier key, written {@code <name>+<8 hex key ID>+<base64(0x01 ‖ 32-byte public key)>}.
 * The key ID must be the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
 */
public final class NoteVerifier {
    static final byte ED25519 = 0x01;

    private final String name;
    private final int keyId;
    private final byte[] publicKey;

    NoteVerifier(String name, byte[] publicKey) {
        this.name = name;
        this.publicKey = publicKey.clone();
        this.keyId = keyId(name, publicKey);
    }

    public static NoteVerifier parse(String vkey) throws TlogException {
        String[] parts = vkey == null ? new String[0] : vkey.strip().split("\\+", 3);
        if (parts.length != 3 || !Note.isValidKeyName(parts[0]) || parts[1].length() != 8) {
            throw TlogException.malformed("verifier key must be name+hash+key");
        }
        int id;
        byte[] key;
        try {
            id = (int) Long.parseLong(parts[1], 16);
            key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw TlogException.malformed("verifier key hash or key is not encoded correctly");
        }
        if (key.length != 33 || key[0] != ED25519) throw TlogException.malformed("verifier key is not an Ed25519 key");
        NoteVerifier v = new NoteVerifier(parts[0], Arrays.copyOfRange(key, 1, 33));
        if (v.keyId != id) throw TlogException.malformed("verifier key hash does not match the key");
        try {
            new Ed25519PublicKeyParameters(v.publicKey, 0);
        } catch (IllegalArgumentException e) {
            throw TlogException.malformed("verifier key is not a valid Ed25519 point");
        }
        return v;
    }

    public String name() { return name; }

    public int keyId() { return keyId; }

    /** The printable verifier key string. */
    public String encoded() {
        byte[] k = new byte[33];
        k[0] = ED25519;
        System.arraycopy(publicKey, 0, k, 1, 32);
        return name + "+" + HexFormat.of().toHexDigits(keyId) + "+" + Base64.getEncoder().encodeToString(k);
    }

    @Override
    public String toString() { return encoded(); }

    boolean verify(byte[] message, byte[] signature) {
        if (signature.length != 64) return false;
        try {
            Ed25519Signer s = new Ed25519Signer();
            s.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            s.update(message, 0, message.length);
            return s.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Parses a signed note and returns its text when at least one signature by a known key verifies. Signatures by
     * unknown keys (name and ID not both matching) are ignored; a known key's bad signature rejects the note.
     */
    public static String open(byte[] note, List<NoteVerifier> known) throws TlogException {
        Note n = Note.parse(note);
        byte[] text = n.text().getBytes(StandardCharsets.UTF_8);
        boolean verified = false;
        for (Note.Signature sig : n.signatures()) {
            for (NoteVerifier v : known) {
                if (!v.name.equals(sig.name()) || v.keyId != sig.keyId()) continue;
                if (!v.verify(text, sig.signature())) {
                    throw new TlogException(TlogException.Reason.INVALID_SIGNATURE,
                            "signature by " + v.name + " does not verify");
                }
                verified = true;
            }
        }
        if (!verified) {
            throw new TlogException(TlogException.Reason.UNTRUSTED, "note is not signed by a known key");
        }
        return n.text();
    }

    static int keyId(String name, byte[] publicKey) {
        return keyId(name, ED25519, publicKey);
    }

    /** SHA-256(name ‖ 0x0A ‖ signature type ‖ public key)[:4], the signed-note key ID of every key type. */
    static int keyId(String name, byte type, byte[] publicKey) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(name.getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
            md.update(type);
            md.update(publicKey);
            return ByteBuffer.wrap(md.digest(), 0, 4).getInt();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
