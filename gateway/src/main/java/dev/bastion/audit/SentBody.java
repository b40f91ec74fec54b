package dev.bastion.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an accept record says about the request body a backend gets: the backend, and the length and SHA-256 of the
 * exact bytes prepared for it (after every change a stage made), so anyone holding a capture of the call can check
 * that the record describes it. Never the content. A request with fallbacks has one per backend it may go to.
 */
public record SentBody(String backend, long bytes, String sha256) {
    public SentBody {
        backend = Fields.token("sent.backend", backend);
        if (bytes < 0) throw new IllegalArgumentException("bytes must be >= 0");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("sha256 must be 64 hex digits");
    }

    public static SentBody of(String backend, byte[] body) {
        try {
            return new SentBody(backend, body.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
