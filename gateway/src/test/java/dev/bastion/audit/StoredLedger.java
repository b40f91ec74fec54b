package dev.bastion.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.store.StoreConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a ledger store holds, read with plain JDBC beside the running server(s): the sequence, the integrated tree
 * size and every stored entry — including entries not yet covered by a checkpoint.
 */
record StoredLedger(long nextIndex, long treeSize, List<byte[]> rows, List<Long> indexes) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KINDS = Set.of("bastion.audit.request/v1", "bastion.audit.complete/v1",
            "bastion.audit.refused/v1", "bastion.audit.refused-window/v1", "bastion.audit.admin/v1", "bastion.audit.egress/v1",
            "bastion.audit.quota/v1");

    static StoredLedger read(StoreConfig store) throws SQLException {
        try (Connection c = connect(store); Statement s = c.createStatement()) {
            long next;
            long size;
            try (ResultSet rs = s.executeQuery("SELECT next_index FROM audit_sequence WHERE id = 1")) {
                rs.next();
                next = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT size FROM audit_tree WHERE id = 1")) {
                rs.next();
                size = rs.getLong(1);
            }
            List<byte[]> rows = new ArrayList<>();
            List<Long> idx = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT idx, data FROM audit_entries ORDER BY idx")) {
                while (rs.next()) {
                    idx.add(rs.getLong(1));
                    rows.add(rs.getBytes(2));
                }
            }
            return new StoredLedger(next, size, rows, idx);
        }
    }

    static Connection connect(StoreConfig store) throws SQLException {
        return store.kind() == StoreConfig.Kind.SQLITE ? DriverManager.getConnection(store.url())
                : DriverManager.getConnection(store.url(), store.user(), store.password().value());
    }

    /** Fully integrated: the signed tree covers every entry that was ever handed an index. */
    boolean integrated() { return treeSize == nextIndex; }

    /** How many stored entries are of {@code kind}. */
    long count(String kind) throws Exception {
        long n = 0;
        for (byte[] r : rows) if (JSON.readTree(r).path("kind").asText().equals(kind)) n++;
        return n;
    }

    JsonNode entry(long index) throws Exception {
        return JSON.readTree(rows.get((int) index));
    }

    /**
     * Nothing half-written: the stored indexes are exactly 0..nextIndex-1 (no gap, no extra row past the
     * sequence), and every stored entry is a whole canonical JSON object of a known kind.
     */
    void assertWholeAndContiguous() throws Exception {
        assertThat(indexes).hasSize((int) nextIndex);
        for (int i = 0; i < indexes.size(); i++) assertThat(indexes.get(i)).isEqualTo(i);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode e = JSON.readTree(rows.get(i));
            assertThat(e.isObject()).as("entry %d is an object", i).isTrue();
            assertThat(KINDS).as("kind of entry %d", i).contains(e.path("kind").asText());
            assertThat(CanonicalJson.encode(e)).as("entry %d is canonical", i).isEqualTo(rows.get(i));
        }
    }
}
