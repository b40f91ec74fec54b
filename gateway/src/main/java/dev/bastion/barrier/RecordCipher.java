package dev.bastion.barrier;

/**
 * The shape every storage-side user of encryption depends on: a value is encrypted for one logical record path
 * (for example {@code vault/<conversation>/<n>}, {@code apikeys/hmac}) and only decrypts for that same path.
 * {@link Barrier} implements it, and so does the per-data-subject view from {@link Barrier#forSubject(String)}.
 * Failures are {@link BarrierException}s with a {@link BarrierException.Kind}, never garbage output.
 */
public interface RecordCipher {
    byte[] encrypt(String path, byte[] plaintext);

    byte[] decrypt(String path, byte[] ciphertext);
}
