package dev.bastion.inspect;

import dev.bastion.barrier.RecordCipher;
import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pseudonym vault seen by data-subject rights and retention: the entries that belong to a subject (by keyed
 * token, see {@link VaultOwner}), their originals for an access request, and deletions with the identities of what
 * was deleted (for proof-of-deletion digests). Identities are {@code <conversation index>/<token>}: blind indexes
 * and pseudonyms, never values.
 */
public final class VaultRecords {
    private final Database db;
    private final RecordCipher cipher;

    /** @param cipher decrypts what the vault wrote (the same cipher the vault was built with) */
    public VaultRecords(Database db, RecordCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    public record Entry(String conversation, String token, String entityType, byte[] ciphertext, String purpose,
                        String classification, long createdAt, long expiresAt) {
        public String identity() { return conversation + "/" + token; }
    }

    /** Entries created for requests that named this subject. */
    public List<Entry> ofSubject(String subjectToken) {
        try (Connection c = db.connection();
             PreparedStatement q = c.prepareStatement("SELECT conversation, token, entity_type, ciphertext, purpose, "
                     + "classification, created_at, expires_at FROM inspect_pseudonyms WHERE subjects LIKE ? "
                     + "ORDER BY created_at, conversation, token")) {
            q.setString(1, "% " + subjectToken + " %");
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                            rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("pseudonym vault read by subject", e);
        }
    }

    /** The original an entry holds; fails ({@code shredded}) once its subject's key was destroyed. */
    public String original(Entry e) {
        return new String(cipher.decrypt(JdbcPseudonymVault.path(e.conversation(), e.token()), e.ciphertext()),
                StandardCharsets.UTF_8);
    }

    /** Deletes the subject's entries within the caller's transaction; returns how many. */
    public int deleteOfSubject(Connection c, String subjectToken) throws SQLException {
        try (PreparedStatement d = c.prepareStatement("DELETE FROM inspect_pseudonyms WHERE subjects LIKE ?")) {
            d.setString(1, "% " + subjectToken + " %");
            return d.executeUpdate();
        }
    }

    /**
     * Identities ({@code <conversation>/<token>}) of entries created before {@code cutoffMillis}, optionally only
     * those of one purpose and/or classification (null: any), sorted.
     */
    public List<String> createdBefore(long cutoffMillis, String purpose, String classification) {
        String sql = "SELECT conversation, token FROM inspect_pseudonyms WHERE created_at < ?"
                + (purpose == null ? "" : " AND purpose = ?") + (classification == null ? "" : " AND classification = ?")
                + " ORDER BY conversation, token";
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement(sql)) {
            int i = 1;
            q.setLong(i++, cutoffMillis);
            if (purpose != null) q.setString(i++, purpose);
            if (classification != null) q.setString(i, classification);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1) + "/" + rs.getString(2));
            }
            return ids;
        } catch (SQLException e) {
            throw new StoreException("pseudonym vault retention scan", e);
        }
    }

    /** Deletes the entries with these identities in the caller's transaction; returns how many went. */
    public int delete(Connection c, List<String> identities) throws SQLException {
        int n = 0;
        try (PreparedStatement d = c.prepareStatement("DELETE FROM inspect_pseudonyms WHERE conversation = ? AND token = ?")) {
            for (String id : identities) {
                int slash = id.indexOf('/');
                d.setString(1, id.substring(0, slash));
                d.setString(2, id.substring(slash + 1));
                n += d.executeUpdate();
            }
        }
        return n;
    }
}
