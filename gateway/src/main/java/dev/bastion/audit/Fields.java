package dev.bastion.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Validation of audit field values. Audit entries hold identifiers and counts, never free text: a {@code token} is
 * 1–128 printable ASCII characters without spaces, a {@code name} (principal ids, which may be certificate subjects)
 * is 1–512 printable characters that may contain spaces but no control characters. Anything longer or containing
 * line breaks — the shape of prompt text — is refused. Messages name the field, never the value.
 */
final class Fields {
    static final int MAX_TOKEN = 128;
    static final int MAX_NAME = 512;
    static final int MAX_LIST = 64;

    private Fields() {}

    static String token(String field, String value) {
        if (value == null) throw new IllegalArgumentException(field + " is required");
        return optionalToken(field, value);
    }

    static String optionalToken(String field, String value) {
        if (value == null) return null;
        if (value.isEmpty() || value.length() > MAX_TOKEN) throw bad(field, "must be 1.." + MAX_TOKEN + " characters");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7F) throw bad(field, "must be printable ASCII without spaces");
        }
        return value;
    }

    static String name(String field, String value) {
        if (value == null) throw new IllegalArgumentException(field + " is required");
        if (value.isEmpty() || value.length() > MAX_NAME) throw bad(field, "must be 1.." + MAX_NAME + " characters");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F || Character.isSurrogate(c) && !validSurrogateAt(value, i)) {
                throw bad(field, "must not contain control characters");
            }
        }
        return value;
    }

    /** An ordered list of tokens (order is meaningful, e.g. rule evaluation order). */
    static List<String> tokens(String field, Collection<String> values) {
        if (values == null) return List.of();
        if (values.size() > MAX_LIST) throw bad(field, "must have at most " + MAX_LIST + " items");
        List<String> out = new ArrayList<>(values.size());
        for (String v : values) out.add(token(field, v));
        return List.copyOf(out);
    }

    /** A set of tokens, sorted so the entry is deterministic. */
    static List<String> sortedTokens(String field, Collection<String> values) {
        return List.copyOf(new TreeSet<>(tokens(field, values)));
    }

    static SortedMap<String, Long> counts(String field, Map<String, ? extends Number> counts) {
        TreeMap<String, Long> out = new TreeMap<>();
        if (counts == null) return out;
        if (counts.size() > MAX_LIST) throw bad(field, "must have at most " + MAX_LIST + " types");
        counts.forEach((k, v) -> {
            long n = v.longValue();
            if (n < 0) throw bad(field, "counts must be non-negative");
            out.put(token(field, k), n);
        });
        return java.util.Collections.unmodifiableSortedMap(out);
    }

    static long nonNegative(String field, long value) {
        if (value < 0) throw bad(field, "must be non-negative");
        return value;
    }

    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static IllegalArgumentException bad(String field, String rule) {
        return new IllegalArgumentException(field + " " + rule);
    }
}
