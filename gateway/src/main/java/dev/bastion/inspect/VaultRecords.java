package dev.bastion.inspect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The pseudonym vault seen by data-subject rights and retention: the entries that belong to a subject (by keyed
 * token, see {@link VaultOwner}), their originals for an access request, and deletions with the identities of what
 * was deleted (for proof-of-deletion digests). Identities are {@code <conversation index>/<TYPE_n>}: blind indexes
 * and pseudonyms, never values. Every lookup is a prefix scan of the vault's index records
 * ({@link BarrierPseudonymVault}).
 */
public final class VaultRecords {
    private final BarrierPseudonymVault vault;

    public VaultRecords(BarrierPseudonymVault vault) {
        this.vault = vault;
    }

    /** An entry: {@code token} is the pseudonym as sent to models ({@code <TYPE_n>}). */
    public record Entry(String conversation, String name, String entityType, String purpose, String classification,
                        long createdAt, long expiresAt) {
        public String token() { return "<" + name + ">"; }

        public String identity() { return conversation + "/" + name; }
    }

    /** Live entries created for requests that named this subject, oldest first. */
    public List<Entry> ofSubject(String subjectToken) {
        List<Entry> out = new ArrayList<>();
        for (String id : identitiesOf(subjectToken)) {
            Entry e = entry(id);
            if (e != null) out.add(e);
        }
        out.sort(java.util.Comparator.comparingLong(Entry::createdAt).thenComparing(Entry::identity));
        return out;
    }

    /** The original an entry holds (null once expired); fails ({@code shredded}) once a subject's key was destroyed. */
    public String original(Entry e) {
        return vault.store().get(BarrierPseudonymVault.TOKENS + e.identity())
                .map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    /** Deletes the subject's entries and their index records; returns how many entries went. */
    public int deleteOfSubject(String subjectToken) {
        return delete(identitiesOf(subjectToken));
    }

    /**
     * Identities of live entries created before {@code cutoffMillis}, optionally only those of one purpose and/or
     * classification (null: any), sorted.
     */
    public List<String> createdBefore(long cutoffMillis, String purpose, String classification) {
        TreeSet<String> ids = new TreeSet<>();
        String cut = BarrierPseudonymVault.Label.millis(cutoffMillis);
        for (String path : vault.store().list(BarrierPseudonymVault.CREATED)) {
            String rest = path.substring(BarrierPseudonymVault.CREATED.length());
            int slash = rest.indexOf('/');
            if (rest.substring(0, slash).compareTo(cut) >= 0) break; // paths sort by creation time
            ids.add(rest.substring(slash + 1));
        }
        if (purpose == null && classification == null) return List.copyOf(ids);
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            Entry e = entry(id);
            if (e != null && (purpose == null || purpose.equals(e.purpose()))
                    && (classification == null || classification.equals(e.classification()))) {
                out.add(id);
            }
        }
        return out;
    }

    /** Deletes the entries with these identities and their index records; returns how many went. */
    public int delete(List<String> identities) {
        int n = 0;
        for (String id : identities) {
            int slash = id.indexOf('/');
            String conv = id.substring(0, slash);
            String name = id.substring(slash + 1);
            if (vault.delete(conv, name, vault.label(conv, name))) n++;
        }
        return n;
    }

    private List<String> identitiesOf(String subjectToken) {
        String prefix = BarrierPseudonymVault.SUBJECTS + subjectToken + "/";
        return vault.store().list(prefix).stream().map(p -> p.substring(prefix.length())).toList();
    }

    private Entry entry(String identity) {
        int slash = identity.indexOf('/');
        String conv = identity.substring(0, slash);
        String name = identity.substring(slash + 1);
        BarrierPseudonymVault.Label l = vault.label(conv, name);
        if (l == null) return null;
        return new Entry(conv, name, name.substring(0, name.lastIndexOf('_')), l.purpose(), l.classification(),
                l.createdAt(), l.expiresAt());
    }

}
