package dev.bastion.barrier;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Server-held secrets (the API-key HMAC key at {@code apikeys/hmac}, the audit signing key at
 * {@code audit/signing-key}, backend credentials) stored as barrier ciphertexts in {@code barrier_secrets}; the
 * row's path is also the ciphertext's associated data, so a value copied to another row does not decrypt.
 */
public final class SecretStore {
    private static final Pattern PATH = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,199}");

    private final DataSource ds;
    private final RecordCipher cipher;
    private final Clock clock;

    public SecretStore(DataSource ds, RecordCipher cipher, Clock clock) {
        this.ds = ds;
        this.cipher = cipher;
        this.clock = clock;
    }

    public static SecretStore over(Database db, RecordCipher cipher) { return new SecretStore(db.dataSource(), cipher, Clock.systemUTC()); }

    public Optional<SecretBytes> get(String path) {
        check(path);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT value FROM barrier_secrets WHERE path = ?")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(SecretBytes.wrap(cipher.decrypt(path, rs.getBytes(1))));
            }
        } catch (SQLException e) {
            throw new StoreException("read secret", e);
        }
    }

    /** Creates or replaces the secret. */
    public void put(String path, SecretBytes value) {
        check(path);
        byte[] ct = cipher.encrypt(path, value.unsafeBytes());
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO barrier_secrets (path, value, updated_at) VALUES (?, ?, ?) "
                     + "ON CONFLICT (path) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")) {
            ps.setString(1, path);
            ps.setBytes(2, ct);
            ps.setLong(3, clock.millis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("write secret", e);
        }
    }

    /** The stored secret, or {@code length} fresh random bytes stored first; replicas racing agree on one value. */
    public SecretBytes getOrCreate(String path, int length, SecureRandom random) {
        Optional<SecretBytes> existing = get(path);
        if (existing.isPresent()) return existing.get();
        byte[] fresh = new byte[length];
        random.nextBytes(fresh);
        byte[] ct = cipher.encrypt(path, fresh);
        Arrays.fill(fresh, (byte) 0);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO barrier_secrets (path, value, updated_at) VALUES (?, ?, ?) "
                     + "ON CONFLICT DO NOTHING")) {
            ps.setString(1, path);
            ps.setBytes(2, ct);
            ps.setLong(3, clock.millis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("create secret", e);
        }
        return get(path).orElseThrow(() -> new IllegalStateException("secret vanished after insert"));
    }

    public boolean delete(String path) {
        check(path);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM barrier_secrets WHERE path = ?")) {
            ps.setString(1, path);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("delete secret", e);
        }
    }

    private static void check(String path) {
        if (path == null || !PATH.matcher(path).matches()) throw new IllegalArgumentException("invalid secret path");
    }
}
