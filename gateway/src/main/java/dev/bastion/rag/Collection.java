package dev.bastion.rag;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A set of documents with one owner, one classification floor, one access rule and one way of handling personal data.
 *
 * @param name           lower-case name, also the path segment ({@code [a-z0-9][a-z0-9._-]{0,62}})
 * @param owner          principal id accountable for the collection (recorded; policy may match on it)
 * @param classification no document of the collection is classified lower than this
 * @param access         who may retrieve, for which purposes
 * @param personalData   what ingestion does with personal data the detectors find
 * @param retentionDays  documents are deleted this many days after they were added; 0 keeps them until deleted
 * @param createdAt      epoch millis
 * @param createdBy      principal id
 */
record Collection(String name, String owner, String classification, AccessRule access, PersonalData personalData,
                  int retentionDays, long createdAt, String createdBy) {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    Collection {
        if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("bad collection name");
        if (access == null || personalData == null) throw new IllegalArgumentException("incomplete collection");
        if (retentionDays < 0) throw new IllegalArgumentException("negative retention");
    }

    /** What ingestion does with personal data found in a document of the collection. */
    enum PersonalData {
        /** Kept as written (findings are still counted). */
        STORE,
        /** Replaced by per-document pseudonyms before anything is stored or embedded; originals sealed apart. */
        PSEUDONYMISE,
        /** A document holding personal data is not stored. */
        REFUSE;

        String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        static PersonalData parse(String s) {
            return switch (s) {
                case "store" -> STORE;
                case "pseudonymise", "pseudonymize" -> PSEUDONYMISE;
                case "refuse" -> REFUSE;
                default -> throw new IllegalArgumentException("personal_data is store, pseudonymise or refuse");
            };
        }
    }

    /**
     * Who may retrieve from the collection, in the policy language: the caller needs one of {@code roles} (empty:
     * any), a declared purpose among {@code purposes} (null: any or none), and {@code when} (a CEL condition over
     * {@code principal}, {@code resource} — the collection — {@code request} and {@code action}, like a policy
     * rule's; "" for none) must hold.
     */
    record AccessRule(List<String> roles, List<String> purposes, String when) {
        AccessRule {
            roles = List.copyOf(roles);
            purposes = purposes == null ? null : List.copyOf(purposes);
            when = when == null ? "" : when;
        }
    }
}
