package dev.bastion.audit;

import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.Note;
import dev.bastion.audit.tlog.TilePath;
import dev.bastion.audit.tlog.TileTree;
import dev.bastion.audit.tlog.TlogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a log's tlog-tiles layout to a directory — the same bytes the read API serves — so that it can be
 * archived, handed to an auditor, served by any static web server and checked with {@code bastion audit verify}
 * or any other tlog-tiles client.
 */
public final class LogExporter {
    private LogExporter() {}

    /** Every resource path a tree of {@code size} entries consists of (checkpoint excluded). */
    public static List<TilePath> paths(long size) {
        List<TilePath> out = new ArrayList<>();
        addLevel(out, true, 0, size);
        for (int level = 0; level < 8 && (size >>> (TileTree.HEIGHT * level)) > 0; level++) {
            addLevel(out, false, level, size >>> (TileTree.HEIGHT * level));
        }
        return out;
    }

    private static void addLevel(List<TilePath> out, boolean entries, int level, long hashes) {
        long full = hashes / TileTree.WIDTH;
        for (long i = 0; i < full; i++) out.add(new TilePath(entries, level, i, TileTree.WIDTH));
        int rest = (int) (hashes % TileTree.WIDTH);
        if (rest > 0) out.add(new TilePath(entries, level, full, rest));
    }

    /** Exports the log as of its latest checkpoint; returns that checkpoint. */
    public static Checkpoint export(AuditLogReader reader, Path dir) throws IOException {
        return export(LogSource.of(reader), dir);
    }

    /** Copies the log at {@code source} (as of its checkpoint) into {@code dir}. */
    public static Checkpoint export(LogSource source, Path dir) throws IOException {
        Optional<byte[]> note = source.fetch(AuditLogReader.CHECKPOINT);
        if (note.isEmpty()) throw new IOException("the log has no checkpoint yet");
        Checkpoint cp;
        try {
            cp = Checkpoint.parse(Note.parse(note.get()).text());
        } catch (TlogException e) {
            throw new IOException("the log's checkpoint is malformed: " + e.getMessage(), e);
        }
        for (TilePath p : paths(cp.size())) {
            byte[] body = source.fetch(p.path()).orElseThrow(() -> new IOException(p + " is missing from the log"));
            write(dir.resolve(p.path()), body);
        }
        write(dir.resolve(AuditLogReader.CHECKPOINT), note.get()); // last: a directory with a checkpoint is complete
        return cp;
    }

    private static void write(Path file, byte[] body) throws IOException {
        dev.bastion.common.PrivateFiles.write(file, body); // 0600 in 0700 directories, like every file Bastion makes
    }
}
