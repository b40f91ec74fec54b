package dev.bastion.governance;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;
import dev.bastion.store.Transactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** Small JDBC helpers for the registry's stores: one transaction per call, typed nullable parameters. */
final class Jdbc {
    private Jdbc() {}

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction; any failure rolls it back. */
    static <T> T tx(Database db, String what, Work<T> work) {
        return Transactions.run(db.dataSource(), what, work::run);
    }

    /** Runs {@code work} on a connection in auto-commit mode (reads). */
    static <T> T read(Database db, String what, Work<T> work) {
        try (Connection c = db.connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    static void set(PreparedStatement ps, int i, Object v) throws SQLException {
        switch (v) {
            case null -> ps.setNull(i, Types.NULL); // untyped, so PostgreSQL infers the column type
            case String s -> ps.setString(i, s);
            case Long l -> ps.setLong(i, l);
            case Integer n -> ps.setLong(i, n);
            default -> throw new IllegalArgumentException("unsupported parameter type " + v.getClass().getName());
        }
    }

    static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) set(ps, i + 1, params[i]);
        return ps;
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("23")) || e.getErrorCode() == 19; // 19 = SQLITE_CONSTRAINT
    }
}
