package dev.bastion.inspect;

/**
 * How the pseudonym vault protects what it stores. The barrier's keyring implements this (AEAD with the record's
 * logical path as associated data, so a ciphertext moved to another row does not decrypt); tests use a plain
 * AES-GCM implementation.
 */
public interface RecordCipher {

    /** Encrypts {@code plaintext}, binding it to {@code path}. */
    byte[] encrypt(String path, byte[] plaintext);

    /** Decrypts what {@link #encrypt} produced for the same path; throws if it was tampered with or moved. */
    byte[] decrypt(String path, byte[] ciphertext);

    /**
     * A keyed one-way index of {@code value} (e.g. HMAC-SHA-256 under a key derived for {@code path}), so the vault
     * can find an existing pseudonym without storing the value in the clear or as a guessable plain hash.
     */
    byte[] blindIndex(String path, byte[] value);
}
