package dev.bastion.inspect;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/** A real AES-256-GCM {@link RecordCipher} for tests (the barrier provides the production one): nonce ‖ ciphertext. */
final class AesGcmTestCipher implements RecordCipher {
    private final SecretKeySpec key;
    private final SecretKeySpec macKey;
    private final SecureRandom random = new SecureRandom();

    AesGcmTestCipher() {
        byte[] k = new byte[32];
        byte[] m = new byte[32];
        random.nextBytes(k);
        random.nextBytes(m);
        key = new SecretKeySpec(k, "AES");
        macKey = new SecretKeySpec(m, "HmacSHA256");
    }

    @Override
    public byte[] encrypt(String path, byte[] plaintext) {
        try {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(path.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext);
            byte[] out = Arrays.copyOf(nonce, 12 + ct.length);
            System.arraycopy(ct, 0, out, 12, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] decrypt(String path, byte[] ciphertext) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, ciphertext, 0, 12));
            c.updateAAD(path.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(ciphertext, 12, ciphertext.length - 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed", e);
        }
    }

    @Override
    public byte[] blindIndex(String path, byte[] value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            mac.update(path.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
