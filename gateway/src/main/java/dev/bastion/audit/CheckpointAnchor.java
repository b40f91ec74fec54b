package dev.bastion.audit;

import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.NoteSigner;
import dev.bastion.audit.tlog.NoteVerifier;
import dev.bastion.audit.tlog.TileTree;
import dev.bastion.audit.tlog.TlogException;
import dev.bastion.common.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * The last checkpoint this server signed, kept where the database cannot roll it back on its own: a file in the
 * data directory ({@code audit-checkpoint}, the C2SP signed note, {@code 0600}). At start the stored log must extend
 * it — tree at least as large, the same root at the anchored size, entries up to it present — or the server refuses
 * to start: a database restored from an old backup would otherwise hand out leaf indexes it had already given to
 * clients, and both verifiers would pass the shorter log. While running, the integrator never signs a tree smaller
 * than the anchor. An operator who means to go back (a deliberate restore) starts once with
 * {@code bastion serve --accept-audit-rollback}; that start is itself recorded in the log.
 */
public final class CheckpointAnchor {
    private static final Logger LOG = Logger.getLogger(CheckpointAnchor.class.getName());
    public static final String FILE_NAME = "audit-checkpoint";
    /** No anchor (tests of the ledger alone). */
    public static final CheckpointAnchor NONE = new CheckpointAnchor(null, false);

    private final Path file;
    private final boolean acceptRollback;
    private volatile long anchoredSize = -1;

    private CheckpointAnchor(Path file, boolean acceptRollback) {
        this.file = file;
        this.acceptRollback = acceptRollback;
    }

    /** @param acceptRollback the operator's one-time override: start on a stored log that does not extend the anchor */
    public static CheckpointAnchor in(Path dataDir, boolean acceptRollback) {
        return new CheckpointAnchor(dataDir.resolve(FILE_NAME), acceptRollback);
    }

    /** What {@link #check} found when the override let a mismatching log start. */
    record Accepted(long anchoredSize, long storedSize, String reason) {}

    /**
     * Checks the stored log against the anchored checkpoint. Returns null when it extends it (or there is no anchor
     * yet: then the stored latest checkpoint becomes the anchor); an {@link Accepted} when it does not and the
     * operator override is on; throws when it does not.
     */
    Accepted check(LedgerStore store, Connection c, NoteSigner signer) throws AuditUnavailableException {
        if (file == null) return null;
        byte[] note;
        try {
            note = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            adoptStored(store, c, signer);
            return null;
        } catch (IOException e) {
            throw new AuditUnavailableException("the audit checkpoint anchor " + file + " cannot be read", e);
        }
        String problem;
        Checkpoint anchored = null;
        try {
            anchored = Checkpoint.parse(NoteVerifier.open(note, List.of(signer.verifier())));
            problem = mismatch(store, c, anchored);
        } catch (TlogException e) {
            problem = "the anchor " + file + " is not a checkpoint signed by this log's key";
        } catch (SQLException e) {
            throw new AuditUnavailableException("audit storage is not usable", e);
        }
        if (problem == null) {
            anchoredSize = anchored.size();
            return null;
        }
        long stored = storedSize(store, c);
        if (!acceptRollback) {
            throw new AuditUnavailableException("audit log rollback or mismatch: " + problem + ". Bastion refuses to "
                    + "start on it (it would reissue leaf indexes and verifiers would accept a shortened log). If the "
                    + "database was restored on purpose, start once with 'bastion serve --accept-audit-rollback' "
                    + "(recorded in the log).");
        }
        LOG.severe("audit log rollback ACCEPTED by the operator override: " + problem);
        adoptStored(store, c, signer);
        return new Accepted(anchored == null ? -1 : anchored.size(), stored, problem);
    }

    private static String mismatch(LedgerStore store, Connection c, Checkpoint anchored) throws SQLException {
        long size = anchored.size();
        long tree = store.treeSize(c);
        if (tree < size) {
            return "the database's audit tree covers " + tree + " entries but this server signed a checkpoint at "
                    + size + " (the database was rolled back or replaced)";
        }
        if (store.nextIndex(c) < size || (size > 0 && store.entries(c, size - 1, size).isEmpty())) {
            return "audit entries below " + size + ", which this server signed, are missing from the database";
        }
        if (size == 0) return null;
        try {
            TileTree t = TileTree.restore(size, (level, index, width) -> tile(store, c, level, index));
            if (!Arrays.equals(t.root(), anchored.root())) {
                return "the stored tree at size " + size + " does not have the root this server signed (the log was rewritten)";
            }
        } catch (TlogException e) {
            return "the stored tiles cannot rebuild the tree at size " + size + " that this server signed";
        }
        return null;
    }

    private static byte[] tile(LedgerStore store, Connection c, int level, long index) throws TlogException {
        try {
            return store.tile(c, level, index);
        } catch (SQLException e) {
            throw new TlogException(TlogException.Reason.MALFORMED, "stored tile unreadable");
        }
    }

    private static long storedSize(LedgerStore store, Connection c) throws AuditUnavailableException {
        try {
            return store.treeSize(c);
        } catch (SQLException e) {
            throw new AuditUnavailableException("audit storage is not usable", e);
        }
    }

    /** Takes the stored latest checkpoint as the anchor (first start with anchoring, or an accepted rollback). */
    private void adoptStored(LedgerStore store, Connection c, NoteSigner signer) throws AuditUnavailableException {
        try {
            LedgerStore.StoredCheckpoint latest = store.latestCheckpoint(c);
            anchoredSize = -1;
            if (latest == null) {
                Files.deleteIfExists(file);
                anchoredSize = -1;
                return;
            }
            record(latest.note(), latest.size());
        } catch (SQLException | IOException e) {
            throw new AuditUnavailableException("the audit checkpoint anchor cannot be set", e);
        }
    }

    /** The integrator must never sign a tree smaller than what this server already signed. */
    void guard(long treeSize) throws TlogException {
        long a = anchoredSize;
        if (a >= 0 && treeSize < a) {
            throw new TlogException(TlogException.Reason.MALFORMED, "the stored audit tree (" + treeSize + ") is behind the anchored checkpoint ("
                    + a + "): the database was rolled back under a running server");
        }
    }

    /** Keeps a newly signed checkpoint as the anchor (atomic replace, forced to disk). */
    void record(byte[] note, long size) {
        if (file == null) return;
        try {
            PrivateFiles.writeAtomically(file, note);
            anchoredSize = Math.max(anchoredSize, size);
        } catch (IOException e) {
            LOG.severe("the audit checkpoint anchor " + file + " could not be written: " + e.getClass().getSimpleName()
                    + " (rollback detection is weakened until it can)");
        }
    }
}
