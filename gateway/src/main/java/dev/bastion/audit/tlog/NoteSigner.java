package dev.bastion.audit.tlog;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * An Ed25519 signed-note signer. Holds a private key: {@link #toString()} shows only the public verifier key.
 * Thread-safe.
 */
public final class NoteSigner {
    private final String name;
    private final Ed25519PrivateKeyParameters privateKey;
    private final NoteVerifier verifier;

    private NoteSigner(String name, byte[] seed) {
        if (!Note.isValidKeyName(name)) throw new IllegalArgumentException("invalid key name");
        if (seed.length != 32) throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
        this.name = name;
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        this.verifier = new NoteVerifier(name, privateKey.generatePublicKey().getEncoded());
    }

    /** A signer named {@code name} for the 32-byte Ed25519 seed. */
    public static NoteSigner fromSeed(String name, byte[] seed) {
        return new NoteSigner(name, seed);
    }

    /** A fresh 32-byte Ed25519 seed from a strong random source. */
    public static byte[] newSeed() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return seed;
    }

    /** Parses the Go {@code PRIVATE+KEY+<name>+<hash>+<base64(0x01 ‖ seed)>} form. */
    public static NoteSigner parse(String skey) throws TlogException {
        String prefix = "PRIVATE+KEY+";
        if (skey == null || !skey.startsWith(prefix)) throw TlogException.malformed("not a signer key");
        String[] parts = skey.substring(prefix.length()).split("\\+", 3);
        if (parts.length != 3 || !Note.isValidKeyName(parts[0])) throw TlogException.malformed("not a signer key");
        byte[] key;
        try {
            key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw TlogException.malformed("signer key is not base64");
        }
        if (key.length != 33 || key[0] != NoteVerifier.ED25519) throw TlogException.malformed("not an Ed25519 key");
        NoteSigner s = new NoteSigner(parts[0], Arrays.copyOfRange(key, 1, 33));
        Arrays.fill(key, (byte) 0);
        if (!parts[1].equalsIgnoreCase(String.format("%08x", s.keyId()))) {
            throw TlogException.malformed("signer key hash does not match the key");
        }
        return s;
    }

    public String name() { return name; }

    public int keyId() { return verifier.keyId(); }

    public NoteVerifier verifier() { return verifier; }

    /** The printable verifier key ({@code name+hash+base64}) that checks this signer's notes. */
    public String verifierKey() { return verifier.encoded(); }

    /** Signs {@code text} (which must end in a newline) and returns the signed note. */
    public byte[] sign(String text) {
        if (text.isEmpty() || !text.endsWith("\n")) throw new IllegalArgumentException("note text must end in newline");
        byte[] msg = text.getBytes(StandardCharsets.UTF_8);
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, privateKey);
        s.update(msg, 0, msg.length);
        byte[] sig = s.generateSignature();
        return new Note(text, List.of(new Note.Signature(name, keyId(), sig))).toBytes();
    }

    @Override
    public String toString() { return "NoteSigner[" + verifierKey() + "]"; }
}
