package dev.bastion.privacy;

import java.time.Instant;

/**
 * One registry record: the lawful basis for processing a subject's data for a purpose, as it stands.
 *
 * @param subject   the subject's keyed token (never the id)
 * @param granted   true while the basis is in force; false once withdrawn
 * @param evidence  reference to where the basis is documented (consent receipt id, contract number), or null;
 *                  held encrypted under the subject's key
 * @param expiresAt when the basis lapses on its own, or null
 */
public record Consent(String subject, String purpose, boolean granted, LawfulBasis basis, String evidence,
                      Instant expiresAt, Instant updatedAt, String updatedBy) {

    /** Whether this record is a basis for processing at {@code now}. */
    public boolean inForce(Instant now) {
        return granted && (expiresAt == null || expiresAt.isAfter(now));
    }

    public String state() { return granted ? "granted" : "withdrawn"; }

    @Override
    public String toString() {
        return "Consent[" + subject + ", " + purpose + ", " + state() + ", " + basis.wire() + "]";
    }
}
