package dev.bastion.audit;

import dev.bastion.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Witness cosignatures of the log's checkpoints ({@code audit_cosignatures}): written by the witness publisher
 * once a line verified against the witness's key, read by {@link AuditLogReader} to serve checkpoints with them.
 */
public final class CheckpointCosignatures {
    private final Database db;

    public CheckpointCosignatures(Database db) {
        this.db = db;
    }

    /** Stores one witness's signature line (UTF-8, without its newline) for the checkpoint of {@code size}. */
    public void add(long size, String witness, byte[] line, long cosignedAt) throws AuditUnavailableException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_cosignatures (size, witness, line, cosigned_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")) {
            ps.setLong(1, size);
            ps.setString(2, witness);
            ps.setBytes(3, line);
            ps.setLong(4, cosignedAt);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new AuditUnavailableException("cannot store a cosignature", e);
        }
    }

    /** How many witnesses cosigned the checkpoint of {@code size}. */
    public int count(long size) throws AuditUnavailableException {
        try (Connection c = db.connection()) {
            return lines(c, size).size();
        } catch (SQLException e) {
            throw new AuditUnavailableException("cannot read cosignatures", e);
        }
    }

    static List<byte[]> lines(Connection c, long size) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT line FROM audit_cosignatures WHERE size = ? ORDER BY witness")) {
            ps.setLong(1, size);
            try (ResultSet rs = ps.executeQuery()) {
                List<byte[]> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getBytes(1));
                return out;
            }
        }
    }

    /** The largest checkpoint size that at least {@code quorum} witnesses cosigned, or -1. */
    static long newestWitnessed(Connection c, int quorum) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT size FROM audit_cosignatures GROUP BY size "
                + "HAVING COUNT(*) >= ? ORDER BY size DESC LIMIT 1")) {
            ps.setInt(1, quorum);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
