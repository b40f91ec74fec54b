package dev.bastion.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.store.Database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The {@code registry_entries}, {@code registry_transitions} and {@code registry_version} tables (V600). */
final class EntryStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, kind, source, name, state, sha256, size_bytes, format, path, "
            + "architecture, quantization, context_length, chat_template, tokenizer, licence, source_url, backend, "
            + "upstream_model, expected_identity, base_id, dataset_id, signature, submitted_by, created_at, updated_at, "
            + "row_version";

    private final Database db;

    EntryStore(Database db) {
        this.db = db;
    }

    Database db() { return db; }

    void insert(Connection c, RegistryEntry e) throws SQLException {
        RegistryEntry.Artifact a = e.artifact();
        RegistryEntry.Remote r = e.remote();
        Jdbc.update(c, "INSERT INTO registry_entries (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(), e.kind().name().toLowerCase(Locale.ROOT), e.isLocal() ? "local" : "remote", e.name(),
                e.state().wire(), a == null ? null : a.sha256(), a == null ? null : a.sizeBytes(),
                a == null ? null : a.format(), a == null ? null : a.path().toString(),
                a == null ? null : a.architecture(), a == null ? null : a.quantization(),
                a == null ? null : a.contextLength(), a == null ? null : a.chatTemplate(),
                a == null ? null : a.tokenizer(), e.licence(), e.sourceUrl(), r == null ? null : r.backend(),
                r == null ? null : r.upstreamModel(), r == null ? null : r.expectedIdentity(), e.baseId(),
                e.datasetId(), signatureJson(e.signature()), e.submittedBy(), e.createdAt().toEpochMilli(),
                e.updatedAt().toEpochMilli(), e.rowVersion());
    }

    /** Moves an entry to a new state if nobody changed it since it was read; false when somebody did. */
    boolean updateState(Connection c, RegistryEntry before, RegistryEntry after) throws SQLException {
        return Jdbc.update(c, "UPDATE registry_entries SET state = ?, updated_at = ?, row_version = ? "
                        + "WHERE id = ? AND row_version = ?", after.state().wire(), after.updatedAt().toEpochMilli(),
                after.rowVersion(), before.id(), before.rowVersion()) == 1;
    }

    /** Licence, source URL and dataset of an entry (drafts only, checked by the caller). */
    boolean updateMetadata(Connection c, RegistryEntry before, RegistryEntry after) throws SQLException {
        return Jdbc.update(c, "UPDATE registry_entries SET licence = ?, source_url = ?, dataset_id = ?, updated_at = ?, "
                        + "row_version = ? WHERE id = ? AND row_version = ?", after.licence(), after.sourceUrl(),
                after.datasetId(), after.updatedAt().toEpochMilli(), after.rowVersion(), before.id(),
                before.rowVersion()) == 1;
    }

    boolean updateSignature(Connection c, RegistryEntry before, RegistryEntry after) throws SQLException {
        return Jdbc.update(c, "UPDATE registry_entries SET signature = ?, updated_at = ?, row_version = ? "
                        + "WHERE id = ? AND row_version = ?", signatureJson(after.signature()),
                after.updatedAt().toEpochMilli(), after.rowVersion(), before.id(), before.rowVersion()) == 1;
    }

    Optional<RegistryEntry> find(String id) {
        return Jdbc.read(db, "find registry entry", c -> find(c, id));
    }

    Optional<RegistryEntry> find(Connection c, String id) throws SQLException {
        return one(c, "WHERE id = ?", id);
    }

    Optional<RegistryEntry> findByName(Connection c, String name) throws SQLException {
        return one(c, "WHERE name = ?", name);
    }

    /** Entries for a local digest, newest first. */
    List<RegistryEntry> findBySha256(Connection c, String sha256) throws SQLException {
        return many(c, "WHERE sha256 = ? ORDER BY created_at DESC, id", sha256);
    }

    List<RegistryEntry> findRemote(Connection c, String backend, String upstream) throws SQLException {
        return many(c, "WHERE backend = ? AND upstream_model = ? ORDER BY created_at DESC, id", backend, upstream);
    }

    List<RegistryEntry> list() {
        return Jdbc.read(db, "list registry entries", EntryStore::listAll);
    }

    static List<RegistryEntry> listAll(Connection c) throws SQLException { return many(c, "ORDER BY name"); }

    /** Entries recorded for a file path, newest first. */
    List<RegistryEntry> findByPath(Connection c, Path path) throws SQLException {
        return many(c, "WHERE path = ? ORDER BY created_at DESC, id", path.toString());
    }

    // ---- history -----------------------------------------------------------------------------------------------

    /** One lifecycle step, for the entry's history. */
    record Step(long seq, String action, String fromState, String toState, String actor, Instant at, String reason,
                List<String> evidence) {}

    void appendStep(Connection c, String entryId, String action, String from, String to, String actor, Instant at,
                    String reason, List<String> evidence) throws SQLException {
        long seq;
        try (PreparedStatement ps = Jdbc.prepare(c,
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM registry_transitions WHERE entry_id = ?", entryId);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
        }
        Jdbc.update(c, "INSERT INTO registry_transitions (entry_id, seq, action, from_state, to_state, actor, at, "
                        + "reason, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", entryId, seq, action, from, to, actor,
                at.toEpochMilli(), reason, toJson(evidence));
    }

    List<Step> history(String entryId) {
        return Jdbc.read(db, "registry history", c -> {
            try (PreparedStatement ps = Jdbc.prepare(c, "SELECT seq, action, from_state, to_state, actor, at, reason, "
                    + "evidence FROM registry_transitions WHERE entry_id = ? ORDER BY seq", entryId);
                 ResultSet rs = ps.executeQuery()) {
                List<Step> out = new ArrayList<>();
                while (rs.next()) {
                    List<String> evidence = new ArrayList<>();
                    readJson(rs.getString(8)).forEach(n -> evidence.add(n.asText()));
                    out.add(new Step(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7), evidence));
                }
                return out;
            }
        });
    }

    // ---- rows --------------------------------------------------------------------------------------------------

    private static Optional<RegistryEntry> one(Connection c, String where, Object... params) throws SQLException {
        List<RegistryEntry> found = many(c, where, params);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    private static List<RegistryEntry> many(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT " + COLUMNS + " FROM registry_entries " + where, params);
             ResultSet rs = ps.executeQuery()) {
            List<RegistryEntry> out = new ArrayList<>();
            while (rs.next()) out.add(row(rs));
            return out;
        }
    }

    private static RegistryEntry row(ResultSet rs) throws SQLException {
        RegistryEntry.Kind kind = RegistryEntry.Kind.valueOf(rs.getString(2).toUpperCase(Locale.ROOT));
        boolean local = rs.getString(3).equals("local");
        LifecycleState state = LifecycleState.parse(rs.getString(5))
                .orElseThrow(() -> new SQLException("unknown lifecycle state in registry_entries"));
        RegistryEntry.Artifact artifact = local ? new RegistryEntry.Artifact(rs.getString(6), rs.getLong(7),
                rs.getString(8), Path.of(rs.getString(9)), rs.getString(10), rs.getString(11),
                Jdbc.nullableLong(rs, 12), rs.getString(13), rs.getString(14)) : null;
        RegistryEntry.Remote remote = local ? null
                : new RegistryEntry.Remote(rs.getString(17), rs.getString(18), rs.getString(19));
        return new RegistryEntry(rs.getString(1), kind, rs.getString(4), state, artifact, remote, rs.getString(15),
                rs.getString(16), rs.getString(20), rs.getString(21), signature(rs.getString(22)), rs.getString(23),
                Instant.ofEpochMilli(rs.getLong(24)), Instant.ofEpochMilli(rs.getLong(25)), rs.getLong(26));
    }

    private static String signatureJson(SignatureCheck s) {
        if (s == null) return null;
        ObjectNode o = JSON.createObjectNode();
        o.put("method", s.method());
        o.put("signer", s.signer());
        if (s.signerName() != null) o.put("signer_name", s.signerName());
        o.put("subject_name", s.subjectName());
        o.put("bundle_digest", s.bundleDigest());
        o.put("checked_at", s.checkedAt().toEpochMilli());
        return o.toString();
    }

    private static SignatureCheck signature(String json) throws SQLException {
        if (json == null) return null;
        JsonNode o = readJson(json);
        return new SignatureCheck(o.path("method").asText(), o.path("signer").asText(),
                o.has("signer_name") ? o.path("signer_name").asText() : null, o.path("subject_name").asText(),
                o.path("bundle_digest").asText(), Instant.ofEpochMilli(o.path("checked_at").asLong()));
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable", e);
        }
    }

    static JsonNode readJson(String text) throws SQLException {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored registry JSON is invalid");
        }
    }
}
