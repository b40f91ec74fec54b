package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.store.Database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The {@code datasets} table (V600). */
final class DatasetStore {
    private static final String COLUMNS = "id, name, sha256, size_bytes, path, source, consent_basis, records, "
            + "pii_report, registered_by, registered_at";

    private final Database db;

    DatasetStore(Database db) {
        this.db = db;
    }

    void insert(Connection c, Dataset d) throws SQLException {
        Map<String, Object> report = new TreeMap<>();
        report.put("records_with_pii", d.piiRecords());
        report.put("by_type", new TreeMap<>(d.piiByType()));
        Jdbc.update(c, "INSERT INTO datasets (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", d.id(), d.name(),
                d.sha256(), d.sizeBytes(), d.path().toString(), d.source(), d.consentBasis(), d.records(),
                EntryStore.toJson(report), d.registeredBy(), d.registeredAt().toEpochMilli());
    }

    static boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT 1 FROM datasets WHERE id = ?", id);
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    Optional<Dataset> find(String id) {
        return Jdbc.read(db, "find dataset", c -> {
            List<Dataset> found = all(c, "WHERE id = ?", id);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        });
    }

    boolean nameTaken(Connection c, String name) throws SQLException {
        return !all(c, "WHERE name = ?", name).isEmpty();
    }

    List<Dataset> list() {
        return Jdbc.read(db, "list datasets", c -> all(c, "ORDER BY name"));
    }

    private static List<Dataset> all(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT " + COLUMNS + " FROM datasets " + where, params);
             ResultSet rs = ps.executeQuery()) {
            List<Dataset> out = new ArrayList<>();
            while (rs.next()) {
                JsonNode report = EntryStore.readJson(rs.getString(9));
                Map<String, Long> byType = new TreeMap<>();
                report.path("by_type").properties().forEach(e -> byType.put(e.getKey(), e.getValue().asLong()));
                out.add(new Dataset(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        Path.of(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getLong(8),
                        report.path("records_with_pii").asLong(), byType, rs.getString(10),
                        Instant.ofEpochMilli(rs.getLong(11))));
            }
            return out;
        }
    }
}
