package dev.bastion.audit;

import java.time.Instant;

/**
 * One record of the audit log. Every kind is a record of identifiers, labels and counts — there is no field that
 * could carry prompt or completion text, and string fields refuse values shaped like text (see {@link Fields}).
 * The log stores and hashes exactly {@link #toCanonicalJson()}.
 */
public sealed interface AuditEntry
        permits RequestEntry, CompleteEntry, RefusedEntry, RefusalWindowEntry, AdminEntry, EgressManifestEntry,
        ModelEntry, QuotaEntry, ErasureEntry, RetentionEntry, RetrievalEntry {

    /** The versioned kind, e.g. {@code bastion.audit.request/v1}. */
    String kind();

    Instant time();

    /** RFC 8785 canonical JSON, at most 65,535 bytes (the tlog-tiles entry limit). */
    default byte[] toCanonicalJson() {
        return EntryJson.encode(this);
    }

    /**
     * Whether a value may go into a label field (purpose, classification, subject id, client address, …): 1–128
     * printable ASCII characters without spaces. The API layer should reject {@code X-Bastion-*} headers that fail
     * this with {@code invalid_header} before the audit stage sees them.
     */
    static boolean isValidLabel(String value) {
        try {
            Fields.token("value", value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
