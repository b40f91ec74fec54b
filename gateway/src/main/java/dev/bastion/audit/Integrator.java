package dev.bastion.audit;

import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.Hashes;
import dev.bastion.audit.tlog.NoteSigner;
import dev.bastion.audit.tlog.NoteVerifier;
import dev.bastion.audit.tlog.TileTree;
import dev.bastion.audit.tlog.TlogException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the Merkle tree over appended entries, persists its tiles and signs a checkpoint, in rounds. With
 * PostgreSQL only the process holding a session advisory lock integrates (the lock dies with its connection, so
 * another process takes over); with SQLite the database write lock serialises rounds. Every round re-checks the
 * stored tree size inside its transaction, so a stale integrator can never write a fork.
 */
final class Integrator implements AutoCloseable {
    /** Advisory lock key: the first 8 bytes of SHA-256("bastion.audit.integrator"). */
    static final long LOCK_KEY = java.nio.ByteBuffer.wrap(Hashes.leafHash(
            "bastion.audit.integrator".getBytes(java.nio.charset.StandardCharsets.UTF_8))).getLong();

    private final LedgerStore store;
    private final NoteSigner signer;
    private final Clock clock;
    private final int maxBatch;
    private final boolean postgres;
    private final CheckpointAnchor anchor;

    private Connection leader;      // PostgreSQL: the connection that holds the advisory lock
    private TileTree tree;          // null: reload from the stored tiles
    private boolean checkpointCurrent;

    Integrator(LedgerStore store, NoteSigner signer, Clock clock, int maxBatch, CheckpointAnchor anchor) {
        this.anchor = anchor;
        this.store = store;
        this.signer = signer;
        this.clock = clock;
        this.maxBatch = maxBatch;
        this.postgres = store.database().isPostgres();
    }

    /**
     * One round: integrates up to {@code maxBatch} new entries and signs a checkpoint for them. Returns the number
     * integrated, or -1 when another process is the integrator.
     */
    synchronized long integrateOnce() throws SQLException, TlogException {
        Connection c = postgres ? leaderConnection() : store.connection();
        if (c == null) return -1;
        try {
            return round(c);
        } catch (SQLException | TlogException | RuntimeException e) {
            tree = null;
            if (postgres) releaseLeadership();
            throw e;
        } finally {
            if (!postgres) c.close();
        }
    }

    private long round(Connection c) throws SQLException, TlogException {
        long size = store.treeSize(c);
        anchor.guard(size);
        if (tree == null || tree.size() != size) {
            tree = TileTree.restore(size, (level, index, width) -> tileOrFail(c, level, index));
            checkpointCurrent = checkpointIsOurs(c, size);
        }
        List<byte[]> entries = store.entries(c, size, size + maxBatch);
        if (entries.isEmpty() && checkpointCurrent) return 0;
        List<TileTree.Tile> tiles = new ArrayList<>();
        Hashes hashes = new Hashes();
        for (byte[] e : entries) tree.append(hashes.leaf(e), tiles::add);
        tiles.addAll(tree.partialTiles());
        byte[] root = tree.root();
        byte[] note = signer.sign(new Checkpoint(signer.name(), tree.size(), root).text());
        if (!store.commitIntegration(c, size, tree.size(), tiles, root, note, clock.millis())) {
            tree = null; // someone else integrated meanwhile
            return 0;
        }
        checkpointCurrent = true;
        anchor.record(note, tree.size());
        return entries.size();
    }

    private byte[] tileOrFail(Connection c, int level, long index) throws TlogException {
        try {
            byte[] t = store.tile(c, level, index);
            if (t == null) throw new TlogException(TlogException.Reason.MALFORMED, "stored tile missing");
            return t;
        } catch (SQLException e) {
            throw new TlogException(TlogException.Reason.MALFORMED, "stored tile unreadable");
        }
    }

    /** Whether the latest checkpoint covers {@code size} and is signed by our key under our origin. */
    private boolean checkpointIsOurs(Connection c, long size) throws SQLException {
        LedgerStore.StoredCheckpoint latest = store.latestCheckpoint(c);
        if (latest == null || latest.size() != size) return false;
        try {
            Checkpoint cp = Checkpoint.parse(NoteVerifier.open(latest.note(), List.of(signer.verifier())));
            return cp.origin().equals(signer.name()) && cp.size() == size;
        } catch (TlogException e) {
            return false;
        }
    }

    private Connection leaderConnection() throws SQLException {
        if (leader != null) return leader;
        Connection c = store.connection();
        boolean locked = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                locked = rs.next() && rs.getBoolean(1);
            }
        } finally {
            if (!locked) c.close();
        }
        if (!locked) return null;
        leader = c;
        tree = null; // another process may have integrated while we were not the leader
        return c;
    }

    /** True when this process currently holds the integrator role. */
    synchronized boolean isLeader() {
        return !postgres || leader != null;
    }

    private void releaseLeadership() {
        if (leader == null) return;
        try {
            // closing a pooled connection only returns it: unlock explicitly, then make the pool drop it
            try (PreparedStatement ps = leader.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, LOCK_KEY);
                ps.execute();
            }
        } catch (SQLException ignored) {
            // a broken connection has lost the lock already
        }
        try {
            store.database().dataSource().unwrap(com.zaxxer.hikari.HikariDataSource.class).evictConnection(leader);
        } catch (SQLException | RuntimeException ignored) {
            try {
                leader.close();
            } catch (SQLException alsoIgnored) {
                // nothing more to do
            }
        }
        leader = null;
    }

    @Override
    public synchronized void close() {
        releaseLeadership();
    }
}
