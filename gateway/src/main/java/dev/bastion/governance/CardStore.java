package dev.bastion.governance;

import dev.bastion.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code model_cards} and {@code model_approvals} tables (V600). */
final class CardStore {
    private final Database db;

    CardStore(Database db) {
        this.db = db;
    }

    /** Who approved which card and artifact, on what evidence; {@code overrideReason} only when a gate failed. */
    record Approval(String entryId, String approver, String cardDigest, String artifactDigest, List<String> evidence,
                    String overrideReason, Instant at) {}

    void insert(Connection c, String entryId, CardDocument doc, String by, Instant at) throws SQLException {
        Jdbc.update(c, "INSERT INTO model_cards (entry_id, version, document, digest, created_by, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", entryId, doc.version(), doc.canonical(), doc.digest(), by, at.toEpochMilli());
    }

    Optional<CardDocument> latest(String entryId) {
        return Jdbc.read(db, "read model card", c -> latest(c, entryId));
    }

    Optional<CardDocument> latest(Connection c, String entryId) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT version, document FROM model_cards WHERE entry_id = ? "
                + "ORDER BY version DESC LIMIT 1", entryId); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(CardDocument.parse(rs.getLong(1), rs.getString(2))) : Optional.empty();
        }
    }

    Optional<CardDocument> version(String entryId, long version) {
        return Jdbc.read(db, "read model card", c -> {
            try (PreparedStatement ps = Jdbc.prepare(c, "SELECT version, document FROM model_cards WHERE entry_id = ? "
                    + "AND version = ?", entryId, version); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(CardDocument.parse(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        });
    }

    /** Version numbers, oldest first. */
    List<Long> versions(String entryId) {
        return Jdbc.read(db, "list model cards", c -> {
            try (PreparedStatement ps = Jdbc.prepare(c, "SELECT version FROM model_cards WHERE entry_id = ? "
                    + "ORDER BY version", entryId); ResultSet rs = ps.executeQuery()) {
                List<Long> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getLong(1));
                return out;
            }
        });
    }

    /** @return false when this approver already approved this card (nothing written) */
    boolean insert(Connection c, Approval a) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT 1 FROM model_approvals WHERE entry_id = ? AND approver = ? "
                + "AND card_digest = ?", a.entryId(), a.approver(), a.cardDigest()); ResultSet rs = ps.executeQuery()) {
            if (rs.next()) return false;
        }
        Jdbc.update(c, "INSERT INTO model_approvals (entry_id, approver, card_digest, artifact_digest, evidence, "
                        + "override_reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)", a.entryId(), a.approver(), a.cardDigest(),
                a.artifactDigest(), EntryStore.toJson(a.evidence()), a.overrideReason(), a.at().toEpochMilli());
        return true;
    }

    List<Approval> approvals(String entryId) {
        return Jdbc.read(db, "list approvals", c -> approvals(c, entryId));
    }

    List<Approval> approvals(Connection c, String entryId) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT approver, card_digest, artifact_digest, evidence, "
                + "override_reason, at FROM model_approvals WHERE entry_id = ? ORDER BY at, approver", entryId);
             ResultSet rs = ps.executeQuery()) {
            List<Approval> out = new ArrayList<>();
            while (rs.next()) {
                List<String> evidence = new ArrayList<>();
                EntryStore.readJson(rs.getString(4)).forEach(n -> evidence.add(n.asText()));
                out.add(new Approval(entryId, rs.getString(1), rs.getString(2), rs.getString(3), evidence,
                        rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
            }
            return out;
        }
    }
}
