package dev.bastion.audit;

import dev.bastion.audit.VerificationResult.Failed;
import dev.bastion.audit.VerificationResult.Problem;
import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.Cosignature;
import dev.bastion.audit.tlog.EntryBundle;
import dev.bastion.audit.tlog.Hashes;
import dev.bastion.audit.tlog.Merkle;
import dev.bastion.audit.tlog.Note;
import dev.bastion.audit.tlog.NoteVerifier;
import dev.bastion.audit.tlog.Proofs;
import dev.bastion.audit.tlog.TilePath;
import dev.bastion.audit.tlog.TileTree;
import dev.bastion.audit.tlog.TlogException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a log in C2SP tlog-tiles layout with nothing but its verifier key: the checkpoint's signature, every
 * entry against the published leaf hashes, every published tile against the tree recomputed from the entries, the
 * recomputed root against the checkpoint, and — given a checkpoint trusted earlier — that the log extends it.
 * Stops at the first problem and names the first bad leaf index. Works on any tlog-tiles log (Tessera's, ours).
 */
public final class LogVerifier {
    private final NoteVerifier key;
    private final List<Cosignature.Verifier> witnesses;
    private final int quorum;

    public LogVerifier(NoteVerifier key) {
        this(key, List.of(), 0);
    }

    private LogVerifier(NoteVerifier key, List<Cosignature.Verifier> witnesses, int quorum) {
        this.key = key;
        this.witnesses = List.copyOf(witnesses);
        this.quorum = quorum;
    }

    /**
     * Also requires the checkpoint to carry valid cosignatures (C2SP tlog-cosignature v1) from at least
     * {@code quorum} distinct witnesses among {@code witnesses}; lines by other keys are ignored.
     */
    public LogVerifier requireWitnesses(List<Cosignature.Verifier> witnesses, int quorum) {
        if (quorum < 1 || quorum > witnesses.size()) throw new IllegalArgumentException("quorum out of range");
        return new LogVerifier(key, witnesses, quorum);
    }

    private long cosigners(byte[] note, Checkpoint cp) {
        try {
            List<Note.Signature> sigs = Note.parse(note).signatures();
            return witnesses.stream().filter(w -> sigs.stream().anyMatch(s -> w.verify(cp.text(), s).isPresent()))
                    .count();
        } catch (TlogException e) {
            return 0;
        }
    }

    /** A verifier for the key string {@code name+hash+base64}. */
    public static LogVerifier forKey(String verifierKey) throws TlogException {
        return new LogVerifier(NoteVerifier.parse(verifierKey));
    }

    public VerificationResult verify(LogSource source) throws IOException {
        return verify(source, null);
    }

    /**
     * @param trustedNote a signed checkpoint note the caller trusted earlier (e.g. from the last run), or null
     * @throws IOException when the log cannot be read at all (as opposed to reading wrong data)
     */
    public VerificationResult verify(LogSource source, byte[] trustedNote) throws IOException {
        Optional<byte[]> note = source.fetch(AuditLogReader.CHECKPOINT);
        if (note.isEmpty()) return new Failed(Problem.MISSING, "log has no checkpoint", -1);
        Checkpoint cp;
        try {
            cp = Checkpoint.parse(NoteVerifier.open(note.get(), List.of(key)));
        } catch (TlogException e) {
            return new Failed(e.reason() == TlogException.Reason.MALFORMED ? Problem.MALFORMED_CHECKPOINT
                    : Problem.BAD_SIGNATURE, "checkpoint: " + e.getMessage(), -1);
        }
        if (!cp.origin().equals(key.name())) {
            return new Failed(Problem.ORIGIN_MISMATCH, "checkpoint origin differs from the key name", -1);
        }
        if (quorum > 0) {
            long cosigned = cosigners(note.get(), cp);
            if (cosigned < quorum) {
                return new Failed(Problem.NOT_WITNESSED, "checkpoint cosigned by " + cosigned + " of the "
                        + witnesses.size() + " given witnesses; " + quorum + " required", -1);
            }
        }
        Checkpoint trusted = null;
        if (trustedNote != null) {
            try {
                trusted = Checkpoint.parse(NoteVerifier.open(trustedNote, List.of(key)));
            } catch (TlogException e) {
                return new Failed(Problem.BAD_TRUSTED_CHECKPOINT, "trusted checkpoint: " + e.getMessage(), -1);
            }
            if (!trusted.origin().equals(cp.origin())) {
                return new Failed(Problem.ORIGIN_MISMATCH, "trusted checkpoint is from another log", -1);
            }
            if (trusted.size() > cp.size()) {
                return new Failed(Problem.ROLLBACK, "log has " + cp.size() + " entries but a trusted checkpoint has "
                        + trusted.size(), cp.size());
            }
        }
        return new Run(source, cp, trusted).verify();
    }

    /** One verification pass; holds the tree being recomputed. */
    private static final class Run {
        private final LogSource source;
        private final Checkpoint cp;
        private final Checkpoint trusted;
        private final TileTree tree = new TileTree();
        private final Hashes hashes = new Hashes();
        private final List<TileTree.Tile> completed = new ArrayList<>();

        Run(LogSource source, Checkpoint cp, Checkpoint trusted) {
            this.source = source;
            this.cp = cp;
            this.trusted = trusted;
        }

        VerificationResult verify() throws IOException {
            long n = cp.size();
            if (trusted != null && trusted.size() == 0 && !Arrays.equals(trusted.root(), Hashes.emptyRoot())) {
                return new Failed(Problem.INCONSISTENT, "trusted empty checkpoint has a non-empty root", -1);
            }
            for (long b = 0; b * TileTree.WIDTH < n; b++) {
                Failed f = bundle(b, (int) Math.min(TileTree.WIDTH, n - b * TileTree.WIDTH));
                if (f != null) return f;
            }
            for (TileTree.Tile t : tree.partialTiles()) {
                Failed f = compareTile(t);
                if (f != null) return f;
            }
            if (!Arrays.equals(tree.root(), cp.root())) {
                return new Failed(Problem.ROOT_MISMATCH, "entries do not produce the checkpoint's root hash", -1);
            }
            if (trusted != null && trusted.size() > 0 && trusted.size() < n) {
                Failed f = consistencyFromTiles();
                if (f != null) return f;
            }
            return new VerificationResult.Verified(cp, n);
        }

        private Failed bundle(long b, int width) throws IOException {
            long start = b * TileTree.WIDTH;
            TilePath entriesPath = TilePath.entries(b, width);
            TilePath leavesPath = TilePath.tile(0, b, width);
            Optional<byte[]> bundle = source.fetch(entriesPath.path());
            if (bundle.isEmpty()) return new Failed(Problem.MISSING, entriesPath + " is missing", start);
            Optional<byte[]> leaves = source.fetch(leavesPath.path());
            if (leaves.isEmpty()) return new Failed(Problem.MISSING, leavesPath + " is missing", start);
            byte[] tile = leaves.get();
            byte[] computed = new byte[width * Hashes.SIZE];
            int count;
            try {
                count = EntryBundle.visit(bundle.get(), (k, buf, off, len) -> {
                    if (k >= width) throw new TlogException(TlogException.Reason.MALFORMED, "extra entry", k);
                    byte[] h = hashes.leaf(buf, off, len);
                    System.arraycopy(h, 0, computed, k * Hashes.SIZE, Hashes.SIZE);
                });
            } catch (TlogException e) {
                return new Failed(Problem.BAD_BUNDLE, entriesPath + ": " + e.getMessage(), start + e.position());
            }
            for (int k = 0; k < width; k++) {
                if (k >= count) {
                    return new Failed(Problem.BAD_BUNDLE, entriesPath + " is truncated", start + k);
                }
                int o = k * Hashes.SIZE;
                if (tile.length < o + Hashes.SIZE
                        || !Arrays.equals(computed, o, o + Hashes.SIZE, tile, o, o + Hashes.SIZE)) {
                    return new Failed(Problem.ENTRY_MISMATCH, "entry does not match its leaf hash in " + leavesPath,
                            start + k);
                }
                try {
                    tree.append(computed, o, completed::add);
                } catch (TlogException e) {
                    throw new IllegalStateException(e);
                }
                if (trusted != null && tree.size() == trusted.size() && !Arrays.equals(tree.root(), trusted.root())) {
                    return new Failed(Problem.INCONSISTENT, "the first " + trusted.size()
                            + " entries do not produce the trusted checkpoint's root: history was rewritten", -1);
                }
            }
            if (tile.length != width * Hashes.SIZE) {
                return new Failed(Problem.TILE_MISMATCH, leavesPath + " has the wrong length", start);
            }
            for (TileTree.Tile t : completed) {
                Failed f = t.level() == 0 ? null : compareTile(t);
                if (f != null) return f;
            }
            completed.clear();
            return null;
        }

        private Failed compareTile(TileTree.Tile t) throws IOException {
            if (t.level() == 0) return null; // level 0 was compared entry by entry
            TilePath p = t.path();
            Optional<byte[]> published = source.fetch(p.path());
            if (published.isEmpty()) return new Failed(Problem.MISSING, p + " is missing", p.startLeaf());
            byte[] got = published.get();
            for (int i = 0; i < t.width(); i++) {
                int o = i * Hashes.SIZE;
                if (got.length < o + Hashes.SIZE || !Arrays.equals(got, o, o + Hashes.SIZE, t.hashes(), o, o + Hashes.SIZE)) {
                    long first = (t.index() * TileTree.WIDTH + i) << (TileTree.HEIGHT * t.level());
                    return new Failed(Problem.TILE_MISMATCH, p + " differs from the recomputed tree", first);
                }
            }
            if (got.length != t.hashes().length) return new Failed(Problem.TILE_MISMATCH, p + " has the wrong length", -1);
            return null;
        }

        /** The RFC 6962 consistency proof a tiles client would compute, checked against both checkpoints. */
        private Failed consistencyFromTiles() throws IOException {
            long n = cp.size();
            try {
                List<byte[]> proof = Merkle.consistencyProof(tileSource(n), trusted.size(), n);
                Proofs.verifyConsistency(trusted.size(), n, proof, trusted.root(), cp.root());
                return null;
            } catch (TlogException e) {
                return new Failed(Problem.INCONSISTENT, "consistency proof from the trusted checkpoint: "
                        + e.getMessage(), -1);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }

        private Merkle.HashSource tileSource(long size) {
            return (height, index) -> {
                int level = height / TileTree.HEIGHT;
                int sub = height % TileTree.HEIGHT;
                long first = index << sub;
                long tileIndex = first >>> TileTree.HEIGHT;
                long levelHashes = size >>> (TileTree.HEIGHT * level);
                int width = (int) Math.min(TileTree.WIDTH, levelHashes - tileIndex * TileTree.WIDTH);
                TilePath p = TilePath.tile(level, tileIndex, width);
                Optional<byte[]> fetched;
                try {
                    fetched = source.fetch(p.path());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (fetched.isEmpty()) throw new TlogException(TlogException.Reason.MALFORMED, p + " is missing");
                byte[] tile = fetched.get();
                int offset = (int) (first & (TileTree.WIDTH - 1));
                if (tile.length < (offset + (1 << sub)) * Hashes.SIZE) {
                    throw new TlogException(TlogException.Reason.MALFORMED, p + " is too short");
                }
                return hashes.perfectRoot(tile, offset * Hashes.SIZE, 1 << sub);
            };
        }

    }
}
