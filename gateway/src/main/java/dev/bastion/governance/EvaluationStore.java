package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.store.Database;

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

/** The {@code evaluation_runs} and {@code evaluation_items} tables (V600). */
final class EvaluationStore {
    private static final String COLUMNS = "id, entry_id, suite_name, suite_kind, suite_digest, suite, item_count, "
            + "started_by, started_at, finished_at, status, summary, summary_digest";

    private final Database db;

    EvaluationStore(Database db) {
        this.db = db;
    }

    /** One evaluation run; {@code suite} is the stored form (no prompt texts). */
    record Run(String id, String entryId, String suiteName, String kind, String suiteDigest, JsonNode suite,
               int itemCount, String startedBy, Instant startedAt, Instant finishedAt, String status,
               JsonNode summary, String summaryDigest) {
        boolean open() { return status.equals("open"); }
    }

    void insert(Run r) {
        Jdbc.tx(db, "start evaluation", c -> Jdbc.update(c, "INSERT INTO evaluation_runs (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r.id(), r.entryId(), r.suiteName(), r.kind(),
                r.suiteDigest(), r.suite().toString(), (long) r.itemCount(), r.startedBy(), r.startedAt().toEpochMilli(),
                null, r.status(), null, null));
    }

    Optional<Run> find(String id) {
        return Jdbc.read(db, "find evaluation", c -> first(c, "WHERE id = ?", id));
    }

    /** The open run of this suite on this entry by this principal, for resuming. */
    Optional<Run> open(String entryId, String suiteDigest, String startedBy) {
        return Jdbc.read(db, "find evaluation", c -> first(c, "WHERE entry_id = ? AND suite_digest = ? AND started_by = ? "
                + "AND status = 'open' ORDER BY started_at DESC", entryId, suiteDigest, startedBy));
    }

    List<Run> forEntry(String entryId) {
        return Jdbc.read(db, "list evaluations", c -> all(c, "WHERE entry_id = ? ORDER BY started_at, id", entryId));
    }

    /** Recorded items by index (results, never texts). */
    Map<Integer, JsonNode> items(String runId) {
        return Jdbc.read(db, "read evaluation items", c -> {
            try (PreparedStatement ps = Jdbc.prepare(c, "SELECT item_index, result FROM evaluation_items WHERE run_id = ? "
                    + "ORDER BY item_index", runId); ResultSet rs = ps.executeQuery()) {
                Map<Integer, JsonNode> out = new TreeMap<>();
                while (rs.next()) out.put(rs.getInt(1), EntryStore.readJson(rs.getString(2)));
                return out;
            }
        });
    }

    /**
     * Records an item's result. A final result (answered, refused) is written once; an error result may be replaced
     * (the item is retried when the run resumes).
     *
     * @return false when a final result was already recorded
     */
    boolean record(String runId, int index, String status, JsonNode result, Instant at) {
        return Jdbc.tx(db, "record evaluation item", c -> {
            String existing = null;
            try (PreparedStatement ps = Jdbc.prepare(c, "SELECT status FROM evaluation_items WHERE run_id = ? AND "
                    + "item_index = ?", runId, (long) index); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) existing = rs.getString(1);
            }
            if (existing != null && !existing.equals("error")) return false;
            if (existing != null) {
                Jdbc.update(c, "DELETE FROM evaluation_items WHERE run_id = ? AND item_index = ?", runId, (long) index);
            }
            Jdbc.update(c, "INSERT INTO evaluation_items (run_id, item_index, status, result, completed_at) "
                    + "VALUES (?, ?, ?, ?, ?)", runId, (long) index, status, result.toString(), at.toEpochMilli());
            return true;
        });
    }

    /** Items with a final result. */
    int finalCount(String runId) {
        return Jdbc.read(db, "count evaluation items", c -> {
            try (PreparedStatement ps = Jdbc.prepare(c, "SELECT COUNT(*) FROM evaluation_items WHERE run_id = ? "
                    + "AND status <> 'error'", runId); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /**
     * Moves a run from {@code from} to {@code to} ({@code open → closing → complete}, or back to {@code open}),
     * recording the summary when given; false when the run was not in {@code from} (another thread moved it).
     */
    boolean move(String runId, String from, String to, JsonNode summary, String digest, Instant at) {
        return Jdbc.tx(db, "complete evaluation", c -> Jdbc.update(c, "UPDATE evaluation_runs SET status = ?, "
                + "finished_at = ?, summary = ?, summary_digest = ? WHERE id = ? AND status = ?", to,
                at == null ? null : at.toEpochMilli(), summary == null ? null : summary.toString(), digest, runId,
                from) == 1);
    }

    private static Optional<Run> first(Connection c, String where, Object... params) throws SQLException {
        List<Run> runs = all(c, where, params);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.getFirst());
    }

    private static List<Run> all(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT " + COLUMNS + " FROM evaluation_runs " + where, params);
             ResultSet rs = ps.executeQuery()) {
            List<Run> out = new ArrayList<>();
            while (rs.next()) {
                Long finished = Jdbc.nullableLong(rs, 10);
                String summary = rs.getString(12);
                out.add(new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        EntryStore.readJson(rs.getString(6)), rs.getInt(7), rs.getString(8),
                        Instant.ofEpochMilli(rs.getLong(9)), finished == null ? null : Instant.ofEpochMilli(finished),
                        rs.getString(11), summary == null ? null : EntryStore.readJson(summary), rs.getString(13)));
            }
            return out;
        }
    }
}
