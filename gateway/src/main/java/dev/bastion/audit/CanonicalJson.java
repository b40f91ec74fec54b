package dev.bastion.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme: object members sorted by their names' UTF-16 code units, no whitespace,
 * strings with only the mandatory escapes, numbers as ECMAScript prints IEEE-754 doubles. Input that has no
 * canonical form — non-finite numbers, lone surrogates, binary or POJO nodes, integers beyond ±2^53 that a double
 * would silently round — is refused with {@link IllegalArgumentException} (the message never quotes the value).
 */
public final class CanonicalJson {
    private static final long MAX_SAFE_INTEGER = (1L << 53);

    private CanonicalJson() {}

    public static byte[] encode(JsonNode node) {
        StringBuilder sb = new StringBuilder(256);
        write(node, sb);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String encodeToString(JsonNode node) {
        StringBuilder sb = new StringBuilder(256);
        write(node, sb);
        return sb.toString();
    }

    private static void write(JsonNode node, StringBuilder sb) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
                node.properties().forEach(members::add);
                members.sort(Map.Entry.comparingByKey()); // String.compareTo compares UTF-16 code units
                sb.append('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) sb.append(',');
                    string(members.get(i).getKey(), sb);
                    sb.append(':');
                    write(members.get(i).getValue(), sb);
                }
                sb.append('}');
            }
            case ARRAY -> {
                sb.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) sb.append(',');
                    write(node.get(i), sb);
                }
                sb.append(']');
            }
            case STRING -> string(node.textValue(), sb);
            case NUMBER -> number(node, sb);
            case BOOLEAN -> sb.append(node.booleanValue() ? "true" : "false");
            case NULL -> sb.append("null");
            default -> throw new IllegalArgumentException("JSON node type " + node.getNodeType() + " has no canonical form");
        }
    }

    private static void number(JsonNode node, StringBuilder sb) {
        if (node.isIntegralNumber()) {
            // an integer that does not fit a long is beyond ±2^53 anyway
            long v = node.canConvertToLong() ? node.longValue() : Long.MIN_VALUE;
            if (v > MAX_SAFE_INTEGER || v < -MAX_SAFE_INTEGER) {
                throw new IllegalArgumentException("integer outside the I-JSON safe range");
            }
            sb.append(v);
        } else {
            sb.append(formatDouble(node.doubleValue()));
        }
    }

    /** ECMAScript Number.prototype.toString for a finite double (RFC 8785 section 3.2.2.3). */
    public static String formatDouble(double d) {
        if (!Double.isFinite(d)) throw new IllegalArgumentException("NaN and Infinity have no JSON form");
        if (d == 0) return "0";
        String sign = d < 0 ? "-" : "";
        double abs = Math.abs(d);
        // JDK 19+ Double.toString yields the shortest decimal that round-trips, except that it may use 2 digits
        // where 1 suffices; ECMAScript wants the fewest digits.
        BigDecimal dec = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
        if (dec.precision() == 2) dec = oneDigitIfExact(dec, abs);
        String digits = dec.unscaledValue().toString();
        int k = digits.length();
        int n = k - dec.scale(); // value = 0.digits × 10^n
        StringBuilder sb = new StringBuilder(sign);
        if (k <= n && n <= 21) {
            sb.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            sb.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int e = n - 1;
            sb.append(digits.charAt(0));
            if (k > 1) sb.append('.').append(digits, 1, k);
            sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return sb.toString();
    }

    private static BigDecimal oneDigitIfExact(BigDecimal dec, double abs) {
        BigDecimal best = null;
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
            BigDecimal c = dec.round(new java.math.MathContext(1, mode));
            if (Double.parseDouble(c.toString()) != abs) continue;
            if (best == null) {
                best = c;
            } else {
                BigDecimal exact = new BigDecimal(abs);
                int cmp = c.subtract(exact).abs().compareTo(best.subtract(exact).abs());
                if (cmp < 0 || (cmp == 0 && c.unscaledValue().testBit(0) == false)) best = c;
            }
        }
        return best == null ? dec : best.stripTrailingZeros();
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        int plain = 0; // audit values are mostly identifiers: copy the run that needs no escape in one go
        while (plain < s.length()) {
            char c = s.charAt(plain);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) break;
            plain++;
        }
        sb.append(s, 0, plain);
        for (int i = plain; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) throw loneSurrogate();
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isLowSurrogate(c)) {
                        throw loneSurrogate();
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static IllegalArgumentException loneSurrogate() {
        return new IllegalArgumentException("string holds a lone surrogate and is not valid Unicode");
    }
}
