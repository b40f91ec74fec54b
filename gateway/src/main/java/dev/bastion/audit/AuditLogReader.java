package dev.bastion.audit;

import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.EntryBundle;
import dev.bastion.audit.tlog.Hashes;
import dev.bastion.audit.tlog.Merkle;
import dev.bastion.audit.tlog.Note;
import dev.bastion.audit.tlog.TilePath;
import dev.bastion.audit.tlog.TileTree;
import dev.bastion.audit.tlog.TlogException;
import dev.bastion.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The C2SP tlog-tiles read API over the store, independent of any web framework: {@link #read} serves
 * {@code checkpoint}, {@code tile/<L>/<N>[.p/<W>]} and {@code tile/entries/<N>[.p/<W>]} byte for byte, for any
 * resource the latest checkpoint covers. Mount it under {@code /bastion/v1/audit/}. Also computes inclusion and
 * consistency proofs from the stored tiles. Thread-safe; every call reads the store.
 */
public final class AuditLogReader {
    public static final String CHECKPOINT = "checkpoint";
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String BINARY = "application/octet-stream";

    /**
     * One resource. {@code immutable} resources (tiles, bundles) may be cached for long; the checkpoint may not.
     */
    public record Resource(byte[] body, String contentType, boolean immutable) {}

    private final LedgerStore store;
    private volatile int witnessQuorum;

    AuditLogReader(LedgerStore store) {
        this.store = store;
    }

    /** A reader over a store's ledger tables; needs no signing key (the CLI exporter uses this). */
    public static AuditLogReader of(Database db) {
        return new AuditLogReader(new LedgerStore(db));
    }

    /** The resource at {@code path} (relative to the log prefix), or empty when there is none (404). */
    public Optional<Resource> read(String path) throws AuditUnavailableException {
        try (Connection c = store.connection()) {
            LedgerStore.StoredCheckpoint latest = store.latestCheckpoint(c);
            if (latest == null) return Optional.empty();
            if (CHECKPOINT.equals(path)) {
                byte[] served = servedCheckpoint(c, latest);
                return served == null ? Optional.empty() : Optional.of(new Resource(served, TEXT, false));
            }
            TilePath p;
            try {
                p = TilePath.parse(path);
            } catch (TlogException e) {
                return Optional.empty();
            }
            if (p.requiredTreeSize() > latest.size()) return Optional.empty();
            byte[] body = p.entries() ? bundle(c, p) : tile(c, p);
            return body == null ? Optional.empty() : Optional.of(new Resource(body, BINARY, true));
        } catch (SQLException e) {
            throw new AuditUnavailableException("audit log read failed", e);
        }
    }

    /**
     * From now on serve as {@code checkpoint} only the newest checkpoint that at least {@code quorum} witnesses
     * cosigned (404 before the first); 0 serves the latest. Either way with every stored cosignature appended.
     */
    public void requireWitnessQuorum(int quorum) {
        if (quorum < 0) throw new IllegalArgumentException("quorum");
        this.witnessQuorum = quorum;
    }

    private byte[] servedCheckpoint(Connection c, LedgerStore.StoredCheckpoint latest) throws SQLException {
        long size = latest.size();
        byte[] note = latest.note();
        if (witnessQuorum > 0) {
            size = CheckpointCosignatures.newestWitnessed(c, witnessQuorum);
            note = size < 0 ? null : store.checkpointNote(c, size);
            if (note == null) return null;
        }
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(note);
        for (byte[] line : CheckpointCosignatures.lines(c, size)) {
            out.writeBytes(line);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private byte[] bundle(Connection c, TilePath p) throws SQLException {
        long start = p.startLeaf();
        List<byte[]> entries = store.entries(c, start, start + p.width());
        return entries.size() == p.width() ? EntryBundle.encode(entries) : null;
    }

    private byte[] tile(Connection c, TilePath p) throws SQLException {
        byte[] stored = store.tile(c, p.level(), p.index());
        int len = p.width() * Hashes.SIZE;
        if (stored == null || stored.length < len) return null;
        return stored.length == len ? stored : Arrays.copyOf(stored, len);
    }

    /** The latest signed checkpoint note (C2SP signed note), or empty before the first one. */
    public Optional<byte[]> checkpointNote() throws AuditUnavailableException {
        try (Connection c = store.connection()) {
            LedgerStore.StoredCheckpoint latest = store.latestCheckpoint(c);
            return Optional.ofNullable(latest == null ? null : latest.note());
        } catch (SQLException e) {
            throw new AuditUnavailableException("audit log read failed", e);
        }
    }

    /** The latest checkpoint, parsed (its signature is the ledger's own). */
    public Optional<Checkpoint> checkpoint() throws AuditUnavailableException {
        Optional<byte[]> note = checkpointNote();
        if (note.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Checkpoint.parse(Note.parse(note.get()).text()));
        } catch (TlogException e) {
            throw new AuditUnavailableException("stored checkpoint is malformed", e);
        }
    }

    /** The entry at {@code index}, if it has been appended (integrated or not). */
    public Optional<byte[]> entry(long index) throws AuditUnavailableException {
        try (Connection c = store.connection()) {
            List<byte[]> e = store.entries(c, index, index + 1);
            return e.isEmpty() ? Optional.empty() : Optional.of(e.getFirst());
        } catch (SQLException e) {
            throw new AuditUnavailableException("audit log read failed", e);
        }
    }

    /**
     * The RFC 6962 inclusion proof of leaf {@code index} in the tree of {@code size}, bottom up. Requires
     * {@code 0 <= index < size <= } the latest checkpoint's size ({@link IllegalArgumentException} otherwise).
     */
    public List<byte[]> inclusionProof(long index, long size) throws AuditUnavailableException {
        return withTiles(size, java.util.Set.of(), source -> {
            if (index < 0 || index >= size) throw new IllegalArgumentException("index must be within 0..size-1");
            return Merkle.inclusionProof(source, index, size);
        });
    }

    /** The RFC 6962 consistency proof between tree sizes {@code size1 <= size2 <= } the latest checkpoint's. */
    public List<byte[]> consistencyProof(long size1, long size2) throws AuditUnavailableException {
        return withTiles(size2, java.util.Set.of(), source -> {
            if (size1 < 0 || size1 > size2) throw new IllegalArgumentException("sizes must satisfy 0 <= size1 <= size2");
            return Merkle.consistencyProof(source, size1, size2);
        });
    }

    /**
     * Inclusion proofs of several leaves in the tree of {@code size}, reading each tile once (search results, access
     * exports). Same bounds as {@link #inclusionProof}.
     */
    public List<List<byte[]>> inclusionProofs(List<Long> indexes, long size) throws AuditUnavailableException {
        // which tiles the proofs touch does not depend on hash values: find them all first, then read them in one
        // query per level instead of one round trip per tile
        java.util.Set<Long> needed = new java.util.HashSet<>();
        byte[] zero = new byte[Hashes.SIZE];
        Merkle.HashSource probe = (height, index) -> {
            needed.add(tileKey(height, index));
            return zero;
        };
        for (long index : indexes) {
            try {
                if (index >= 0 && index < size) Merkle.inclusionProof(probe, index, size);
            } catch (TlogException e) {
                // the real pass reports it
            }
        }
        return withTiles(size, needed, source -> {
            List<List<byte[]>> out = new java.util.ArrayList<>(indexes.size());
            for (long index : indexes) {
                if (index < 0 || index >= size) throw new IllegalArgumentException("index must be within 0..size-1");
                out.add(Merkle.inclusionProof(source, index, size));
            }
            return out;
        });
    }

    private interface ProofFn<T> { T apply(Merkle.HashSource source) throws TlogException; }

    /** The key under which a node's tile is cached: {@code tileIndex * 64 + level}. */
    private static long tileKey(int height, long index) {
        return ((index << (height % TileTree.HEIGHT)) >>> TileTree.HEIGHT) * 64 + height / TileTree.HEIGHT;
    }

    private <T> T withTiles(long size, java.util.Set<Long> prefetch, ProofFn<T> fn) throws AuditUnavailableException {
        try (Connection c = store.connection()) {
            LedgerStore.StoredCheckpoint latest = store.latestCheckpoint(c);
            if (latest == null || size < 0 || size > latest.size()) {
                throw new IllegalArgumentException("size must not exceed the latest checkpoint");
            }
            Map<Long, byte[]> cache = prefetch.isEmpty() ? new HashMap<>() : new HashMap<>(store.tiles(c, prefetch));
            // proofs of many leaves share siblings: each subtree root is computed once per call
            Map<Long, byte[]> nodes = new HashMap<>();
            Hashes hashes = new Hashes();
            Merkle.HashSource tiles = (height, index) -> {
                int level = height / TileTree.HEIGHT;
                int sub = height % TileTree.HEIGHT;
                long first = index << sub;
                long tileIndex = first >>> TileTree.HEIGHT;
                int offset = (int) (first & (TileTree.WIDTH - 1));
                byte[] tile = cache.get(tileIndex * 64 + level);
                if (tile == null) {
                    try {
                        tile = store.tile(c, level, tileIndex);
                    } catch (SQLException e) {
                        throw new TlogException(TlogException.Reason.MALFORMED, "tile unreadable");
                    }
                    if (tile == null) throw new TlogException(TlogException.Reason.MALFORMED, "tile missing");
                    cache.put(tileIndex * 64 + level, tile);
                }
                if (tile.length < (offset + (1 << sub)) * Hashes.SIZE) {
                    throw new TlogException(TlogException.Reason.MALFORMED, "tile too short");
                }
                return hashes.perfectRoot(tile, offset * Hashes.SIZE, 1 << sub);
            };
            Merkle.HashSource source = (height, index) -> {
                long key = (index << 6) | height;
                byte[] h = nodes.get(key);
                if (h == null) {
                    h = tiles.node(height, index);
                    nodes.put(key, h);
                }
                return h;
            };
            return fn.apply(source);
        } catch (SQLException e) {
            throw new AuditUnavailableException("audit log read failed", e);
        } catch (TlogException e) {
            throw new AuditUnavailableException("stored tiles are inconsistent", e);
        }
    }
}
