package dev.bastion.attest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/**
 * Intel PCS collateral as served: {@code {"<name>": {...}, "signature": "<hex r‖s>"}}, where the ECDSA P-256
 * signature covers the exact bytes of the named object as they appear in the response. The bytes are therefore
 * cut out of the body by position, never re-serialised.
 */
final class SignedJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();

    private SignedJson() {}

    /** Verifies the signature and returns the signed object. */
    static JsonNode verify(byte[] body, String name, PublicKey signer, String what) throws EvidenceException {
        int start = -1;
        int end = -1;
        String signature = null;
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad(what);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals(name) && t == JsonToken.START_OBJECT) {
                    start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    end = (int) p.currentTokenLocation().getByteOffset() + 1;
                } else if (field.equals("signature") && t == JsonToken.VALUE_STRING) {
                    signature = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw bad(what);
        }
        if (start < 0 || signature == null) throw bad(what);
        byte[] sig = parseHex(signature, what);
        int from = start;
        int length = end - start;
        if (sig.length != 64 || !VerifiedSignatures.verify(signer, body, from, length, sig,
                () -> Ecdsa.verifyRaw(signer, "SHA256withECDSA", sig, body, from, length))) {
            throw new EvidenceException(Refusal.COLLATERAL_INVALID, what + " signature does not verify");
        }
        try {
            return JSON.readTree(body, start, end - start);
        } catch (IOException e) {
            throw bad(what);
        }
    }

    /** Checks {@code issueDate <= at < nextUpdate}. */
    static void checkCurrent(JsonNode n, Instant at, String what) throws EvidenceException {
        Instant issued = instant(n, "issueDate", what);
        Instant next = instant(n, "nextUpdate", what);
        if (at.isBefore(issued) || !at.isBefore(next)) {
            throw new EvidenceException(Refusal.COLLATERAL_EXPIRED, what + " is valid " + issued + " to " + next
                    + ", not at " + at);
        }
    }

    static Instant instant(JsonNode n, String field, String what) throws EvidenceException {
        try {
            return Instant.parse(text(n, field, what));
        } catch (DateTimeParseException e) {
            throw bad(what);
        }
    }

    static String text(JsonNode n, String field, String what) throws EvidenceException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new EvidenceException(Refusal.MALFORMED, what + " lacks " + field);
        return v.asText();
    }

    static int integer(JsonNode n, String field, String what) throws EvidenceException {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt()) throw new EvidenceException(Refusal.MALFORMED, what + " lacks " + field);
        return v.asInt();
    }

    static byte[] hex(JsonNode n, String field, String what) throws EvidenceException {
        try {
            return HexFormat.of().parseHex(text(n, field, what));
        } catch (IllegalArgumentException e) {
            throw new EvidenceException(Refusal.MALFORMED, what + " " + field + " is not hex");
        }
    }

    private static byte[] parseHex(String hex, String what) throws EvidenceException {
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw bad(what);
        }
    }

    private static EvidenceException bad(String what) {
        return new EvidenceException(Refusal.MALFORMED, what + " is not signed PCS JSON");
    }
}
