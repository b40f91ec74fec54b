package dev.bastion.models;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code models} table (migration V500) on SQLite or PostgreSQL. */
public final class ModelStore {
    private static final String COLUMNS = "name, sha256, size_bytes, path, architecture, quantization, "
            + "context_length, chat_template, tokenizer, imported_at, imported_by";

    private final Database db;

    public ModelStore(Database db) {
        this.db = db;
    }

    /** @return false when the name is taken (nothing is written) */
    public boolean insert(ImportedModel m) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                if (find(c, m.name()).isPresent()) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO models (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, m.name());
                    ps.setString(2, m.sha256());
                    ps.setLong(3, m.sizeBytes());
                    ps.setString(4, m.path().toString());
                    ps.setString(5, m.architecture());
                    ps.setString(6, m.quantization());
                    if (m.contextLength() == null) ps.setNull(7, Types.BIGINT);
                    else ps.setLong(7, m.contextLength());
                    ps.setString(8, m.chatTemplate());
                    ps.setString(9, m.tokenizer());
                    ps.setLong(10, m.importedAtMillis());
                    ps.setString(11, m.importedBy());
                    ps.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (isUniqueViolation(e)) return false; // lost a race for the name
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("insert model", e);
        }
    }

    public Optional<ImportedModel> find(String name) {
        try (Connection c = db.connection()) {
            return find(c, name);
        } catch (SQLException e) {
            throw new StoreException("find model", e);
        }
    }

    public List<ImportedModel> list() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM models ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            List<ImportedModel> out = new ArrayList<>();
            while (rs.next()) out.add(row(rs));
            return out;
        } catch (SQLException e) {
            throw new StoreException("list models", e);
        }
    }

    private static Optional<ImportedModel> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM models WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static ImportedModel row(ResultSet rs) throws SQLException {
        long ctx = rs.getLong(7);
        Long context = rs.wasNull() ? null : ctx;
        return new ImportedModel(rs.getString(1), rs.getString(2), rs.getLong(3), Path.of(rs.getString(4)),
                rs.getString(5), rs.getString(6), context, rs.getString(8), rs.getString(9), rs.getLong(10),
                rs.getString(11));
    }

    private static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("23")) || e.getErrorCode() == 19; // 19 = SQLITE_CONSTRAINT
    }
}
