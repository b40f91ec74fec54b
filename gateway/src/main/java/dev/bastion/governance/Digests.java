package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.audit.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** {@code sha256:<hex>} digests of documents, bytes and texts. */
final class Digests {
    private Digests() {}

    static String ofJson(JsonNode node) { return of(CanonicalJson.encode(node)); }

    static String ofText(String text) { return of(text.getBytes(StandardCharsets.UTF_8)); }

    static String of(byte[] bytes) { return "sha256:" + hex(bytes); }

    /** Lower-case hex SHA-256, no prefix. */
    static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
