package dev.bastion.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an accept record says about the request body that went to the backend: its length and SHA-256, computed
 * from the exact bytes sent (after every change a stage made), so anyone holding a capture of the call can check
 * that the record describes it. Never the content.
 */
public record SentBody(long bytes, String sha256) {
    public SentBody {
        if (bytes < 0) throw new IllegalArgumentException("bytes must be >= 0");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("sha256 must be 64 hex digits");
    }

    public static SentBody of(byte[] body) {
        try {
            return new SentBody(body.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
