package dev.bastion.privacy;

import java.time.Instant;

/**
 * A grant or withdrawal to record, as an API call or an imported line states it: the subject by id (turned into a
 * token before anything is stored). {@code toString} never shows the id or the evidence.
 */
public record ConsentChange(String subjectId, String purpose, boolean granted, LawfulBasis basis, String evidence,
                            Instant expiresAt) {
    public ConsentChange {
        if (subjectId == null || subjectId.isEmpty()) throw new IllegalArgumentException("subject is required");
        if (purpose == null || purpose.isEmpty()) throw new IllegalArgumentException("purpose is required");
        if (basis == null) throw new IllegalArgumentException("basis is required");
    }

    @Override
    public String toString() {
        return "ConsentChange[" + purpose + ", " + (granted ? "granted" : "withdrawn") + ", " + basis.wire() + "]";
    }
}
