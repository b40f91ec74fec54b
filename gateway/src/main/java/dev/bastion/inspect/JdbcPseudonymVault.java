package dev.bastion.inspect;

import dev.bastion.barrier.BlindIndex;
import dev.bastion.barrier.RecordCipher;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The pseudonym vault in the shared store (SQLite or PostgreSQL, table {@code inspect_pseudonyms}). Originals are
 * encrypted with the record path {@code inspect/pseudonyms/<conversation index>/<token>} as associated data; the
 * conversation id and the value are only kept as blind indexes. Concurrent requests of one conversation race on
 * the unique constraints and retry, so each value still gets exactly one token.
 */
public final class JdbcPseudonymVault implements PseudonymVault {
    private static final HexFormat HEX = HexFormat.of();

    private final Database db;
    private final RecordCipher cipher;
    private final BlindIndex blindIndex;
    private final Clock clock;
    private final Duration ttl;

    public JdbcPseudonymVault(Database db, RecordCipher cipher, BlindIndex blindIndex, Clock clock, Duration ttl) {
        this.blindIndex = blindIndex;
        this.db = db;
        this.cipher = cipher;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public String tokenFor(String conversation, EntityType type, String value) {
        return tokenFor(conversation, type, value, null);
    }

    @Override
    public String tokenFor(String conversation, EntityType type, String value, VaultOwner owner) {
        RecordCipher enc = owner == null ? cipher : owner.cipher();
        String conv = index("inspect/conversation", conversation);
        String valueIndex = index("inspect/value/" + conv, type.name() + '\u0000' + value);
        long now = clock.millis();
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Connection c = db.connection()) {
                String existing = existing(c, conv, valueIndex, now);
                if (existing != null) return existing;
                // an expired row for this value would block the insert: drop it first
                try (PreparedStatement d = c.prepareStatement(
                        "DELETE FROM inspect_pseudonyms WHERE conversation = ? AND value_index = ? AND expires_at <= ?")) {
                    d.setString(1, conv);
                    d.setString(2, valueIndex);
                    d.setLong(3, now);
                    d.executeUpdate();
                }
                int n = nextNumber(c, conv, type);
                String token = "<" + type.name() + "_" + n + ">";
                byte[] ct = enc.encrypt(path(conv, token), value.getBytes(StandardCharsets.UTF_8));
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO inspect_pseudonyms (conversation, token, "
                        + "entity_type, seq, value_index, ciphertext, created_at, expires_at, subjects, purpose, "
                        + "classification) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ins.setString(1, conv);
                    ins.setString(2, token);
                    ins.setString(3, type.name());
                    ins.setInt(4, n);
                    ins.setString(5, valueIndex);
                    ins.setBytes(6, ct);
                    ins.setLong(7, now);
                    ins.setLong(8, now + ttl.toMillis());
                    ins.setString(9, owner == null || owner.subjects().isEmpty() ? null
                            : " " + String.join(" ", owner.subjects()) + " ");
                    ins.setString(10, owner == null ? null : owner.purpose());
                    ins.setString(11, owner == null ? null : owner.classification());
                    ins.executeUpdate();
                    return token;
                } catch (SQLException conflict) {
                    // another request took this number or this value first: look again
                }
            } catch (SQLException e) {
                throw new StoreException("pseudonym vault write", e);
            }
        }
        throw new StoreException("pseudonym vault write", new SQLException("too many concurrent conflicts"));
    }

    @Override
    public String originalFor(String conversation, String token) {
        String conv = index("inspect/conversation", conversation);
        try (Connection c = db.connection();
             PreparedStatement q = c.prepareStatement("SELECT ciphertext FROM inspect_pseudonyms "
                     + "WHERE conversation = ? AND token = ? AND expires_at > ?")) {
            q.setString(1, conv);
            q.setString(2, token);
            q.setLong(3, clock.millis());
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) return null;
                return new String(cipher.decrypt(path(conv, token), rs.getBytes(1)), StandardCharsets.UTF_8);
            }
        } catch (SQLException e) {
            throw new StoreException("pseudonym vault read", e);
        }
    }

    @Override
    public int purgeExpired() {
        try (Connection c = db.connection();
             PreparedStatement d = c.prepareStatement("DELETE FROM inspect_pseudonyms WHERE expires_at <= ?")) {
            d.setLong(1, clock.millis());
            return d.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("pseudonym vault purge", e);
        }
    }

    private static String existing(Connection c, String conv, String valueIndex, long now) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT token FROM inspect_pseudonyms "
                + "WHERE conversation = ? AND value_index = ? AND expires_at > ?")) {
            q.setString(1, conv);
            q.setString(2, valueIndex);
            q.setLong(3, now);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Numbers only grow while a conversation has rows, so a live token never comes to mean someone else. */
    private static int nextNumber(Connection c, String conv, EntityType type) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT COALESCE(MAX(seq), 0) FROM inspect_pseudonyms WHERE conversation = ? AND entity_type = ?")) {
            q.setString(1, conv);
            q.setString(2, type.name());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1) + 1;
            }
        }
    }

    private String index(String path, String value) {
        return HEX.formatHex(blindIndex.of(path, value.getBytes(StandardCharsets.UTF_8)));
    }

    static String path(String conv, String token) {
        return "inspect/pseudonyms/" + conv + "/" + token;
    }
}
