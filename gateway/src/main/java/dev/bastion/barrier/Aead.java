package dev.bastion.barrier;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/** Single-shot AES-256-GCM in the envelope format ({@link Envelope}); values above the chunk size go to {@link ChunkedAead}. */
final class Aead {
    private Aead() {}

    static byte[] seal(AesKey key, byte version, long keyId, byte[] path, byte[] plaintext, SecureRandom random) {
        int prefix = Envelope.prefixLength(version);
        byte[] out = new byte[prefix + Envelope.NONCE + plaintext.length + Envelope.TAG];
        Envelope.writePrefix(out, version, keyId, Envelope.pathCheck(path));
        byte[] nonce = new byte[Envelope.NONCE];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, prefix, Envelope.NONCE);
        Cipher c = null;
        try {
            c = key.borrow();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(Envelope.TAG_BITS, nonce));
            c.updateAAD(out, 0, prefix);
            c.updateAAD(path);
            c.doFinal(plaintext, 0, plaintext.length, out, prefix + Envelope.NONCE);
            key.release(c);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    static byte[] open(AesKey key, Envelope.Header h, byte[] path, byte[] ct) {
        int prefix = h.prefixLength();
        Cipher c;
        try {
            c = key.borrow();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(Envelope.TAG_BITS, ct, prefix, Envelope.NONCE));
            c.updateAAD(ct, 0, prefix);
            c.updateAAD(path);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption unavailable: " + e.getClass().getSimpleName(), e);
        }
        int body = prefix + Envelope.NONCE;
        try {
            byte[] plain = c.doFinal(ct, body, ct.length - body);
            key.release(c);
            return plain;
        } catch (AEADBadTagException e) {
            throw new BarrierException(BarrierException.Kind.TAMPERED, "authentication failed");
        } catch (GeneralSecurityException e) {
            throw new BarrierException(BarrierException.Kind.TAMPERED, "decryption failed", e);
        }
    }

    /** GCM with a random nonce for small key-wrapping jobs: {@code nonce ‖ ciphertext ‖ tag}. */
    static byte[] wrap(AesKey kek, byte[] plaintext, byte[] ad, SecureRandom random) {
        byte[] nonce = new byte[Envelope.NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(Envelope.TAG_BITS, nonce));
            c.updateAAD(ad);
            byte[] out = new byte[Envelope.NONCE + plaintext.length + Envelope.TAG];
            System.arraycopy(nonce, 0, out, 0, Envelope.NONCE);
            c.doFinal(plaintext, 0, plaintext.length, out, Envelope.NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM wrap failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Inverse of {@link #wrap}; a wrong key or AD is {@code failure}. */
    static byte[] unwrap(AesKey kek, byte[] wrapped, byte[] ad, BarrierException.Kind failure) {
        if (wrapped == null || wrapped.length < Envelope.NONCE + Envelope.TAG) {
            throw new BarrierException(failure, "wrapped key is malformed");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(Envelope.TAG_BITS, wrapped, 0, Envelope.NONCE));
            c.updateAAD(ad);
            return c.doFinal(wrapped, Envelope.NONCE, wrapped.length - Envelope.NONCE);
        } catch (AEADBadTagException e) {
            throw new BarrierException(failure, "wrapped key did not authenticate");
        } catch (GeneralSecurityException e) {
            throw new BarrierException(failure, "unwrap failed", e);
        }
    }
}
