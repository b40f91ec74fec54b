package dev.bastion.identity;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The API key string: {@code bst_<id>_<secret>}. The id (12 lowercase base32 characters) is public and used to find
 * the record; the secret (32 random bytes, base64url) is checked against the stored keyed hash. Parsing is strict and
 * allocation-light because it runs for every request, including hostile ones.
 */
final class ApiKeyFormat {
    static final String PREFIX = "bst_";
    static final int ID_LENGTH = 12;
    static final int SECRET_LENGTH = 43;
    static final int TOTAL_LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private ApiKeyFormat() {}

    /** A parsed key: id and secret. The secret never leaves identity code and is never printed. */
    record Parsed(String keyId, String secret) {
        @Override
        public String toString() { return "ApiKey[" + keyId + ", <redacted>]"; }
    }

    static boolean looksLikeKey(String token) {
        return token.startsWith(PREFIX);
    }

    /** Returns null when the string is not a well-formed key. */
    static Parsed parse(String token) {
        if (token.length() != TOTAL_LENGTH || !token.startsWith(PREFIX)) return null;
        int idEnd = PREFIX.length() + ID_LENGTH;
        if (token.charAt(idEnd) != '_') return null;
        for (int i = PREFIX.length(); i < idEnd; i++) {
            char c = token.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) return null;
        }
        for (int i = idEnd + 1; i < TOTAL_LENGTH; i++) {
            char c = token.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return null;
            }
        }
        return new Parsed(token.substring(PREFIX.length(), idEnd), token.substring(idEnd + 1));
    }

    static String newKeyId(SecureRandom random) {
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < ID_LENGTH; i++) id[i] = BASE32[random.nextInt(32)];
        return new String(id);
    }

    static String newSecret(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String format(String keyId, String secret) {
        return PREFIX + keyId + "_" + secret;
    }
}
