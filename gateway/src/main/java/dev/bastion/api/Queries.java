package dev.bastion.api;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query-parameter readers for Bastion's own list and search routes: typed 400s, values never echoed. */
final class Queries {
    private Queries() {}

    static int limit(AdminCall call, int fallback, int max) {
        return (int) number(call, "limit", fallback, 1, max);
    }

    static long number(AdminCall call, String name, long fallback, long min, long max) {
        return number(name, call.query(name).orElse(null), fallback, min, max);
    }

    static long number(String name, String v, long fallback, long min, long max) {
        if (v == null) return fallback;
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem(name + " must be an integer from " + min
                    + " to " + max, name));
        }
    }

    static Instant time(String name, String v) {
        if (v == null) return null;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem(name
                    + " must be an RFC 3339 time such as 2027-01-31T00:00:00Z", name));
        }
    }

    /** A filter value: 1 to 512 characters without control characters (principal ids may hold spaces). */
    static String label(String name, String v) {
        if (v == null) return null;
        if (v.isEmpty() || v.length() > 512 || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem(name + " must be 1 to 512 printable characters",
                    name));
        }
        return v;
    }
}
